/**
 * helpers/tools/cli-launcher.mjs, the fast start of the TypeScript CLIs behind the npm scripts
 * (verify, report, gate, stack:local, funnel:probe, smoke:prod): the scripts and the launcher name the same
 * CLIs, an unknown one is refused in one line with exit 2, and a bundled CLI sees the argv it would
 * see under tsx. (Each CLI's own contract is proven by its spec, spawned through its npm script.)
 */
import { test, expect } from '../support/unit-test.js';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPOSITORY_ROOT } from '../../helpers/kestra-model/repository-flows.js';
import { isolatedEnv } from '../../helpers/config/isolated-env.js';
import { npmScriptArgs } from '../support/npm-script.js';

const LAUNCHER = join(REPOSITORY_ROOT, 'helpers', 'tools', 'cli-launcher.mjs');
const run = (args: string[]) =>
  promisify(execFile)(process.execPath, args, { cwd: REPOSITORY_ROOT, env: isolatedEnv() }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

test('every npm script that goes through the launcher names a CLI it starts, and it starts no other', () => {
  const { scripts } = JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const launched = Object.entries(scripts)
    .filter(([, line]) => line.includes('cli-launcher.mjs'))
    .map(([script]) => npmScriptArgs(script)[1])
    .sort();
  const known = /const CLIS = \{([^}]*)\}/.exec(readFileSync(LAUNCHER, 'utf8'))?.[1]?.match(/'?([\w-]+)'?: '/g)?.map((s) => s.replace(/['\s:]/g, '')).sort();
  expect(launched).toEqual(['funnel-probe', 'gate', 'report', 'smoke-prod', 'stack-local', 'verify']);
  expect(known).toEqual(launched);
});

test('an unknown CLI: exit 2, one line naming the ones it knows', async () => {
  const r = await run([LAUNCHER, 'lint']);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe('cli-launcher: unknown CLI "lint" — one of verify, report, gate, stack-local, smoke-prod, funnel-probe\n');
});

test('a bundled CLI gets its arguments as under tsx: a bad one is named, exit 2', async () => {
  const r = await run([LAUNCHER, 'gate', '--target', 'nowhere']);
  expect(r.code).toBe(2);
  expect(r.stderr).toBe('gate: --target must be one of local, container, remote (got "nowhere")\n');
});
