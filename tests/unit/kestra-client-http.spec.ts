/**
 * Kestra client — transport behaviour: tenant fallback, retries, Retry-After, typed errors,
 * redaction. All HTTP goes to an undici MockAgent with net connect disabled.
 */
import { test, expect } from '../support/unit-test.js';
import {
  KestraHttpError, KestraNetworkError, KestraResponseShapeError, KestraUsageError,
} from '../../helpers/clients/kestra/index.js';
import { backoffDelay, errorCode, parseRetryAfter } from '../../helpers/clients/kestra/retry.js';
import { Redactor, redactWebhookKeys } from '../../helpers/clients/redact.js';
import { assertSafeRoute } from '../../helpers/clients/kestra/routes.js';
import {
  BASIC, JSON_HEADERS, PASSWORD, WEBHOOK_KEY, execution, mockKestra, paged, pathIs,
} from '../support/kestra-client-fakes.js';

const EXEC = '/api/v1/main/executions/abc';
const netError = (code: string, message = `${code} (simulated)`) => Object.assign(new Error(message), { code });

async function caught(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

function noSecrets(text: string): void {
  expect(text).not.toContain(PASSWORD);
  expect(text).not.toContain(BASIC.slice(6));
  expect(text).not.toContain(WEBHOOK_KEY);
}

test.describe('tenant route detection', () => {
  test('falls back to tenant-less routes when /api/v1/main answers 404 for the API as a whole, and remembers', async () => {
    const k = mockKestra();
    k.pool.intercept({ path: EXEC, method: 'GET' }).reply(404, { message: 'Not Found' }, JSON_HEADERS);
    k.pool.intercept({ path: pathIs('/api/v1/main/executions/search'), method: 'GET' }).reply(404, { message: 'Page Not Found' }, JSON_HEADERS);
    k.pool.intercept({ path: pathIs('/api/v1/executions/search'), method: 'GET' }).reply(200, paged([]), JSON_HEADERS);
    k.pool.intercept({ path: '/api/v1/executions/abc', method: 'GET' }).reply(200, execution({ id: 'abc' }), JSON_HEADERS);
    k.pool.intercept({ path: '/api/v1/executions/def', method: 'GET' }).reply(200, execution({ id: 'def' }), JSON_HEADERS);

    expect((await k.client.getExecution('abc')).id).toBe('abc');
    expect(k.client.apiMode()).toBe('tenantless');
    expect((await k.client.getExecution('def')).id).toBe('def');

    expect(k.calls().map((c) => c.path)).toEqual([
      EXEC, '/api/v1/main/executions/search', '/api/v1/executions/search', '/api/v1/executions/abc', '/api/v1/executions/def',
    ]);
    expect(k.events.filter((e) => e.type === 'api-mode')).toEqual([expect.objectContaining({ mode: 'tenantless' })]);
    k.agent.assertNoPendingInterceptors();
  });

  test('a 404 for a missing execution is NOT a reason to fall back: the probe confirms the tenant API', async () => {
    const k = mockKestra();
    k.pool.intercept({ path: EXEC, method: 'GET' }).reply(404, { message: 'Not Found' }, JSON_HEADERS);
    k.pool.intercept({ path: pathIs('/api/v1/main/executions/search'), method: 'GET' }).reply(200, paged([], 0), JSON_HEADERS);
    k.pool.intercept({ path: '/api/v1/main/executions/zzz', method: 'GET' }).reply(404, { message: 'Not Found' }, JSON_HEADERS);

    const err = await caught(k.client.getExecution('abc'));
    expect(err).toBeInstanceOf(KestraHttpError);
    expect((err as KestraHttpError).status).toBe(404);
    expect(k.client.apiMode()).toBe('tenant');
    // Mode is settled: the next 404 is returned without probing again.
    expect(((await caught(k.client.getExecution('zzz'))) as KestraHttpError).status).toBe(404);
    expect(k.calls().map((c) => c.path)).toEqual([EXEC, '/api/v1/main/executions/search', '/api/v1/main/executions/zzz']);
  });

  test('an inconclusive probe (401) leaves the original 404 and the mode unknown', async () => {
    const k = mockKestra();
    k.pool.intercept({ path: EXEC, method: 'GET' }).reply(404, { message: 'Not Found' }, JSON_HEADERS);
    k.pool.intercept({ path: pathIs('/api/v1/main/executions/search'), method: 'GET' }).reply(401, '');
    const err = await caught(k.client.getExecution('abc'));
    expect((err as KestraHttpError).status).toBe(404);
    expect(k.client.apiMode()).toBeUndefined();
  });

  test('a successful call settles tenant mode without probing; apiMode can also be forced', async () => {
    const k = mockKestra();
    k.pool.intercept({ path: EXEC, method: 'GET' }).reply(200, execution({ id: 'abc' }), JSON_HEADERS);
    await k.client.getExecution('abc');
    expect(k.client.apiMode()).toBe('tenant');

    const forced = mockKestra({ apiMode: 'tenantless' });
    forced.pool.intercept({ path: '/api/v1/executions/abc', method: 'GET' }).reply(200, execution({ id: 'abc' }), JSON_HEADERS);
    await forced.client.getExecution('abc');
    expect(forced.calls().map((c) => c.path)).toEqual(['/api/v1/executions/abc']);
  });
});

test.describe('HTTP errors', () => {
  test('401 is a KestraHttpError, not retried, without the password or token in the message', async () => {
    const k = mockKestra();
    k.pool.intercept({ path: EXEC, method: 'GET' }).reply(401, `Unauthorized for ${BASIC}`, { headers: { 'www-authenticate': 'Basic realm="Kestra"' } });
    const err = await caught(k.client.getExecution('abc'));
    expect(err).toBeInstanceOf(KestraHttpError);
    expect(err).toMatchObject({ status: 401, method: 'GET', url: `http://kestra.test:8080${EXEC}`, attempts: 1 });
    expect(err.message).toMatch(/^GET http:\/\/kestra\.test:8080\/api\/v1\/main\/executions\/abc → HTTP 401/);
    expect(err.message.split('\n')).toHaveLength(1);
    noSecrets(err.message);
    expect(k.calls()).toHaveLength(1);
    // Credentials were sent on the API call.
    expect(k.calls()[0]?.headers?.authorization).toBe(BASIC);
  });

  test('422 carries the server message and is not retried', async () => {
    const k = mockKestra({ apiMode: 'tenant' });
    k.pool.intercept({ path: pathIs('/api/v1/main/flows/validate'), method: 'POST' })
      .reply(422, { message: 'Invalid entity: flow.id: must match "^[a-zA-Z0-9][a-zA-Z0-9._-]*"' }, JSON_HEADERS);
    const err = await caught(k.client.validateFlows('id: "bad id"\nnamespace: christmas\ntasks: []'));
    expect(err).toMatchObject({ status: 422 });
    expect(err.message).toContain('Invalid entity: flow.id: must match');
    expect(k.calls()).toHaveLength(1);
  });

  for (const status of [400, 403, 404, 409]) {
    test(`${status} is never retried`, async () => {
      const k = mockKestra({ apiMode: 'tenant' });
      k.pool.intercept({ path: EXEC, method: 'GET' }).reply(status, { message: `status ${status}` }, JSON_HEADERS);
      const err = await caught(k.client.getExecution('abc'));
      expect(err).toMatchObject({ status, attempts: 1 });
      expect(k.calls()).toHaveLength(1);
      expect(k.clock.slept).toEqual([]);
    });
  }

  test('malformed JSON in a 200 is one shape error, not retried', async () => {
    const k = mockKestra();
    k.pool.intercept({ path: EXEC, method: 'GET' }).reply(200, '<html>proxy login</html>', { headers: { 'content-type': 'text/html' } });
    const err = await caught(k.client.getExecution('abc'));
    expect(err).toBeInstanceOf(KestraResponseShapeError);
    expect(err.message).toMatch(/^GET \/api\/v1\/main\/executions\/abc: response is not valid JSON \(.+\); body starts with "<html>proxy login<\/html>"$/);
    expect(k.calls()).toHaveLength(1);
  });

  test('a shape error names the endpoint and the field', async () => {
    const k = mockKestra();
    const bad = execution({ id: 'abc', state: { histories: [] } });
    k.pool.intercept({ path: EXEC, method: 'GET' }).reply(200, bad, JSON_HEADERS);
    const err = await caught(k.client.getExecution('abc'));
    expect(err).toBeInstanceOf(KestraResponseShapeError);
    expect(err.message).toBe('GET /api/v1/main/executions/abc: state.current expected string, got undefined');
    expect((err as KestraResponseShapeError).issues[0]).toEqual({ path: 'state.current', problem: 'expected string, got undefined' });
  });

  test('nested shape errors carry array indexes; extra fields are allowed', async () => {
    const k = mockKestra();
    const bad = execution({ id: 'abc', somethingNew: { x: 1 }, taskRunList: [{ id: 'tr', taskId: 't', state: { current: 7, histories: [] } }] });
    k.pool.intercept({ path: EXEC, method: 'GET' }).reply(200, bad, JSON_HEADERS);
    const err = await caught(k.client.getExecution('abc'));
    expect(err.message).toBe('GET /api/v1/main/executions/abc: taskRunList[0].state.current expected string, got number 7');
  });
});

test.describe('retries', () => {
  test('429 with Retry-After in seconds is honoured, then succeeds', async () => {
    const k = mockKestra();
    k.pool.intercept({ path: EXEC, method: 'GET' }).reply(429, { message: 'Too Many Requests' }, { headers: { 'retry-after': '3' } });
    k.pool.intercept({ path: EXEC, method: 'GET' }).reply(200, execution({ id: 'abc' }), JSON_HEADERS);
    expect((await k.client.getExecution('abc')).id).toBe('abc');
    expect(k.clock.slept).toEqual([3000]);
    expect(k.events.filter((e) => e.type === 'retry')).toEqual([expect.objectContaining({ reason: 'HTTP 429', delayMs: 3000, attempt: 1 })]);
  });

  test('429 with Retry-After as an HTTP-date is honoured', async () => {
    const k = mockKestra();
    const at = new Date(k.clock.now() + 7_000).toUTCString();
    k.pool.intercept({ path: EXEC, method: 'GET' }).reply(429, '', { headers: { 'retry-after': at } });
    k.pool.intercept({ path: EXEC, method: 'GET' }).reply(200, execution({ id: 'abc' }), JSON_HEADERS);
    await k.client.getExecution('abc');
    expect(k.clock.slept).toEqual([7000]);
  });

  test('a Retry-After beyond the limit is not waited for', async () => {
    const k = mockKestra({ retry: { maxRetryAfterMs: 10_000 } });
    k.pool.intercept({ path: EXEC, method: 'GET' }).reply(429, '', { headers: { 'retry-after': '3600' } });
    const err = await caught(k.client.getExecution('abc'));
    expect(err).toMatchObject({ status: 429 });
    expect(err.message).toContain('Retry-After 3600s exceeds the 10s limit');
    expect(k.clock.slept).toEqual([]);
  });

  test('5xx is retried with exponential backoff, then succeeds', async () => {
    const k = mockKestra();
    k.pool.intercept({ path: EXEC, method: 'GET' }).reply(502, 'Bad Gateway');
    k.pool.intercept({ path: EXEC, method: 'GET' }).reply(500, { message: 'boom' }, JSON_HEADERS);
    k.pool.intercept({ path: EXEC, method: 'GET' }).reply(200, execution({ id: 'abc' }), JSON_HEADERS);
    expect((await k.client.getExecution('abc')).id).toBe('abc');
    expect(k.clock.slept).toEqual([100, 200]); // random pinned to 1: full backoff
  });

  test('5xx exhausted: the error says how many attempts', async () => {
    const k = mockKestra();
    k.pool.intercept({ path: EXEC, method: 'GET' }).reply(503, { message: 'Service Unavailable' }, JSON_HEADERS).times(4);
    const err = await caught(k.client.getExecution('abc'));
    expect(err).toMatchObject({ status: 503, attempts: 4 });
    expect(err.message).toContain('(after 4 attempts)');
    expect(k.clock.slept).toEqual([100, 200, 400]);
    expect(k.calls()).toHaveLength(4);
  });

  test('network errors on a GET are retried, then succeed', async () => {
    const k = mockKestra();
    k.pool.intercept({ path: EXEC, method: 'GET' }).replyWithError(netError('ECONNRESET', 'socket hang up'));
    k.pool.intercept({ path: EXEC, method: 'GET' }).replyWithError(netError('ECONNREFUSED'));
    k.pool.intercept({ path: EXEC, method: 'GET' }).reply(200, execution({ id: 'abc' }), JSON_HEADERS);
    expect((await k.client.getExecution('abc')).id).toBe('abc');
    expect(k.events.filter((e) => e.type === 'retry').map((e) => (e as { reason: string }).reason)).toEqual(['ECONNRESET', 'ECONNREFUSED']);
  });

  test('network errors exhausted: a KestraNetworkError naming the code', async () => {
    const k = mockKestra({ retry: { attempts: 2 } });
    k.pool.intercept({ path: EXEC, method: 'GET' }).replyWithError(netError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.5:8080')).times(2);
    const err = await caught(k.client.getExecution('abc'));
    expect(err).toBeInstanceOf(KestraNetworkError);
    expect(err).toMatchObject({ code: 'ECONNREFUSED', attempts: 2 });
    expect(err.message).toBe(`GET http://kestra.test:8080${EXEC} failed: ECONNREFUSED connect ECONNREFUSED 10.0.0.5:8080 (after 2 attempts)`);
  });

  test('a request that gets no answer within timeoutMs is a REQUEST_TIMEOUT network error (GET: retried)', async () => {
    const k = mockKestra({ timeoutMs: 30, retry: { attempts: 2 } });
    k.pool.intercept({ path: EXEC, method: 'GET' }).reply(200, execution({ id: 'abc' }), JSON_HEADERS).delay(500);
    k.pool.intercept({ path: EXEC, method: 'GET' }).reply(200, execution({ id: 'abc' }), JSON_HEADERS);
    expect((await k.client.getExecution('abc')).id).toBe('abc');
    expect(k.events.filter((e) => e.type === 'retry').map((e) => (e as { reason: string }).reason)).toEqual(['REQUEST_TIMEOUT']);
  });
});

test.describe('webhook retries (no duplicate executions)', () => {
  const HOOK = `/api/v1/main/executions/webhook/christmas.handlers/signup-handler/${WEBHOOK_KEY}`;
  const fire = (k: ReturnType<typeof mockKestra>) => k.client.fireWebhook('christmas.handlers', 'signup-handler', WEBHOOK_KEY, { email: 'x@y.z' });
  const ok = () => execution({ id: 'w1', state: { current: 'CREATED', histories: [{ state: 'CREATED', date: '2025-12-01T10:00:00Z' }] } });

  test('connection refused (nothing sent) is retried', async () => {
    const k = mockKestra({ apiMode: 'tenant' });
    k.pool.intercept({ path: HOOK, method: 'POST' }).replyWithError(netError('ECONNREFUSED'));
    k.pool.intercept({ path: HOOK, method: 'POST' }).reply(200, ok(), JSON_HEADERS);
    expect((await fire(k)).execution?.id).toBe('w1');
    expect(k.calls()).toHaveLength(2);
  });

  test('429 and 503 are retried (rejected before processing)', async () => {
    const k = mockKestra({ apiMode: 'tenant' });
    k.pool.intercept({ path: HOOK, method: 'POST' }).reply(429, '', { headers: { 'retry-after': '1' } });
    k.pool.intercept({ path: HOOK, method: 'POST' }).reply(503, 'no available server');
    k.pool.intercept({ path: HOOK, method: 'POST' }).reply(200, ok(), JSON_HEADERS);
    expect((await fire(k)).status).toBe(200);
    expect(k.calls()).toHaveLength(3);
  });

  test('a reset connection is NOT retried: the execution may exist', async () => {
    const k = mockKestra({ apiMode: 'tenant' });
    k.pool.intercept({ path: HOOK, method: 'POST' }).replyWithError(netError('ECONNRESET', `socket hang up on ${HOOK}`));
    const err = await caught(fire(k));
    expect(err).toBeInstanceOf(KestraNetworkError);
    expect(err.message).toContain('not retried: the server may already have acted on it');
    noSecrets(err.message);
    expect(k.calls()).toHaveLength(1);
  });

  for (const status of [500, 502, 504]) {
    test(`${status} is NOT retried for a webhook`, async () => {
      const k = mockKestra({ apiMode: 'tenant' });
      k.pool.intercept({ path: HOOK, method: 'POST' }).reply(status, { message: 'oops' }, JSON_HEADERS);
      const err = await caught(fire(k));
      expect(err).toMatchObject({ status, attempts: 1 });
      expect(k.calls()).toHaveLength(1);
    });
  }
});

test.describe('secrets', () => {
  test('no progress event, URL or error carries the password, token or webhook key', async () => {
    const k = mockKestra({ baseUrl: `http://${encodeURIComponent('admin@galatek.dev')}:${PASSWORD}@kestra.test:8080`, auth: undefined });
    const HOOK = `/api/v1/main/executions/webhook/christmas.handlers/signup-handler/${WEBHOOK_KEY}`;
    k.pool.intercept({ path: HOOK, method: 'POST' }).reply(503, '');
    k.pool.intercept({ path: HOOK, method: 'POST' }).reply(404, { message: 'Not Found', _links: { self: { href: HOOK } } }, JSON_HEADERS);
    k.pool.intercept({ path: pathIs('/api/v1/main/executions/search'), method: 'GET' }).reply(200, paged([]), JSON_HEADERS);
    const err = await caught(k.client.fireWebhook('christmas.handlers', 'signup-handler', WEBHOOK_KEY, {}));
    noSecrets(err.message);
    noSecrets(JSON.stringify(k.events));
    noSecrets(k.client.baseUrl);
    // Credentials from the URL are used for the API (the probe), never for the webhook.
    const [hook, , probe] = k.calls();
    expect(hook?.headers?.authorization).toBeUndefined();
    expect(probe?.headers?.authorization).toBe(BASIC);
  });

  test('Redactor replaces registered secrets (raw and URL-encoded) and any webhook key segment', () => {
    const r = new Redactor();
    r.add('p@ss word');
    expect(r.text('a p@ss word b p%40ss%20word')).toBe('a *** b ***');
    expect(redactWebhookKeys('"href":"/api/v1/main/executions/webhook/christmas.handlers/noshow/abc123?x=1"'))
      .toBe('"href":"/api/v1/main/executions/webhook/christmas.handlers/noshow/***?x=1"');
    expect(r.url('https://u:p@kestra.example/api/v1/executions/webhook/a.b/f/KEY')).toBe('https://kestra.example/api/v1/executions/webhook/a.b/f/***');
  });
});

test.describe('pure helpers', () => {
  test('parseRetryAfter reads seconds and HTTP-dates', () => {
    const now = Date.parse('2025-12-01T10:00:00Z');
    expect(parseRetryAfter('5', now)).toBe(5000);
    expect(parseRetryAfter(['2'], now)).toBe(2000);
    expect(parseRetryAfter('Mon, 01 Dec 2025 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Mon, 01 Dec 2025 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  test('backoff doubles up to the cap, with jitter between 50% and 100%', () => {
    const o = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, o, () => 1))).toEqual([100, 200, 400, 800, 1000]);
    expect(backoffDelay(3, o, () => 0)).toBe(200);
  });

  test('errorCode looks at the error and its cause', () => {
    expect(errorCode(netError('ECONNRESET'))).toBe('ECONNRESET');
    expect(errorCode(Object.assign(new TypeError('fetch failed'), { cause: netError('ENOTFOUND') }))).toBe('ENOTFOUND');
    expect(errorCode(new Error('x'))).toBeUndefined();
  });
});

test.describe('route guard', () => {
  test('the tenant-wide bulk endpoint, DELETE, and a namespace upload without delete=false are refused', () => {
    expect(() => assertSafeRoute('POST', '/api/v1/main/flows/bulk')).toThrow(KestraUsageError);
    expect(() => assertSafeRoute('POST', '/api/v1/flows/bulk', new URLSearchParams({ delete: 'false' }))).toThrow(/tenant-wide bulk/);
    expect(() => assertSafeRoute('DELETE' as never, '/api/v1/main/flows/christmas/send-email')).toThrow(KestraUsageError);
    expect(() => assertSafeRoute('POST', '/api/v1/main/flows/christmas')).toThrow(/delete=false/);
    expect(() => assertSafeRoute('POST', '/api/v1/main/flows/christmas', new URLSearchParams({ delete: 'true' }))).toThrow(/delete=false/);
    // A namespace called "flows" on a tenant-less server is also the create route: still needs delete=false.
    expect(() => assertSafeRoute('POST', '/api/v1/flows/flows')).toThrow(/delete=false/);
    expect(() => assertSafeRoute('POST', '/api/v1/main/flows/import')).toThrow(KestraUsageError);
    expect(() => assertSafeRoute('POST', '/api/v1/main/executions/abc/restart')).toThrow(KestraUsageError);
  });

  test('the routes the client uses are allowed', () => {
    assertSafeRoute('POST', '/api/v1/main/flows/christmas', new URLSearchParams({ delete: 'false' }));
    assertSafeRoute('POST', '/api/v1/main/flows');
    assertSafeRoute('POST', '/api/v1/main/flows/validate');
    assertSafeRoute('PUT', '/api/v1/main/flows/christmas/send-email');
    assertSafeRoute('GET', '/api/v1/main/flows/christmas/send-email');
    assertSafeRoute('POST', `/api/v1/main/executions/webhook/christmas.handlers/signup-handler/${WEBHOOK_KEY}`);
    assertSafeRoute('GET', '/api/v1/executions/search');
    assertSafeRoute('GET', '/api/v1/main/logs/abc');
    assertSafeRoute('GET', '/api/v1/configs');
    assertSafeRoute('GET', '/health');
  });
});
