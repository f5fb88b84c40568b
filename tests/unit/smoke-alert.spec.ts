/**
 * Alerting (helpers/tools/smoke/alert.ts): the webhook is called only when N consecutive runs have
 * failed — once per streak — and a passing run resets the count. A real HTTP receiver on
 * loopback stands in for the chat webhook.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '../support/unit-test.js';
import { handleAlerting, initialAlertState, nextAlertState, postAlert, readAlertState, shouldAlert } from '../../helpers/tools/smoke/alert.js';
import { startHttpServer, type RunningServer } from '../../helpers/standins/http/server.js';

interface Receiver {
  server: RunningServer;
  bodies: unknown[];
  status: number;
}

async function receiver(): Promise<Receiver> {
  const r: Receiver = { server: undefined as unknown as RunningServer, bodies: [], status: 200 };
  r.server = await startHttpServer({
    name: 'alert receiver',
    onCrash: () => {},
    handle: async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      r.bodies.push({ method: req.method, path: req.url, contentType: req.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(r.status).end('ok');
    },
  });
  return r;
}

let dir: string;
let hook: Receiver;
test.beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'smoke-alert-'));
  hook = await receiver();
});
test.afterEach(async () => {
  await hook.server.stop();
  rmSync(dir, { recursive: true, force: true });
});

const night = (n: number) => new Date(Date.UTC(2025, 11, n, 3, 17));

async function runNight(n: number, ok: boolean, after = 2) {
  return handleAlerting({
    stateFile: join(dir, 'state.json'), url: `${hook.server.url}/services/T000/B000/SECRETPATH`, after, ok, runId: `smoke-${n}`, at: night(n),
    text: (s) => `smoke failed ${s.consecutiveFailures} runs in a row`,
  });
}

test('fail, fail → one alert on the second failure; a third failure does not alert again; success resets', async () => {
  expect((await runNight(1, false)).alerted).toBe(false);
  expect(hook.bodies).toEqual([]);
  const second = await runNight(2, false);
  expect(second.alerted).toBe(true);
  expect(hook.bodies).toEqual([{ method: 'POST', path: '/services/T000/B000/SECRETPATH', contentType: 'application/json', body: { text: 'smoke failed 2 runs in a row' } }]);
  expect((await runNight(3, false)).alerted).toBe(false);
  expect(hook.bodies).toHaveLength(1);
  const ok = await runNight(4, true);
  expect(ok.state).toEqual({ consecutiveFailures: 0, lastRunId: 'smoke-4', lastRunAt: night(4).toISOString(), lastOk: true });
  expect((await runNight(5, false)).alerted, 'a new streak starts from one').toBe(false);
  expect(hook.bodies).toHaveLength(1);
});

test('failures separated by a success never alert with N = 2', async () => {
  for (const [n, ok] of [[1, false], [2, true], [3, false], [4, true], [5, false]] as const) await runNight(n, ok);
  expect(hook.bodies).toEqual([]);
});

test('N = 1 alerts on the first failure; a failed POST is reported (URL path hidden) and retried by the next failed run', async () => {
  hook.status = 500;
  const first = await runNight(1, false, 1);
  expect(first.alerted).toBe(false);
  expect(first.error).toBe(`alert webhook ${hook.server.url}/… answered HTTP 500`);
  expect(first.error).not.toContain('SECRETPATH');
  hook.status = 200;
  const second = await runNight(2, false, 1);
  expect(second.alerted).toBe(true);
  expect(hook.bodies).toHaveLength(2);
});

test('without a URL the streak is still counted; a damaged state file starts the count again', async () => {
  const file = join(dir, 'state.json');
  const outcome = await handleAlerting({ stateFile: file, url: undefined, after: 1, ok: false, runId: 'r', at: night(1), text: () => 'x' });
  expect(outcome).toMatchObject({ alerted: false, state: { consecutiveFailures: 1, lastOk: false } });
  writeFileSync(file, '{oops');
  expect(readAlertState(file)).toEqual(initialAlertState());
  expect(shouldAlert(nextAlertState(initialAlertState(), { ok: false, runId: 'r', at: night(1) }), 2)).toBe(false);
  await expect(postAlert('http://127.0.0.1:9/hook', 'x', { timeoutMs: 2_000 })).rejects.toThrow(/^alert webhook http:\/\/127\.0\.0\.1:9\/… failed: /);
});
