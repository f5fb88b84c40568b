/**
 * The Resend stand-in, driven with plain fetch as the flows drive api.resend.com (Kestra's HTTP
 * task is a plain HTTP client): sending, idempotency, validation, reading emails back, the domain
 * list, rate limiting, faults, the test-only endpoints and garbage input.
 */
import { test as base, expect } from '../support/unit-test.js';
import { SENDER, emailTags, idempotencyKey } from '../../helpers/spec/email.js';
import { startResendStandin, type ResendStandin, type ResendStandinOptions } from '../../helpers/standins/resend/index.js';

const NOW = new Date('2025-12-01T10:00:00.000Z');

const test = base.extend<{ resend: ResendStandin }>({
  resend: async ({}, use) => {
    const resend = await startResendStandin({ rateLimit: false, clock: () => NOW });
    await use(resend);
    await resend.stop();
  },
});

async function started(options: ResendStandinOptions, body: (resend: ResendStandin) => Promise<void>) {
  const resend = await startResendStandin(options);
  try {
    await body(resend);
  } finally {
    await resend.stop();
  }
}

interface CallOptions {
  method?: string;
  body?: unknown;
  rawBody?: string;
  key?: string | null;
  headers?: Record<string, string>;
}

async function call(resend: ResendStandin, path: string, options: CallOptions = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (options.key !== null) headers.authorization = `Bearer ${options.key ?? resend.apiKey}`;
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const res = await fetch(`${resend.url}${path}`, { method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // left empty; assertions on the body say what came back
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** What the send-email flow sends for one (email, sequence, number) — SPEC §4. */
const flowEmail = (to = 'lengobaosang@gmail.com', overrides: Record<string, unknown> = {}) => ({
  from: SENDER,
  to: [to],
  subject: 'Sang, your CRITICAL results',
  html: '<p>Hi Sang</p>',
  tags: emailTags('5day', 2),
  ...overrides,
});

const send = (resend: ResendStandin, body: unknown, key?: string, extra: CallOptions = {}) =>
  call(resend, '/emails', { body, headers: key === undefined ? {} : { 'idempotency-key': key }, ...extra });

test.describe('sending', () => {
  test('a valid send answers 200 {id} and lands in the outbox with its headers and tags, never the API key', async ({ resend }) => {
    const key = idempotencyKey('lengobaosang@gmail.com', '5day', 2);
    const res = await send(resend, flowEmail(), key, { headers: { 'idempotency-key': key, 'user-agent': 'kestra-http' } });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json)).toEqual(['id']);
    expect(res.json.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const [email] = resend.outbox();
    expect(email).toMatchObject({
      id: res.json.id,
      from: SENDER,
      to: ['lengobaosang@gmail.com'],
      subject: 'Sang, your CRITICAL results',
      html: '<p>Hi Sang</p>',
      text: null,
      tags: [{ name: 'sequence', value: '5day' }, { name: 'email_number', value: '2' }],
      idempotencyKey: key,
      requestHeaders: { 'idempotency-key': key, 'user-agent': 'kestra-http', 'content-type': 'application/json' },
      createdAt: NOW.toISOString(),
    });
    expect(JSON.stringify(resend.outbox())).not.toContain(resend.apiKey);
    expect(JSON.stringify(resend.requests())).not.toContain(resend.apiKey);
  });

  test('to may be a single string; text alone is enough; cc, bcc and reply_to are kept', async ({ resend }) => {
    const res = await send(resend, { from: 'noreply@sangletech.com', to: 'delivered@resend.dev', subject: 'Hi', text: 'plain', cc: 'a@b.co', bcc: ['c@d.co'], reply_to: 'Reply <r@s.co>' });
    expect(res.status).toBe(200);
    expect(resend.outbox()[0]).toMatchObject({ to: ['delivered@resend.dev'], text: 'plain', html: null, cc: ['a@b.co'], bcc: ['c@d.co'], replyTo: ['Reply <r@s.co>'] });
  });

  test('GET /emails/{id} answers Resend\'s email object', async ({ resend }) => {
    const { json } = await send(resend, flowEmail('delivered@resend.dev'));
    const res = await call(resend, `/emails/${String(json.id)}`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      object: 'email',
      id: json.id,
      to: ['delivered@resend.dev'],
      from: SENDER,
      created_at: '2025-12-01 10:00:00.000000+00',
      subject: 'Sang, your CRITICAL results',
      html: '<p>Hi Sang</p>',
      text: null,
      bcc: null,
      cc: null,
      reply_to: null,
      last_event: 'delivered',
      scheduled_at: null,
      tags: [{ name: 'sequence', value: '5day' }, { name: 'email_number', value: '2' }],
    });
  });

  test('an unknown email id is 404 not_found; a malformed one is 422 invalid_parameter', async ({ resend }) => {
    expect((await call(resend, '/emails/5c6a2821-6bb1-4a7e-b6e1-c50111515c3d')).json).toEqual({ statusCode: 404, message: 'Email not found', name: 'not_found' });
    expect((await call(resend, '/emails/not-an-id')).json).toMatchObject({ statusCode: 422, name: 'invalid_parameter' });
  });

  test('scheduled_at (ISO 8601) keeps last_event "scheduled" until the clock passes it', async () => {
    let now = NOW;
    await started({ rateLimit: false, clock: () => now }, async (resend) => {
      const { json } = await send(resend, flowEmail('delivered@resend.dev', { scheduled_at: '2025-12-02T10:00:00Z' }));
      expect((await call(resend, `/emails/${String(json.id)}`)).json).toMatchObject({ last_event: 'scheduled', scheduled_at: '2025-12-02 10:00:00.000000+00' });
      now = new Date('2025-12-02T10:00:01Z');
      expect((await call(resend, `/emails/${String(json.id)}`)).json).toMatchObject({ last_event: 'delivered' });
    });
  });

  test('Resend\'s test recipients simulate their outcome', async ({ resend }) => {
    for (const [to, event] of [['bounced@resend.dev', 'bounced'], ['complained@resend.dev', 'complained'], ['Test <delivered@resend.dev>', 'delivered']]) {
      const { json } = await send(resend, flowEmail(to));
      expect((await call(resend, `/emails/${String(json.id)}`)).json.last_event, to).toBe(event);
    }
  });

  test('GET /emails lists the sent emails, newest first', async ({ resend }) => {
    await send(resend, flowEmail('a@x.co'));
    await send(resend, flowEmail('b@x.co'));
    const res = await call(resend, '/emails');
    expect(res.json).toMatchObject({ object: 'list', has_more: false });
    expect((res.json.data as { to: string[] }[]).map((e) => e.to[0])).toEqual(['b@x.co', 'a@x.co']);
  });

  test('GET /domains lists sangletech.com as verified (the health check)', async ({ resend }) => {
    const res = await call(resend, '/domains');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ object: 'list', has_more: false, data: [{ name: 'sangletech.com', status: 'verified', region: 'us-east-1', id: expect.any(String) }] });
  });
});

