/**
 * The Dokploy client (helpers/clients/dokploy) over real HTTP against the Dokploy stand-in: it lists the
 * compose's deployments, triggers compose.deploy once, follows the NEW deployment until done,
 * and fails with one readable line — naming the deployment — on error, timeout, a refused key or
 * an unexpected answer. The API key never appears in an error.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '../support/unit-test.js';
import {
  createDokployClient, DeploymentSchema, DokployDeploymentFailedError, DokployHttpError, DokployResponseShapeError, DokployTimeoutError,
  DokployUsageError, type DokployProgress,
} from '../../helpers/clients/dokploy/index.js';
import { startDokployStandin, type DokployStandin } from '../../helpers/standins/dokploy/index.js';
import { startHttpServer } from '../../helpers/standins/http/server.js';

const FAST = { pollIntervalMs: 10, timeoutMs: 2_000, appearTimeoutMs: 500 };
let standins: DokployStandin[] = [];

async function standin(options: Parameters<typeof startDokployStandin>[0] = {}) {
  const s = await startDokployStandin(options);
  standins.push(s);
  return s;
}

test.afterEach(async () => {
  await Promise.all(standins.map((s) => s.stop()));
  standins = [];
});

test('deployAndWait triggers compose.deploy once and follows the new deployment running → done', async () => {
  const dokploy = await standin({ outcome: 'done', runningPolls: 2 });
  const client = createDokployClient({ baseUrl: dokploy.url, apiKey: dokploy.apiKey });
  const events: DokployProgress[] = [];
  const done = await client.deployAndWait(dokploy.composeId, { ...FAST, title: 'harness gate abc123', onProgress: (e) => events.push(e) });

  expect(done.deployment.deploymentId).toBe('dpl_standin_0001');
  expect(done.deployment.status).toBe('done');
  const requests = dokploy.requests();
  expect(requests.every((r) => r.apiKey === 'valid'), 'x-api-key on every request').toBe(true);
  const posts = requests.filter((r) => r.method === 'POST');
  expect(posts).toEqual([{ method: 'POST', path: '/api/compose.deploy', query: {}, apiKey: 'valid', body: { composeId: dokploy.composeId, title: 'harness gate abc123' } }]);
  const gets = requests.filter((r) => r.method === 'GET');
  expect(gets.length, 'one list before the trigger, then polls until done').toBeGreaterThanOrEqual(4);
  expect(gets.every((r) => r.path === '/api/deployment.allByCompose' && r.query.composeId === dokploy.composeId)).toBe(true);
  expect(requests[0]!.method, 'the deployments are listed BEFORE the trigger').toBe('GET');
  expect(events.filter((e) => e.type === 'deployment').map((e) => (e as { status: string }).status)).toEqual(['running', 'running', 'done']);
});

test('a deployment that ends in error is one line naming the deployment and Dokploy\'s error message', async () => {
  const dokploy = await standin({ outcome: 'error', errorMessage: 'service "kestra" exited with code 1' });
  const client = createDokployClient({ baseUrl: dokploy.url, apiKey: dokploy.apiKey });
  const error = await client.deployAndWait(dokploy.composeId, FAST).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DokployDeploymentFailedError);
  expect((error as Error).message).toBe(`Dokploy deployment dpl_standin_0001 of compose ${dokploy.composeId} ended with status "error" (Manual deployment): service "kestra" exited with code 1`);
  expect((error as Error).message).not.toContain('\n');
});

test('a deployment still running at the deadline is a timeout naming it and its last status', async () => {
  const dokploy = await standin({ outcome: 'hang' });
  const client = createDokployClient({ baseUrl: dokploy.url, apiKey: dokploy.apiKey });
  const started = Date.now();
  const error = await client.deployAndWait(dokploy.composeId, { pollIntervalMs: 10, timeoutMs: 300 }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DokployTimeoutError);
  expect((error as Error).message).toBe(`Dokploy deployment dpl_standin_0001 of compose ${dokploy.composeId} still "running" after 0 s — timed out`);
  expect((error as DokployTimeoutError).deploymentId).toBe('dpl_standin_0001');
  expect(Date.now() - started).toBeLessThan(2_000);
});

test('a deploy that never shows up as a deployment times out with its own message', async () => {
  const dokploy = await standin({ outcome: 'never-appears' });
  const client = createDokployClient({ baseUrl: dokploy.url, apiKey: dokploy.apiKey });
  const error = await client.deployAndWait(dokploy.composeId, { pollIntervalMs: 10, timeoutMs: 5_000, appearTimeoutMs: 200 }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DokployTimeoutError);
  expect((error as Error).message).toMatch(/^no new deployment of compose cmp_kestra_campaign appeared within 0 s of compose\.deploy/);
});

test('a refused API key is one line with a hint, never the key itself; nothing is deployed', async () => {
  const dokploy = await standin();
  const wrongKey = 'dokploy_WRONG_secret_value';
  const client = createDokployClient({ baseUrl: dokploy.url, apiKey: wrongKey });
  const error = await client.deployAndWait(dokploy.composeId, FAST).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DokployHttpError);
  expect((error as DokployHttpError).status).toBe(401);
  expect((error as Error).message).toBe(`GET ${dokploy.url}/api/deployment.allByCompose?composeId=cmp_kestra_campaign → HTTP 401: Unauthorized — check DOKPLOY_API_KEY (sent as x-api-key) and that its user may deploy this compose`);
  expect((error as Error).message).not.toContain(wrongKey);
  expect(dokploy.requests().filter((r) => r.method === 'POST')).toEqual([]);
});

test('an unknown compose id is a 404 naming the variables to check', async () => {
  const dokploy = await standin();
  const client = createDokployClient({ baseUrl: `${dokploy.url}/api/`, apiKey: dokploy.apiKey });
  const error = await client.deployCompose('cmp_does_not_exist').catch((e: unknown) => e);
  expect((error as Error).message).toBe(`POST ${dokploy.url}/api/compose.deploy → HTTP 404: Compose not found — check DOKPLOY_URL (the panel URL; the API lives under /api) and DOKPLOY_COMPOSE_ID`);
});

test('GETs are retried on 5xx, compose.deploy never is (a retry could deploy twice)', async () => {
  const dokploy = await standin({ failWith: 503 });
  const client = createDokployClient({ baseUrl: dokploy.url, apiKey: dokploy.apiKey, sleep: async () => {} });
  await expect(client.deploymentsByCompose(dokploy.composeId)).rejects.toThrow(/HTTP 503/);
  expect(dokploy.requests().length).toBe(3);
  await expect(client.deployCompose(dokploy.composeId)).rejects.toThrow(/POST .*compose\.deploy → HTTP 503/);
  expect(dokploy.requests().filter((r) => r.method === 'POST').length).toBe(1);
});

test('an answer that is not a deployment list is a shape error naming the field', async () => {
  const server = await startHttpServer({
    name: 'odd Dokploy',
    onCrash: () => {},
    handle: async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify([{ deploymentId: 'dpl_1', status: 'running' }]));
    },
  });
  try {
    const client = createDokployClient({ baseUrl: server.url, apiKey: 'k' });
    const error = await client.deploymentsByCompose('cmp_1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DokployResponseShapeError);
    expect((error as Error).message).toBe('GET /api/deployment.allByCompose: unexpected answer — 0.createdAt Invalid input: expected string, received undefined');
  } finally {
    await server.stop();
  }
});

test('the fixture of deployment.allByCompose parses; ids and URLs are checked before any call', () => {
  const rows = JSON.parse(readFileSync(new URL('../../fixtures/dokploy/deployments-by-compose.json', import.meta.url), 'utf8')) as unknown[];
  const parsed = rows.map((r) => DeploymentSchema.parse(r));
  expect(parsed.map((d) => [d.deploymentId, d.status])).toEqual([['dpl_previous_0001', 'done'], ['dpl_older_0000', 'error']]);
  expect(() => createDokployClient({ baseUrl: 'ftp://x', apiKey: 'k' })).toThrow(DokployUsageError);
  expect(() => createDokployClient({ baseUrl: 'https://x', apiKey: '' })).toThrow('Dokploy API key is empty');
  const client = createDokployClient({ baseUrl: 'https://user:pw@dokploy.example.com/api', apiKey: 'dokploy_realistic_key_123' });
  expect(client.baseUrl).toBe('https://dokploy.example.com');
  return expect(client.deployCompose('../etc')).rejects.toThrow('compose id must be a Dokploy id');
});

// Dokploy v0.30.2, packages/server/src/db/schema/deployment.ts: deploymentStatus is
// running | done | error | cancelled (cancelled since v0.25.4). A cancelled deployment is not a success.
test('a deployment cancelled in Dokploy fails the wait, naming the status', async () => {
  const dokploy = await standin({ outcome: 'cancelled' });
  const client = createDokployClient({ baseUrl: dokploy.url, apiKey: dokploy.apiKey });
  const error = await client.deployAndWait(dokploy.composeId, FAST).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DokployDeploymentFailedError);
  expect((error as DokployDeploymentFailedError).status).toBe('cancelled');
  expect((error as Error).message).toBe(`Dokploy deployment dpl_standin_0001 of compose ${dokploy.composeId} ended with status "cancelled" (Manual deployment) — see its log in the Dokploy panel`);
});

// Dokploy v0.30.2: deployment.allByCompose is `findMany where composeId = …` (packages/server/src/services/deployment.ts),
// so an unknown compose is 200 [] — not 404 — for an owner/admin key.
test('deployment.allByCompose of an unknown compose is 200 [], and the known one lists its deployments', async () => {
  const dokploy = await standin();
  const client = createDokployClient({ baseUrl: dokploy.url, apiKey: dokploy.apiKey });
  expect(await client.deploymentsByCompose('cmp_does_not_exist')).toEqual([]);
  expect((await client.deploymentsByCompose(dokploy.composeId)).length).toBeGreaterThan(0);
});

// Dokploy v0.30.2 apps/dokploy/pages/api/[...trpc].ts: a request without a valid session or API key is
// answered `res.status(401).json({ message: "Unauthorized" })` before tRPC — no `code` field.
test('a refused API key answers 401 {message: "Unauthorized"} with no code', async () => {
  const dokploy = await standin();
  const res = await fetch(`${dokploy.url}/api/deployment.allByCompose?composeId=${dokploy.composeId}`, { headers: { 'x-api-key': 'wrong' } });
  expect(res.status).toBe(401);
  expect(await res.json()).toEqual({ message: 'Unauthorized' });
  const missing = await fetch(`${dokploy.url}/api/compose.deploy`, { method: 'POST', body: '{}' });
  expect(missing.status).toBe(401);
  expect(await missing.json()).toEqual({ message: 'Unauthorized' });
});
