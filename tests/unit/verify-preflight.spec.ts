/**
 * `npm run verify` decides before anything runs whether the target can run (issue 15 items 2–4):
 * every variable the remote target needs is named at once, KESTRA_URL must answer as a Kestra and
 * take the credentials within seconds, `--target` needs a value, and a step that did not run says
 * "not run" — never "passed" or "failed".
 */
import { test, expect } from '../support/unit-test.js';
import { createServer } from 'node:net';
import { parseVerifyArgs } from '../../helpers/tools/cli/verify.js';
import { targetPreflight } from '../../helpers/tools/verify/preflight.js';
import { summarize, summaryTable } from '../../helpers/tools/verify/summary.js';
import { startKestraStandin, KESTRA_STANDIN_DEFAULT_AUTH } from '../../helpers/standins/kestra/index.js';
import { startHttpServer } from '../../helpers/standins/http/server.js';
import { isolatedEnv } from '../../helpers/config/isolated-env.js';

const KEYS = { KESTRA_WEBHOOK_KEY_SIGNUP: 'k1', KESTRA_WEBHOOK_KEY_ASSESSMENT: 'k2', KESTRA_WEBHOOK_KEY_NOSHOW: 'k3', KESTRA_WEBHOOK_KEY_POSTCALL: 'k4', KESTRA_WEBHOOK_KEY_ONBOARDING: 'k5' };
const remoteEnv = (extra: NodeJS.ProcessEnv) => isolatedEnv({ KESTRA_USERNAME: KESTRA_STANDIN_DEFAULT_AUTH.username, KESTRA_PASSWORD: KESTRA_STANDIN_DEFAULT_AUTH.password, ...KEYS, ...extra });

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('remote: every missing variable is named in one line, the Notion ids only once NOTION_TOKEN is set', async () => {
  expect(await targetPreflight('remote', isolatedEnv())).toBe(
    'the remote target needs KESTRA_URL, KESTRA_USERNAME, KESTRA_PASSWORD, KESTRA_WEBHOOK_KEY_SIGNUP, KESTRA_WEBHOOK_KEY_ASSESSMENT, KESTRA_WEBHOOK_KEY_NOSHOW, KESTRA_WEBHOOK_KEY_POSTCALL, KESTRA_WEBHOOK_KEY_ONBOARDING — not set; see .env.example',
  );
  expect(await targetPreflight('remote', remoteEnv({ KESTRA_URL: 'http://127.0.0.1:1', KESTRA_WEBHOOK_KEY_NOSHOW: '', NOTION_TOKEN: 'ntn_x', NOTION_TRACKER_DATA_SOURCE_ID: 'ds' }))).toBe(
    'the remote target needs KESTRA_WEBHOOK_KEY_NOSHOW, NOTION_CONTACTS_DATA_SOURCE_ID, NOTION_TEMPLATES_DATA_SOURCE_ID, NOTION_ANALYTICS_DATA_SOURCE_ID — not set; see .env.example',
  );
  expect(await targetPreflight('remote', remoteEnv({ KESTRA_URL: 'kestra.example' }))).toMatch(/^KESTRA_URL must be an absolute URL/);
  expect(await targetPreflight('local', isolatedEnv())).toBeNull();
});

test('remote: an unreachable KESTRA_URL, a server that is not Kestra, refused credentials — one line each, in seconds', async () => {
  const port = await closedPort();
  const t0 = Date.now();
  expect(await targetPreflight('remote', remoteEnv({ KESTRA_URL: `http://127.0.0.1:${port}` }))).toBe(`KESTRA_URL http://127.0.0.1:${port} is unreachable (GET /api/v1/configs: ECONNREFUSED)`);
  expect(Date.now() - t0).toBeLessThan(5_000 + 1_000); // bounded by the probe's own timeout, not a speed target

  const notKestra = await startHttpServer({ name: 'not a Kestra', handle: async (_req, res) => { res.writeHead(404); res.end(); }, onCrash: (res) => res.end() });
  const kestra = await startKestraStandin({ flows: [] });
  try {
    expect(await targetPreflight('remote', remoteEnv({ KESTRA_URL: notKestra.url }))).toBe(`KESTRA_URL ${notKestra.url} does not answer as a Kestra (GET /api/v1/configs: 404)`);
    expect(await targetPreflight('remote', remoteEnv({ KESTRA_URL: kestra.url, KESTRA_PASSWORD: 'wrong' }))).toBe(`KESTRA_USERNAME / KESTRA_PASSWORD refused by ${kestra.url} (GET /api/v1/main/flows/search: 401)`);
    expect(await targetPreflight('remote', remoteEnv({ KESTRA_URL: kestra.url }))).toBeNull();
  } finally {
    await Promise.all([notKestra.stop(), kestra.stop()]);
  }
});

test('--target needs a value; the value must be a target; HARNESS_TARGET is the default', () => {
  expect(() => parseVerifyArgs(['--target'], {})).toThrow(/^--target needs a value: local, container, remote/);
  expect(() => parseVerifyArgs(['--target', '--help'], {})).toThrow(/^--target needs a value/);
  expect(() => parseVerifyArgs(['--target', 'staging'], {})).toThrow('--target must be one of local, container, remote (got "staging")');
  expect(parseVerifyArgs(['--target', 'remote'], {})).toEqual({ help: false, target: 'remote' });
  expect(parseVerifyArgs([], { HARNESS_TARGET: 'container' })).toEqual({ help: false, target: 'container' });
  expect(parseVerifyArgs([], {})).toEqual({ help: false, target: 'local' });
});

test('a step that did not run is "not run", in the JSON and in the table', () => {
  const { summary, rows } = summarize('local', [], 'failed', 'not run', 10, 'lint failed');
  expect(summary).toMatchObject({ ok: false, lint: 'failed', specs: 'not run', notRunReason: 'lint failed' });
  expect(summaryTable(rows).split('\n').slice(2).map((l) => l.trim().split(/\s+/).slice(-2).join(' '))).toEqual(Array(5).fill('not run'));
  const ran = summarize('local', [{ name: 'signup', executionId: 'e1', state: 'SUCCESS', emailsScheduled: 0, emailsSent: 0, notionChecks: 'passed', durationMs: 5, ok: true }], 'passed', 'passed', 10);
  expect(ran.summary.ok).toBe(false); // four webhooks have no record
  expect(ran.summary.webhooks[0]).toMatchObject({ name: 'signup', ok: true });
});