test.describe('idempotency (a retry can never send twice — SPEC §4)', () => {
  test('the same key and payload answer the same id and add no second email', async ({ resend }) => {
    const key = idempotencyKey('lengobaosang@gmail.com', 'noshow', 1);
    const first = await send(resend, flowEmail(), key);
    const again = await send(resend, { tags: emailTags('5day', 2), html: '<p>Hi Sang</p>', subject: 'Sang, your CRITICAL results', to: ['lengobaosang@gmail.com'], from: SENDER }, key);
    expect(again.status).toBe(200);
    expect(again.json.id).toBe(first.json.id);
    expect(resend.outbox()).toHaveLength(1);
  });

  test('the same key with a different payload is 409 invalid_idempotent_request', async ({ resend }) => {
    await send(resend, flowEmail(), 'key-1');
    const res = await send(resend, flowEmail('lengobaosang@gmail.com', { subject: 'changed' }), 'key-1');
    expect(res.status).toBe(409);
    expect(res.json).toEqual({ statusCode: 409, message: 'Same idempotency key used with a different request payload.', name: 'invalid_idempotent_request' });
    expect(resend.outbox()).toHaveLength(1);
  });

  test('without a key, or with different keys, each send is a new email', async ({ resend }) => {
    await send(resend, flowEmail());
    await send(resend, flowEmail());
    await send(resend, flowEmail(), 'a');
    await send(resend, flowEmail(), 'b');
    expect(resend.outbox()).toHaveLength(4);
  });

  test('a key expires after 24 hours', async () => {
    let now = NOW;
    await started({ rateLimit: false, clock: () => now }, async (resend) => {
      await send(resend, flowEmail(), 'k');
      now = new Date(NOW.getTime() + 24 * 3600_000 + 1);
      await send(resend, flowEmail(), 'k');
      expect(resend.outbox()).toHaveLength(2);
    });
  });

  test('an empty or over-long key is 400 invalid_idempotency_key', async ({ resend }) => {
    expect((await send(resend, flowEmail(), 'x'.repeat(257))).json).toEqual({ statusCode: 400, message: 'The key must be between 1-256 chars.', name: 'invalid_idempotency_key' });
    expect((await send(resend, flowEmail(), '')).status).toBe(400);
    expect((await send(resend, flowEmail(), 'x'.repeat(256))).status).toBe(200);
  });

  test('when the answer is lost after the send, the retry with the same key gets the same id', async ({ resend }) => {
    resend.injectFault({ route: 'sendEmail', kind: 'lose-response' });
    await expect(send(resend, flowEmail(), 'retry-me')).rejects.toThrow();
    const retry = await send(resend, flowEmail(), 'retry-me');
    expect(retry.status).toBe(200);
    expect(resend.outbox().map((e) => e.id)).toEqual([retry.json.id]);
  });
});

