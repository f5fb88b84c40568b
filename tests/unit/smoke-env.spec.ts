/**
 * `npm run stack:local -- --smoke-env FILE` writes the environment smoke:prod reads, so the
 * production smoke runs offline against the stand-ins (issue 12 item 11): every variable it needs
 * is there, points at the stack, and survives the shell that sources the file.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '../support/unit-test.js';
import { parseStackArgs } from '../../helpers/tools/cli/stack-local.js';
import { createKestraAdmin } from '../../helpers/clients/kestra/admin.js';
import { checkNotionSchemas, notionClient } from '../../helpers/tools/smoke/notion-schema.js';
import { NOTION_DATABASE_KEYS, WEBHOOK_NAMES } from '../../helpers/spec/index.js';
import { envFileText, smokeEnvFor, writeSmokeEnvFile } from '../../helpers/standins/smoke-env.js';
import { startLocalStack } from '../../helpers/standins/stack.js';

test('the smoke environment of a stack names its Kestra, Notion and Resend, and the smoke\'s own clients work with it', async () => {
  const stack = await startLocalStack({ retryDelayScale: 0.01 });
  const dir = mkdtempSync(join(tmpdir(), 'smoke-env-'));
  try {
    const env = smokeEnvFor(stack);
    expect(env.KESTRA_URL).toBe(stack.kestra.url);
    expect(env.NOTION_API_URL).toBe(stack.notion.url);
    expect(env.RESEND_API_URL).toBe(stack.resend.url);
    for (const w of WEBHOOK_NAMES) expect(env[`KESTRA_WEBHOOK_KEY_${w.toUpperCase()}`]).toBe(stack.webhookKeys[w]);
    for (const k of NOTION_DATABASE_KEYS) expect(env[`NOTION_${k.toUpperCase()}_DATA_SOURCE_ID`]).toBe(stack.notion.dataSourceIds[k]);

    const admin = createKestraAdmin({ baseUrl: env.KESTRA_URL!, auth: { username: env.KESTRA_USERNAME!, password: env.KESTRA_PASSWORD! } });
    expect((await admin.distinctNamespaces(''))?.length).toBeGreaterThan(0);
    const ids = Object.fromEntries(NOTION_DATABASE_KEYS.map((k) => [k, env[`NOTION_${k.toUpperCase()}_DATA_SOURCE_ID`]!])) as Record<(typeof NOTION_DATABASE_KEYS)[number], string>;
    const schema = await checkNotionSchemas(notionClient({ token: env.NOTION_TOKEN!, baseUrl: env.NOTION_API_URL! }), ids);
    expect(schema.findings).toEqual([]);

    const file = join(dir, 'stack.env');
    writeSmokeEnvFile(stack, file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const sourced = execFileSync('sh', ['-c', `set -a; . "${file}"; set +a; env`], { encoding: 'utf8', env: {} });
    for (const [k, v] of Object.entries(env)) expect(sourced).toContain(`${k}=${v}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await stack.stop();
  }
});

test('envFileText quotes values a shell would otherwise split or expand', () => {
  const text = envFileText({ A: "it's $HOME `x` a b" });
  expect(execFileSync('sh', ['-c', `${text.trim()}; printf %s "$A"`], { encoding: 'utf8', env: {} })).toBe("it's $HOME `x` a b");
});

test('stack:local takes --smoke-env PATH and refuses it without a value', () => {
  expect(parseStackArgs(['--smoke-env', '/tmp/x.env'])).toMatchObject({ envFile: '/tmp/x.env' });
  expect(() => parseStackArgs(['--smoke-env'])).toThrow(/--smoke-env needs a value/);
});
