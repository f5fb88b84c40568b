/**
 * The fixture site's server: it serves the funnel with the current target's webhook URLs, and its
 * backend sends Email #1 through Resend (here a real node:http server that records requests),
 * answering the send time the page will post as `email_1_sent_at`. Also the capture-only stub.
 */
import { test, expect } from '../support/unit-test.js';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FUNNEL_PATH, startCaptureStub, startFunnelSite, type FunnelSite } from '../../helpers/scenarios/funnel/index.js';
import { SENDER, testIdentityFor } from '../../helpers/spec/index.js';

interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** A fake Resend: records each request and answers with `respond`. */
async function fakeResend(respond: (n: number) => { status: number; body: unknown } = (n) => ({ status: 200, body: { id: `email-${n}` } })) {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown> });
      const answer = respond(requests.length);
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, requests, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const WEBHOOKS = { signup: 'http://127.0.0.1:9/api/v1/main/executions/webhook/christmas.handlers/signup-handler/k', assessment: 'http://127.0.0.1:9/api/v1/main/executions/webhook/christmas.handlers/assessment-handler/k' };
const identity = testIdentityFor('unit-site');
const emailRequest = { email: identity, first_name: 'Sang', business_name: "Sang's <Salon>", segment: 'CRITICAL', weakest_system_1: 'GPS', revenue_leak_total: 14700 };