test.describe('validation', () => {
  test('missing required fields are 422 missing_required_field, naming the field', async ({ resend }) => {
    const full = flowEmail();
    for (const field of ['from', 'to', 'subject'] as const) {
      const { [field]: _dropped, ...rest } = full;
      const res = await send(resend, rest);
      expect(res.json, field).toEqual({ statusCode: 422, message: `Missing \`${field}\` field.`, name: 'missing_required_field' });
    }
    expect((await send(resend, { ...full, to: [] })).json).toMatchObject({ statusCode: 422, name: 'missing_required_field' });
    const { html: _html, ...noContent } = full;
    expect((await send(resend, noContent)).json).toMatchObject({ statusCode: 422, name: 'missing_required_field', message: expect.stringContaining('html') });
    expect(resend.outbox()).toEqual([]);
  });

  test('from must be `addr` or `Name <addr>`', async ({ resend }) => {
    for (const from of ['BusinessX Canada', 'noreply@', '<noreply@sangletech.com', 5]) {
      const res = await send(resend, flowEmail(undefined, { from }));
      expect([from, res.status, res.json.name]).toEqual([from, 422, 'validation_error']);
      expect(String(res.json.message)).toContain('`from`');
    }
    for (const from of ['noreply@sangletech.com', 'BusinessX Canada <noreply@sangletech.com>', '"BusinessX, Canada" <noreply@sangletech.com>']) {
      expect((await send(resend, flowEmail(undefined, { from }))).status, from).toBe(200);
    }
  });

  test('a sender on an unverified domain is 403 validation_error', async ({ resend }) => {
    const res = await send(resend, flowEmail(undefined, { from: 'Me <me@gmail.com>' }));
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({ name: 'validation_error', message: expect.stringContaining('gmail.com domain is not verified') });
  });

  test('to must hold valid addresses, at most 50', async ({ resend }) => {
    expect((await send(resend, flowEmail('not-an-address'))).json).toMatchObject({ statusCode: 422, name: 'validation_error', message: expect.stringContaining('`to`') });
    const fifty = Array.from({ length: 50 }, (_, i) => `r${i}@x.co`);
    expect((await send(resend, flowEmail(undefined, { to: fifty }))).status).toBe(200);
    expect((await send(resend, flowEmail(undefined, { to: [...fifty, 'one-more@x.co'] }))).json).toMatchObject({ statusCode: 422, name: 'validation_error' });
    expect((await send(resend, flowEmail(undefined, { to: [5] }))).status).toBe(422);
  });

  test('tags: ASCII letters, digits, _ and -, at most 256 characters', async ({ resend }) => {
    for (const tags of [[{ name: 'sequence', value: 'five day' }], [{ name: 'séquence', value: 'x' }], [{ name: 'x'.repeat(257), value: 'x' }], [{ value: 'x' }], 'sequence=5day', [null]]) {
      const res = await send(resend, flowEmail(undefined, { tags }));
      expect([JSON.stringify(tags), res.status, res.json.name]).toEqual([JSON.stringify(tags), 422, 'validation_error']);
    }
    expect((await send(resend, flowEmail(undefined, { tags: [{ name: 'email_number', value: 'x'.repeat(256) }, { name: 'a-b_C9', value: 'ok' }] }))).status).toBe(200);
  });

  test('scheduled_at must be ISO 8601 (the stand-in takes no natural language)', async ({ resend }) => {
    for (const scheduled_at of ['in 1 hour', '2025-12-02', '2025-12-02T10:00:00', 5]) {
      const res = await send(resend, flowEmail(undefined, { scheduled_at }));
      expect([scheduled_at, res.status, String(res.json.message)]).toEqual([scheduled_at, 422, expect.stringContaining('scheduled_at')]);
    }
  });

  test('an attachment needs content or path', async ({ resend }) => {
    expect((await send(resend, flowEmail(undefined, { attachments: [{ filename: 'a.pdf' }] }))).json).toMatchObject({ statusCode: 422, name: 'invalid_attachment' });
  });
});

