/**
 * The production smoke end to end on the embedded stand-in stack (the same code as
 * `npm run smoke:prod`, dependencies swapped): a first run passes and writes its expectations to
 * the ledger; days later a second run verifies them against Resend and cleans the first run's
 * identity up. Also: failed and missing emails, the clean-up's kill path (a recording fake Kestra),
 * the recipient guard before any call, the production opt-in, and alerting after N failed runs.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isolatedEnv } from '../../helpers/config/isolated-env.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '../support/unit-test.js';
import { smokeMain } from '../../helpers/tools/cli/smoke-prod.js';
import { repositoryFlows } from '../../helpers/kestra-model/repository-flows.js';
import { createKestraClient } from '../../helpers/clients/kestra/index.js';
import { cleanUpIdentity, CleanupRefusedError } from '../../helpers/tools/smoke/cleanup.js';
import { createKestraAdmin } from '../../helpers/clients/kestra/admin.js';
import { readLedger, writeLedger } from '../../helpers/tools/smoke/ledger.js';
import { localSmokeDeps, RecordingAgent } from '../../helpers/tools/smoke/local.js';
import { runSmoke } from '../../helpers/tools/smoke/run.js';
import { NotionReadBack } from '../../helpers/clients/notion/read-back.js';
import { testIdentityFor } from '../../helpers/spec/index.js';
import { startHttpServer, type RunningServer } from '../../helpers/standins/http/server.js';
import { startNotionStandin } from '../../helpers/standins/notion/index.js';
import { startLocalStack, type LocalStack } from '../../helpers/standins/stack.js';

const DAY = 24 * 3_600_000;
let dir: string;
let stack: LocalStack | undefined;
let servers: RunningServer[] = [];

test.beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'smoke-run-'));
});
test.afterEach(async () => {
  await stack?.stop();
  stack = undefined;
  await Promise.all(servers.map((s) => s.stop()));
  servers = [];
  rmSync(dir, { recursive: true, force: true });
});

test('night 1 passes and records 13 expectations; night 9 verifies them against Resend and cleans night 1 up', async () => {
  test.setTimeout(60_000);
  stack = await startLocalStack({ retryDelayScale: 0.01 });
  const { deps, target, requests } = localSmokeDeps(stack);
  const ledgerFile = join(dir, 'ledger.json');
  const first = testIdentityFor('smoke-night-1');

  const night1 = await runSmoke(deps, { runId: 'smoke-night-1', email: first, ledgerFile });
  expect(night1.checks.filter((c) => c.status !== 'passed').map((c) => `${c.id}: ${c.details.join(' | ')}`)).toEqual([]);
  expect(night1.checks.map((c) => c.id)).toEqual([
    'kestra.health', 'kestra.version', 'kestra.drift', 'notion.schema', 'ledger', 'webhook.signup', 'webhook.assessment', 'webhook.noshow', 'webhook.postcall', 'webhook.onboarding', 'cleanup',
  ]);
  expect(night1.ok).toBe(true);
  expect(night1.ledger).toMatchObject({ added: 13, pendingTotal: 13, due: 0 });
  const ledger1 = readLedger(ledgerFile);
  expect(ledger1.entries.map((e) => `${e.sequence}#${e.number}`)).toEqual(['5day#2', '5day#3', '5day#4', '5day#5', 'noshow#1', 'noshow#2', 'noshow#3', 'postcall#1', 'postcall#2', 'postcall#3', 'onboarding#1', 'onboarding#2', 'onboarding#3']);
  expect(ledger1.runs.map((r) => [r.email, r.cleanedAt])).toEqual([[first, undefined]]);
  // Its schedules stay alive for the ledger; nothing of it was trashed.
  expect(stack.kestra.executions({ flowId: 'send-email', state: 'CREATED' })).toHaveLength(13);
  expect(stack.notion.pages('contacts').filter((p) => p.Email === first)).toHaveLength(1);
  expect(requests().some((r) => r.method === 'DELETE' || /bulk/.test(r.path)), 'nothing deleted, no bulk endpoint').toBe(false);

  // Eight days later every email of night 1 has gone out.
  await target.clock.advance!(8 * DAY);
  const night9 = await runSmoke(deps, { runId: 'smoke-night-9', email: testIdentityFor('smoke-night-9'), ledgerFile });
  expect(night9.ok, night9.checks.map((c) => `${c.id} ${c.status} ${c.details[0]}`).join('\n')).toBe(true);
  expect(night9.ledger).toMatchObject({ due: 13, verified: 13, failed: 0, missing: 0, added: 13 });
  const ledger9 = readLedger(ledgerFile);
  expect(ledger9.entries.filter((e) => e.runId === 'smoke-night-1').every((e) => e.status === 'verified' && e.lastEvent === 'delivered' && e.resendId)).toBe(true);
  expect(ledger9.runs.find((r) => r.runId === 'smoke-night-1')?.cleanedAt).toBeDefined();
  expect(night9.checks.find((c) => c.id === 'cleanup')?.details[0]).toMatch(new RegExp(`^run smoke-night-1 .*: ${first.replace('+', '\\+')}: no scheduled email left; \\d+ Notion page\\(s\\) trashed$`));
  for (const db of ['contacts', 'tracker', 'analytics'] as const) {
    const pages = stack.notion.pages(db, { includeTrashed: true }).filter((p) => p.Email === first);
    expect(pages.length, `${db} pages of night 1`).toBeGreaterThan(0);
    expect(pages.every((p) => p.inTrash), `${db} pages of night 1 trashed`).toBe(true);
  }
  expect(stack.notion.pages('contacts').filter((p) => p.Email === testIdentityFor('smoke-night-9')), 'night 9 kept').toHaveLength(1);
});

test('--kill-scheduled (the gate\'s post-deploy smoke): the run cleans its own identity at once and records no expectation', async () => {
  test.setTimeout(60_000);
  stack = await startLocalStack({ retryDelayScale: 0.01 });
  const { deps, requests } = localSmokeDeps(stack);
  const ledgerFile = join(dir, 'ledger.json');
  const email = testIdentityFor('smoke-gate');
  const result = await runSmoke(deps, { runId: 'smoke-gate', email, ledgerFile, killScheduled: true, only: new Set(['webhooks', 'cleanup']), webhooks: ['signup', 'noshow'] });
  expect(result.ok, result.checks.map((c) => `${c.id} ${c.status} ${c.details[0]}`).join('\n')).toBe(true);
  expect(result.ledger).toMatchObject({ added: 0, pendingTotal: 0 });
  expect(readLedger(ledgerFile).runs).toEqual([expect.objectContaining({ runId: 'smoke-gate', email, cleanedAt: expect.any(String) })]);
  // One kill per scheduled send of this identity, each accepted (202) and the send KILLED.
  const kills = requests().filter((r) => r.method === 'DELETE');
  expect(kills.map((r) => r.path.replace(/executions\/[^/]+\/kill/, 'executions/<id>/kill'))).toEqual(Array(3).fill('/api/v1/main/executions/<id>/kill'));
  const killedIds = kills.map((r) => /executions\/([^/]+)\/kill/.exec(r.path)![1]!);
  expect(killedIds.map((id) => stack!.kestra.execution(id)?.state.current)).toEqual(Array(3).fill('KILLED'));
  expect(stack.notion.pages('contacts').filter((p) => p.Email === email), 'pages trashed').toEqual([]);
});

test('emails that failed or never went out turn the ledger check red, naming each one', async () => {
  test.setTimeout(60_000);
  stack = await startLocalStack({ retryDelayScale: 0.001 });
  const { deps, target } = localSmokeDeps(stack);
  const ledgerFile = join(dir, 'ledger.json');
  const email = testIdentityFor('smoke-bad');
  await runSmoke(deps, { runId: 'smoke-bad', email, ledgerFile, only: new Set(['webhooks']), webhooks: ['postcall'] });
  // An expectation no execution answers for, and every Resend send refused from now on.
  const ledger = readLedger(ledgerFile);
  writeLedger(ledgerFile, { ...ledger, entries: [...ledger.entries, { ...ledger.entries[0]!, executionId: 'does-not-exist', sequence: 'onboarding', number: 9, template: 'x' }] });
  stack.resend.injectFault({ route: 'sendEmail', kind: 500, times: 1_000 });
  await target.clock.advance!(8 * DAY);

  const result = await runSmoke(deps, { runId: 'smoke-check', email: testIdentityFor('smoke-check'), ledgerFile, only: new Set(['ledger']) });
  expect(result.ok).toBe(false);
  const check = result.checks.find((c) => c.id === 'ledger')!;
  expect(check.status).toBe('failed');
  expect(check.details[0]).toBe('4 due: 0 verified, 3 failed, 1 missing, 0 still pending');
  expect(check.details.filter((d) => d.startsWith('FAILED: postcall #')).every((d) => /send-email execution \S+ ended FAILED$/.test(d))).toBe(true);
  expect(check.details).toContain(`MISSING: onboarding #9 (x) to ${email}, due ${ledger.entries[0]!.dueAt}, execution does-not-exist — no Resend id: neither execution does-not-exist nor the tracker page names one`);
});

test('clean-up kills only the identity\'s scheduled sends, one by one, then trashes its pages; never another address', async () => {
  const identity = testIdentityFor('smoke-kill');
  const exec = (id: string, email: string) => ({
    id, namespace: 'christmas', flowId: 'send-email', state: { current: 'CREATED', histories: [{ state: 'CREATED', date: '2025-12-01T03:00:00Z' }] },
    scheduleDate: '2025-12-02T03:00:00Z', labels: [], inputs: { sequence_type: 'noshow', email_number: 2, template_name: 'noshow_recovery_email_2', recipient: { email } },
  });
  const calls: string[] = [];
  const kestra = await startHttpServer({
    name: 'fake Kestra',
    onCrash: () => {},
    handle: async (req, res) => {
      calls.push(`${req.method} ${req.url}`);
      const url = new URL(req.url!, 'http://x');
      if (req.method === 'GET' && url.pathname === '/api/v1/main/executions/search') {
        const results = [exec('e-1', identity), exec('e-2', 'lengobaosang+someone-else@gmail.com'), exec('e-3', identity.toUpperCase())];
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ results, total: results.length }));
      } else if (req.method === 'DELETE' && /^\/api\/v1\/main\/executions\/[^/]+\/kill$/.test(url.pathname)) {
        res.writeHead(202).end();
      } else {
        res.writeHead(404).end();
      }
    },
  });
  servers.push(kestra);
  const notion = await startNotionStandin({ rateLimit: false });
  servers.push(notion as unknown as RunningServer);
  notion.insertPage('contacts', { Name: 'Sang', Email: identity });
  notion.insertPage('contacts', { Name: 'Other', Email: 'lengobaosang+someone-else@gmail.com' });
  const deps = {
    kestra: createKestraClient({ baseUrl: kestra.url }),
    admin: createKestraAdmin({ baseUrl: kestra.url }),
    notion: new NotionReadBack({ token: notion.token, dataSourceIds: { ...notion.dataSourceIds }, baseUrl: notion.url }),
  };

  await expect(cleanUpIdentity('lengobaosang@gmail.com', deps)).rejects.toThrow(CleanupRefusedError);
  await expect(cleanUpIdentity('delivered@resend.dev', deps)).rejects.toThrow(/refusing to clean up "delivered@resend.dev"/);
  expect(calls, 'refused before any call').toEqual([]);

  const outcome = await cleanUpIdentity(identity, deps);
  expect(outcome.killed).toEqual([{ executionId: 'e-1', outcome: 'requested' }, { executionId: 'e-3', outcome: 'requested' }]);
  expect(calls.filter((c) => c.startsWith('DELETE'))).toEqual(['DELETE /api/v1/main/executions/e-1/kill', 'DELETE /api/v1/main/executions/e-3/kill']);
  expect(outcome.trashedPages).toBe(1);
  expect(notion.pages('contacts').map((p) => p.Email)).toEqual(['lengobaosang+someone-else@gmail.com']);
});

test('the recipient guard refuses a non-test address before any call', async () => {
  stack = await startLocalStack({ retryDelayScale: 0.01 });
  const { deps, requests } = localSmokeDeps(stack);
  await expect(runSmoke(deps, { runId: 'smoke-x', email: 'customer@example.com', ledgerFile: join(dir, 'l.json') })).rejects.toThrow(
    'smoke: refusing recipient "customer@example.com" — only lengobaosang@gmail.com (optionally +tag) and Resend\'s test addresses are allowed',
  );
  expect(requests()).toEqual([]);
  expect(stack.notion.requests()).toEqual([]);
  expect(stack.kestra.executions()).toEqual([]);
});

test('smoke:prod refuses to start without --production, or for a non-test --email: exit 2, one line, nothing built or called', async () => {
  let built = 0;
  const io = (err: string[]) => ({
    env: { SMOKE_LEDGER_FILE: join(dir, 'l.json'), SMOKE_ALERT_STATE_FILE: join(dir, 's.json'), SMOKE_ALERT_WEBHOOK_URL: '', SMOKE_ALERT_AFTER: '' },
    out: () => {},
    err: (l: string) => err.push(l),
    deps: async () => {
      built += 1;
      throw new Error('must not be called');
    },
  });
  const e1: string[] = [];
  expect(await smokeMain([], io(e1))).toBe(2);
  expect(e1).toEqual(['smoke:prod: refusing to run against production without --production']);
  const e2: string[] = [];
  expect(await smokeMain(['--production', '--email', 'customer@example.com'], io(e2))).toBe(2);
  expect(e2).toEqual(['smoke:prod: --email: refusing recipient "customer@example.com" — only lengobaosang@gmail.com (optionally +tag) and Resend\'s test addresses are allowed']);
  const e3: string[] = [];
  expect(await smokeMain(['--production', '--email', 'lengobaosang@gmail.com'], io(e3))).toBe(2);
  expect(e3[0]).toMatch(/^smoke:prod: clean-up only handles plus-addressed identities/);
  const e4: string[] = [];
  expect(await smokeMain(['--production', '--only', 'kestra,moon'], io(e4))).toBe(2);
  expect(e4).toEqual(['smoke:prod: --only takes kestra, notion, ledger, webhooks, website, cleanup (got "moon")']);
  expect(built).toBe(0);
});

test('smoke:prod alerts only after SMOKE_ALERT_AFTER consecutive failed runs; exit 1 while failing, report redacted', async () => {
  test.setTimeout(60_000);
  stack = await startLocalStack({ retryDelayScale: 0.01 });
  // Production drifted: a flow edited in place.
  const flow = repositoryFlows().find((f) => f.id === 'health-check')!;
  stack.kestra.deploy(flow.source.replace('maxAttempts: 3', 'maxAttempts: 4'));
  const alerts: string[] = [];
  const hook = await startHttpServer({
    name: 'alert hook',
    onCrash: () => {},
    handle: async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      alerts.push((JSON.parse(Buffer.concat(chunks).toString()) as { text: string }).text);
      res.writeHead(200).end();
    },
  });
  servers.push(hook);
  const live = stack;
  const env = {
    SMOKE_LEDGER_FILE: join(dir, 'ledger.json'), SMOKE_ALERT_STATE_FILE: join(dir, 'alert.json'), SMOKE_ALERT_WEBHOOK_URL: `${hook.url}/hook`, SMOKE_ALERT_AFTER: '2',
    GITHUB_SERVER_URL: '', GITHUB_REPOSITORY: '', GITHUB_RUN_ID: '',
  };
  const night = async (n: number) => {
    const out: string[] = [];
    const err: string[] = [];
    const reportFile = join(dir, `report-${n}.json`);
    const code = await smokeMain(['--production', '--only', 'kestra', '--run-id', `smoke-n${n}`], {
      env, out: (l) => out.push(l), err: (l) => err.push(l), reportFile, allureDir: join(dir, `allure-${n}`), deps: async (_env, log) => localSmokeDeps(live, { log }).deps,
    });
    return { code, out, err, report: readFileSync(reportFile, 'utf8') };
  };

  const n1 = await night(1);
  expect(n1.code).toBe(1);
  expect(alerts).toEqual([]);
  expect(n1.out).toContain('1 consecutive failed run(s); alerting after 2');
  expect(n1.err.at(-1)).toBe('smoke:prod: failed checks: kestra.drift — see reports/smoke-report.json');
  expect(n1.out.join('\n'), 'the diff is shown').toMatch(/\n +- +maxAttempts: 3\n +\+ +maxAttempts: 4\n/);
  const n2 = await night(2);
  expect(n2.code).toBe(1);
  expect(alerts).toEqual(['Kestra campaign production smoke failed 2 runs in a row (latest smoke-n2): kestra.drift']);
  expect(n2.out).toContain('alert sent after 2 consecutive failed runs');
  await night(3);
  expect(alerts, 'one alert per streak').toHaveLength(1);

  const report = JSON.parse(n2.report) as { ok: boolean; runId: string; checks: { id: string; status: string }[] };
  expect(report).toMatchObject({ ok: false, runId: 'smoke-n2' });
  expect(report.checks.map((c) => [c.id, c.status])).toEqual([['kestra.health', 'passed'], ['kestra.version', 'passed'], ['kestra.drift', 'failed']]);
  for (const secret of [...Object.values(live.webhookKeys), live.notion.token, live.resend.apiKey]) expect(n2.report).not.toContain(secret);
  // One Allure result per check, for `npm run report -- --env prod`.
  const allure = readdirSync(join(dir, 'allure-2')).filter((f) => f.endsWith('-result.json')).map((f) => JSON.parse(readFileSync(join(dir, 'allure-2', f), 'utf8')) as { fullName: string; status: string; statusDetails: { message?: string } });
  expect(allure.map((r) => [r.fullName, r.status]).sort()).toEqual([['production smoke: kestra.drift', 'failed'], ['production smoke: kestra.health', 'passed'], ['production smoke: kestra.version', 'passed']]);
  expect(allure.find((r) => r.status === 'failed')?.statusDetails.message).toBe('failed: christmas.health-check differs from kestra/flows/christmas/health-check.yml (deployed revision 2):');

  // Fixed: the next night passes and the streak is over.
  live.kestra.deploy(flow.source);
  const fixed = await night(4);
  expect(fixed.code).toBe(0);
  expect(JSON.parse(readFileSync(join(dir, 'alert.json'), 'utf8'))).toMatchObject({ consecutiveFailures: 0, lastOk: true });
});

test('RecordingAgent records without changing the answers', async () => {
  const agent = new RecordingAgent();
  const server = await startHttpServer({ name: 'echo', onCrash: () => {}, handle: async (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('pong') });
  servers.push(server);
  const res = await fetch(`${server.url}/ping?x=1`, { dispatcher: agent } as RequestInit);
  expect(await res.text()).toBe('pong');
  expect(agent.recorded).toEqual([{ method: 'GET', origin: server.url, path: '/ping?x=1' }]);
  writeFileSync(join(dir, 'x'), '');
});

test('smoke:prod names every missing variable at once, stops in seconds on an unreachable Kestra, and never reports stale results as prod', async () => {
  const allureDir = join(dir, 'allure-results');
  const stale = () => {
    mkdirSync(allureDir, { recursive: true });
    writeFileSync(join(allureDir, 'local-e2e-result.json'), '{}');
  };
  stale();
  const err: string[] = [];
  const io = (env: NodeJS.ProcessEnv) => ({ env, out: () => {}, err: (l: string) => err.push(l), allureDir, reportFile: join(dir, 'report.json') });
  expect(await smokeMain(['--production', '--no-alert'], io(isolatedEnv()))).toBe(2);
  expect(err).toEqual([
    'smoke:prod: smoke:prod needs KESTRA_URL, KESTRA_USERNAME, KESTRA_PASSWORD, KESTRA_WEBHOOK_KEY_SIGNUP, KESTRA_WEBHOOK_KEY_ASSESSMENT, KESTRA_WEBHOOK_KEY_NOSHOW, KESTRA_WEBHOOK_KEY_POSTCALL, KESTRA_WEBHOOK_KEY_ONBOARDING, NOTION_TOKEN, NOTION_CONTACTS_DATA_SOURCE_ID, NOTION_TEMPLATES_DATA_SOURCE_ID, NOTION_TRACKER_DATA_SOURCE_ID, NOTION_ANALYTICS_DATA_SOURCE_ID, RESEND_API_KEY — not set; see .env.example',
  ]);
  err.length = 0;
  expect(await smokeMain(['--production', '--no-alert', '--only', 'kestra'], io(isolatedEnv({ KESTRA_URL: 'https://kestra.example' })))).toBe(2);
  expect(err).toEqual(['smoke:prod: smoke:prod needs KESTRA_USERNAME, KESTRA_PASSWORD — not set; see .env.example']);

  // Everything set, Kestra not there: exit 2 with one line, and the stale local results are gone.
  const closed = await startHttpServer({ name: 'closed', handle: async () => {}, onCrash: () => {} });
  const url = closed.url;
  await closed.stop();
  err.length = 0;
  const t0 = Date.now();
  expect(await smokeMain(['--production', '--no-alert', '--only', 'kestra'], io(isolatedEnv({ KESTRA_URL: url, KESTRA_USERNAME: 'qa@example.com', KESTRA_PASSWORD: 'pw' })))).toBe(2);
  expect(err).toEqual([`smoke:prod: KESTRA_URL ${url} is unreachable (GET /api/v1/configs: ECONNREFUSED)`]);
  expect(Date.now() - t0).toBeLessThan(6_000); // the probe's own 5 s bound, not a speed target
  expect(existsSync(join(allureDir, 'local-e2e-result.json')), 'the local e2e results were removed').toBe(false);
});

test('once kestra.health fails, drift, webhooks and clean-up are skipped, saying why — not run against a dead server', async () => {
  test.setTimeout(60_000);
  stack = await startLocalStack({ retryDelayScale: 0.01 });
  const { deps, requests } = localSmokeDeps(stack);
  await stack.kestra.stop();
  const result = await runSmoke(deps, { runId: 'smoke-down', email: testIdentityFor('smoke-down'), ledgerFile: join(dir, 'ledger.json'), only: new Set(['kestra', 'webhooks', 'cleanup']), webhooks: ['signup'] });
  expect(result.ok).toBe(false);
  expect(result.checks.map((c) => [c.id, c.status])).toEqual([['kestra.health', 'failed'], ['kestra.version', 'skipped'], ['kestra.drift', 'skipped'], ['webhook.signup', 'skipped'], ['cleanup', 'skipped']]);
  expect(result.checks.find((c) => c.id === 'cleanup')?.details[0]).toMatch(/^Kestra is not up \(kestra\.health: /);
  expect(requests().filter((r) => !/\/health|\/configs|\/ping/.test(r.path)).map((r) => r.path)).toEqual([]);
});
