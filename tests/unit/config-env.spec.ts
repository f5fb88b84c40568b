/** The one module that reads the environment: a missing or malformed variable is one line naming it. */
import { test, expect } from '../support/unit-test.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isolatedEnv } from '../../helpers/config/isolated-env.js';
import { ConfigError, optionalVar, requiredVar, selectedTarget, isTrue } from '../../helpers/config/env.js';

test('an unset or empty variable is undefined when optional', () => {
  expect(optionalVar('KESTRA_URL', {})).toBeUndefined();
  expect(optionalVar('KESTRA_URL', { KESTRA_URL: '' })).toBeUndefined();
});

test('a malformed variable is a ConfigError naming it and what it must be', () => {
  expect(() => optionalVar('KESTRA_URL', { KESTRA_URL: 'kestra.local' })).toThrow(ConfigError);
  expect(() => optionalVar('KESTRA_URL', { KESTRA_URL: 'kestra.local' })).toThrow(/^KESTRA_URL must be an absolute URL.*\(got "kestra.local"\)$/);
});

test('a flag that is neither true nor false is refused, naming it', () => {
  expect(() => optionalVar('KESTRA_TESTING_MODE', { KESTRA_TESTING_MODE: 'maybe' })).toThrow(/^KESTRA_TESTING_MODE must be true or false \(got "maybe"\)$/);
});

test('a required variable that is missing says who needs it', () => {
  expect(() => requiredVar('KESTRA_URL', {})).toThrow(/^KESTRA_URL is not set — needed by remote target/);
  expect(requiredVar('KESTRA_URL', { KESTRA_URL: 'https://kestra.example' })).toBe('https://kestra.example');
});

test('asking for a variable the harness does not document is a programming error', () => {
  expect(() => optionalVar('NOT_A_HARNESS_VARIABLE', { NOT_A_HARNESS_VARIABLE: 'x' })).toThrow(/not a harness variable/);
});

test('the target defaults to local and must be one of the three', () => {
  expect(selectedTarget({})).toBe('local');
  expect(selectedTarget({ HARNESS_TARGET: 'remote' })).toBe('remote');
  expect(() => selectedTarget({ HARNESS_TARGET: 'staging' })).toThrow(/^HARNESS_TARGET must be local, container or remote/);
});

test('flags: true and 1 are on; anything else off', () => {
  expect([isTrue('true'), isTrue('1'), isTrue('false'), isTrue('0'), isTrue(undefined)]).toEqual([true, true, false, false, false]);
});

test('isolatedEnv: a CLI a spec spawns sees neither the developer\'s shell variables nor their .env', async () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'config-env-'));
  try {
    writeFileSync(join(dir, '.env'), 'NOTION_TOKEN=ntn_from_dotenv\nKESTRA_URL=https://from-dotenv.example\n');
    // tsx's loader in this node: one process per read (the tsx command starts two)
    const read = (env: NodeJS.ProcessEnv) =>
      promisify(execFile)(process.execPath, ['--import', pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href, '--input-type=module', '-e', `import { optionalVar } from ${JSON.stringify(join(root, 'helpers/config/env.ts'))}; console.log(JSON.stringify([optionalVar('NOTION_TOKEN'), optionalVar('KESTRA_URL'), optionalVar('RESEND_API_KEY')]))`], { cwd: dir, env, encoding: 'utf8' }).then((r) => r.stdout.trim());
    const developer: NodeJS.ProcessEnv = { ...process.env, RESEND_API_KEY: 're_from_shell' };
    delete developer.KESTRA_URL;
    delete developer.NOTION_TOKEN;
    // The three children run side by side (each is a node start with a TypeScript loader).
    const [plain, isolated, isolatedWithExtra] = await Promise.all([developer, isolatedEnv({}, developer), isolatedEnv({ KESTRA_URL: 'http://127.0.0.1:1' }, developer)].map(read));
    // Control: without isolation the child reads the shell variable and the .env.
    expect(plain).toBe('["ntn_from_dotenv","https://from-dotenv.example","re_from_shell"]');
    expect(isolated).toBe('[null,null,null]');
    expect(isolatedWithExtra).toBe('[null,"http://127.0.0.1:1",null]');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