test.describe('authentication and protocol', () => {
  test('a missing key is 401 missing_api_key; a wrong one 403 invalid_api_key', async ({ resend }) => {
    expect((await send(resend, flowEmail(), undefined, { key: null })).json).toEqual({ statusCode: 401, message: 'Missing API key in the authorization header.', name: 'missing_api_key' });
    expect((await send(resend, flowEmail(), undefined, { key: 're_wrong' })).json).toEqual({ statusCode: 403, message: 'API key is invalid.', name: 'invalid_api_key' });
    expect(resend.outbox()).toEqual([]);
    expect(resend.requests().map((r) => r.auth)).toEqual(['missing', 'invalid']);
  });

  test('a sending-only key may send but not read (401 restricted_api_key)', async () => {
    await started({ rateLimit: false, sendingOnlyKey: 're_send_only' }, async (resend) => {
      expect((await send(resend, flowEmail(), undefined, { key: 're_send_only' })).status).toBe(200);
      expect((await call(resend, '/domains', { key: 're_send_only' })).json).toMatchObject({ statusCode: 401, name: 'restricted_api_key' });
    });
  });

  test('an unknown route is 404 not_found; a known path with the wrong method 405 method_not_allowed', async ({ resend }) => {
    expect((await call(resend, '/emailz')).json).toEqual({ statusCode: 404, message: 'The requested endpoint does not exist.', name: 'not_found' });
    expect((await call(resend, '/domains', { method: 'DELETE' })).json).toEqual({ statusCode: 405, message: 'Method is not allowed for the requested path.', name: 'method_not_allowed' });
  });

  test('malformed JSON, a non-JSON content type and an oversized body are refused in Resend\'s error shape', async () => {
    await started({ rateLimit: false, maxBodyBytes: 10_000 }, async (resend) => {
      const malformed = await call(resend, '/emails', { rawBody: '{"from": ' });
      expect(malformed).toMatchObject({ status: 400, json: { statusCode: 400, name: 'validation_error' } });
      const form = await call(resend, '/emails', { rawBody: 'from=a', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(form).toMatchObject({ status: 400, json: { statusCode: 400, name: 'validation_error', message: expect.stringContaining('Content-Type') } });
      const big = await send(resend, flowEmail(undefined, { html: 'x'.repeat(20_000) }));
      expect(big).toMatchObject({ status: 413, json: { statusCode: 413, name: 'validation_error' } });
      expect(resend.outbox()).toEqual([]);
    });
  });

  test('JSON with a charset is fine', async ({ resend }) => {
    expect((await send(resend, flowEmail(), undefined, { headers: { 'content-type': 'application/json; charset=utf-8' } })).status).toBe(200);
  });
});

test.describe('rate limit', () => {
  test('by default 2 requests per second: the third at once is 429 with retry-after and ratelimit-* headers', async () => {
    await started({}, async (resend) => {
      const first = await send(resend, flowEmail());
      expect(first.headers.get('ratelimit-limit')).toBe('2');
      expect(first.headers.get('ratelimit-remaining')).toBe('1');
      expect(first.headers.get('ratelimit-reset')).toMatch(/^\d+$/);
      await send(resend, flowEmail());
      const third = await send(resend, flowEmail());
      expect(third.status).toBe(429);
      expect(third.json).toMatchObject({ statusCode: 429, name: 'rate_limit_exceeded', message: expect.stringContaining('You can only make 2 requests per second') });
      expect(third.headers.get('retry-after')).toBe('1');
      expect(third.headers.get('ratelimit-remaining')).toBe('0');
      expect(resend.outbox()).toHaveLength(2);
    });
  });

  // "The default maximum rate limit is 2 requests per second per team. This limit applies across all
  // API keys associated with your team." — https://resend.com/docs/api-reference/introduction#rate-limit
  test('the limit is per team: a second API key draws on the same bucket', async () => {
    const sendingOnlyKey = 're_standin_sending_only';
    await started({ sendingOnlyKey }, async (resend) => {
      expect((await send(resend, flowEmail())).status).toBe(200);
      expect((await send(resend, flowEmail(), undefined, { key: sendingOnlyKey })).status).toBe(200);
      const third = await send(resend, flowEmail(), undefined, { key: sendingOnlyKey });
      expect(third.status).toBe(429);
      expect(third.json.name).toBe('rate_limit_exceeded');
      expect((await send(resend, flowEmail())).status).toBe(429);
      expect(resend.outbox()).toHaveLength(2);
    });
  });

  test('a custom limit, and false for none', async () => {
    await started({ rateLimit: { perSecond: 0.5, burst: 5 } }, async (resend) => {
      const statuses = await Promise.all(Array.from({ length: 6 }, () => call(resend, '/domains').then((r) => r.status)));
      expect(statuses.filter((s) => s === 429)).toHaveLength(1);
    });
    await started({ rateLimit: false }, async (resend) => {
      const statuses = await Promise.all(Array.from({ length: 20 }, () => call(resend, '/domains').then((r) => r.status)));
      expect(statuses.every((s) => s === 200)).toBe(true);
    });
  });
});

test.describe('faults', () => {
  test('500 and 503 on the next sends, in Resend\'s error shape, then normal service; nothing sent meanwhile', async ({ resend }) => {
    resend.injectFault({ route: 'sendEmail', kind: 500 });
    resend.injectFault({ route: 'sendEmail', kind: 503 });
    expect((await send(resend, flowEmail())).json).toEqual({ statusCode: 500, message: 'An unexpected error occurred.', name: 'internal_server_error' });
    expect((await send(resend, flowEmail())).status).toBe(503);
    expect((await send(resend, flowEmail())).status).toBe(200);
    expect(resend.outbox()).toHaveLength(1);
  });

  test('hang holds the send past the client\'s timeout and stop() still returns promptly', async () => {
    const resend = await startResendStandin({ rateLimit: false });
    resend.injectFault({ route: 'sendEmail', kind: 'hang' });
    const res = fetch(`${resend.url}/emails`, {
      method: 'POST',
      headers: { authorization: `Bearer ${resend.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(flowEmail()),
      signal: AbortSignal.timeout(100),
    });
    await expect(res).rejects.toThrow();
    const started = Date.now();
    await resend.stop();
    expect(Date.now() - started).toBeLessThan(500);
  });

  test('a handler that throws answers 500 and the server keeps serving', async ({ resend }) => {
    resend.injectFault({ route: 'listDomains', kind: 'throw' });
    expect((await call(resend, '/domains')).json).toMatchObject({ statusCode: 500, name: 'internal_server_error' });
    expect((await call(resend, '/domains')).status).toBe(200);
    expect(resend.crashes()).toHaveLength(1);
  });

  test('a matcher picks sends by their content', async ({ resend }) => {
    resend.injectFault({ route: (c) => c.route === 'sendEmail' && c.idempotencyKey === 'poison', kind: 503, times: 10 });
    expect((await send(resend, flowEmail(), 'fine')).status).toBe(200);
    expect((await send(resend, flowEmail(), 'poison')).status).toBe(503);
  });
});

test.describe('test-only HTTP endpoints', () => {
  test('faults, requests, outbox and reset over HTTP', async ({ resend }) => {
    const injected = await fetch(`${resend.url}/__standin/faults`, { method: 'POST', body: JSON.stringify({ route: 'sendEmail', kind: 503, times: 1 }) });
    expect(injected.status).toBe(201);
    expect((await send(resend, flowEmail())).status).toBe(503);
    await send(resend, flowEmail(), 'k');
    const outbox = (await (await fetch(`${resend.url}/__standin/outbox`)).json()) as { emails: { idempotencyKey: string }[] };
    expect(outbox.emails.map((e) => e.idempotencyKey)).toEqual(['k']);
    const log = (await (await fetch(`${resend.url}/__standin/requests`)).json()) as { requests: { status: number; fault?: unknown }[] };
    expect(log.requests.map((r) => [r.status, r.fault ?? null])).toEqual([[503, 503], [200, null]]);
    expect((await fetch(`${resend.url}/__standin/faults`, { method: 'POST', body: JSON.stringify({ route: 'send', kind: 503 }) })).status).toBe(400);
    expect((await fetch(`${resend.url}/__standin/reset`, { method: 'POST' })).status).toBe(204);
    expect(resend.outbox()).toEqual([]);
    // After reset the idempotency memory is gone too: the same key sends again.
    await send(resend, flowEmail(), 'k');
    expect(resend.outbox()).toHaveLength(1);
  });
});

test('garbage bodies never crash it and always get a 4xx in Resend\'s shape', async ({ resend }) => {
  const bodies = [
    '', 'null', '[]', '"x"', '0', '{}', '{"from":null}', '{"from":{},"to":{},"subject":[]}', '{"to":"a@b.co"}', '{"from":"a@sangletech.com","to":[null],"subject":"s","html":"h"}',
    '{"from":"a@sangletech.com","to":"a@b.co","subject":"s","html":5}', '{"from":"a@sangletech.com","to":"a@b.co","subject":"s","text":"t","headers":[]}',
    '{"from":"a@sangletech.com","to":"a@b.co","subject":"s","text":"t","reply_to":{}}', '{"from":"a@sangletech.com","to":"a@b.co","subject":"s","text":"t","attachments":"x"}',
    '{"__proto__":{"from":"a@sangletech.com"}}', '{"a":'.repeat(40), '\u0000',
  ];
  const problems: string[] = [];
  for (const rawBody of bodies) {
    const res = await call(resend, '/emails', { rawBody });
    const shaped = typeof res.json.statusCode === 'number' && res.json.statusCode === res.status && typeof res.json.name === 'string' && typeof res.json.message === 'string';
    if (res.status < 400 || res.status >= 500 || !shaped) problems.push(`${JSON.stringify(rawBody)} → ${res.status} ${res.text.slice(0, 100)}`);
  }
  expect(problems).toEqual([]);
  expect(resend.crashes()).toEqual([]);
  expect(resend.outbox()).toEqual([]);
});

// https://resend.com/docs/api-reference/errors: "concurrent_idempotent_requests — Status: 409 — Message: Same
// idempotency key used while original request is still in progress. — Suggested action: Try the request again later."
test('a second send with the same Idempotency-Key while the first is in progress is 409 concurrent_idempotent_requests; later it replays', async () => {
  await started({ rateLimit: false, sendLatencyMs: 300 }, async (resend) => {
    const key = idempotencyKey('lengobaosang@gmail.com', '5day', 3);
    const first = send(resend, flowEmail(), key);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = await send(resend, flowEmail(), key);
    expect(second.status).toBe(409);
    expect(second.json).toEqual({ statusCode: 409, name: 'concurrent_idempotent_requests', message: 'Same idempotency key used while original request is still in progress.' });
    const done = await first;
    expect(done.status).toBe(200);
    const later = await send(resend, flowEmail(), key);
    expect(later.status).toBe(200);
    expect(later.json.id).toBe(done.json.id);
    // Another key is not held up by the one in flight.
    const [a, b] = await Promise.all([send(resend, flowEmail(), `${key}-a`), send(resend, flowEmail(), `${key}-b`)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(resend.outbox()).toHaveLength(3);
  });
});