async function postEmail(site: FunnelSite, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${site.origin}/api/email`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

test('the site serves the funnel at the production path, with the webhook URLs of the current target', async () => {
  const site = await startFunnelSite({ webhooks: WEBHOOKS, resend: { url: 'http://127.0.0.1:9', apiKey: 're_x' } });
  try {
    expect(site.url).toBe(`${site.origin}${FUNNEL_PATH}`);
    expect(FUNNEL_PATH).toBe('/en/flows/businessX/dfu/xmas-a01');
    const page = await fetch(site.url);
    expect(page.status).toBe(200);
    const html = await page.text();
    for (const label of ['<label for="first-name">First name</label>', '<label for="email">Email</label>', '<label for="business-name">Business name</label>']) expect(html).toContain(label);
    expect(html).toContain('role="alert"');
    const config = await (await fetch(`${site.origin}/funnel-config.js`)).text();
    expect(config).toContain(JSON.stringify(WEBHOOKS.signup));
    expect(config).toContain(JSON.stringify(WEBHOOKS.assessment));
    expect(config).not.toContain('re_x'); // the Resend key never reaches the page
    expect((await fetch(`${site.origin}/assets/app.js`)).headers.get('content-type')).toContain('javascript');
    expect((await fetch(`${site.origin}/`, { redirect: 'manual' })).headers.get('location')).toBe(FUNNEL_PATH);
    expect((await fetch(`${site.origin}/assets/../../package.json`)).status).toBe(404);
    expect((await fetch(`${site.origin}/selectors.json`)).status).toBe(404);
  } finally {
    await site.stop();
  }
});

test('POST /api/email sends Email #1 through Resend and answers the time Resend accepted it', async () => {
  const resend = await fakeResend();
  const site = await startFunnelSite({ webhooks: WEBHOOKS, resend: { url: resend.url, apiKey: 're_unit_key' } });
  try {
    const before = Date.now();
    const { status, json } = await postEmail(site, emailRequest);
    const after = Date.now();
    expect(status).toBe(200);
    expect(json).toMatchObject({ status: 'sent', id: 'email-1' });
    const sentAt = Date.parse(String(json.sent_at));
    expect(sentAt).toBeGreaterThanOrEqual(before);
    expect(sentAt).toBeLessThanOrEqual(after);
    expect(String(json.sent_at)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

    expect(resend.requests).toHaveLength(1);
    const [request] = resend.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/emails' });
    expect(request!.headers.authorization).toBe('Bearer re_unit_key');
    expect(request!.headers['idempotency-key']).toBe(`5day-1-${identity}`);
    expect(request!.body).toMatchObject({ from: SENDER, to: [identity], subject: "Sang, your CRITICAL results for Sang's <Salon> are in", tags: [{ name: 'sequence', value: '5day' }, { name: 'email_number', value: '1' }] });
    expect(String(request!.body.html)).toContain('Sang&#39;s &lt;Salon&gt;'); // escaped in HTML
    expect(String(request!.body.html)).toContain('$14,700');

    expect(site.sentEmails()).toEqual([expect.objectContaining({ to: identity, status: 'sent', sentAt: json.sent_at, resendId: 'email-1' })]);
  } finally {
    await site.stop();
    await resend.stop();
  }
});

test('a Resend error or an unreachable Resend answers status failed (502), nothing marked sent', async () => {
  const resend = await fakeResend(() => ({ status: 500, body: { statusCode: 500, name: 'internal_server_error', message: 'boom' } }));
  const site = await startFunnelSite({ webhooks: WEBHOOKS, resend: { url: resend.url, apiKey: 're_unit_key' } });
  const unreachable = await startFunnelSite({ webhooks: WEBHOOKS, resend: { url: 'http://127.0.0.1:9', apiKey: 're_unit_key' }, resendTimeoutMs: 2_000 });
  try {
    const failed = await postEmail(site, emailRequest);
    expect(failed).toEqual({ status: 502, json: { status: 'failed', error: 'Resend answered 500: boom' } });
    expect(site.sentEmails()[0]).toMatchObject({ status: 'failed', error: 'Resend answered 500: boom' });
    expect(site.sentEmails()[0]!.sentAt).toBeUndefined();
    const down = await postEmail(unreachable, emailRequest);
    expect(down.status).toBe(502);
    expect(down.json.status).toBe('failed');
    expect(String(down.json.error)).toMatch(/^Resend unreachable/);
  } finally {
    await site.stop();
    await unreachable.stop();
    await resend.stop();
  }
});

test('the backend refuses a recipient outside the test identity before calling Resend, and bad bodies', async () => {
  const resend = await fakeResend();
  const site = await startFunnelSite({ webhooks: WEBHOOKS, resend: { url: resend.url, apiKey: 're_unit_key' } });
  try {
    const refused = await postEmail(site, { ...emailRequest, email: 'someone@example.com' });
    expect(refused.status).toBe(422);
    expect(refused.json).toMatchObject({ status: 'failed' });
    expect(String(refused.json.error)).toContain('recipient guard');
    expect((await postEmail(site, { first_name: 'Sang' })).status).toBe(400);
    const notJson = await fetch(`${site.origin}/api/email`, { method: 'POST', body: 'nope' });
    expect(notJson.status).toBe(400);
    expect(resend.requests).toEqual([]);
  } finally {
    await site.stop();
    await resend.stop();
  }
});

test('startFunnelSite rejects a webhook or Resend URL that is not http(s), naming it', async () => {
  await expect(startFunnelSite({ webhooks: { ...WEBHOOKS, signup: 'kestra/signup' }, resend: { url: 'http://127.0.0.1:9', apiKey: 'k' } })).rejects.toThrow('webhooks.signup must be an http(s) URL');
  await expect(startFunnelSite({ webhooks: WEBHOOKS, resend: { url: 'resend', apiKey: 'k' } })).rejects.toThrow('resend.url must be an http(s) URL');
});

test('the capture stub records webhooks (JSON whatever the content type) and Email #1 like Resend', async () => {
  const stub = await startCaptureStub({ apiKey: 're_stub' });
  try {
    expect(stub.webhooks.signup).toMatch(/\/api\/v1\/main\/executions\/webhook\/christmas\.handlers\/signup-handler\/stub-/);
    const answer = await fetch(stub.webhooks.signup, { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: JSON.stringify({ email: identity, first_name: 'Sang' }) });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ namespace: 'christmas.handlers', flowId: 'signup-handler' });
    expect(stub.received()).toEqual([expect.objectContaining({ name: 'signup', contentType: 'text/plain;charset=UTF-8', body: { email: identity, first_name: 'Sang' } })]);
    expect((await fetch(stub.webhooks.assessment, { method: 'OPTIONS' })).headers.get('access-control-allow-origin')).toBe('*');

    const send = (key: string) =>
      fetch(`${stub.resend.url}/emails`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'idempotency-key': 'k1' }, body: JSON.stringify({ from: SENDER, to: [identity], subject: 's', html: 'h' }) });
    expect((await send('wrong')).status).toBe(401);
    const first = (await (await send('re_stub')).json()) as { id: string };
    const again = (await (await send('re_stub')).json()) as { id: string };
    expect(again.id).toBe(first.id);
    expect(stub.emails()).toHaveLength(1);
  } finally {
    await stub.stop();
  }
});
