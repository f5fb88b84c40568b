/**
 * A capture-only backend for the fixture site when no local stack is wanted: Kestra-shaped webhook
 * URLs that record what they receive, and a Resend-shaped `POST /emails` that records Email #1.
 * Nothing is executed, scheduled or delivered.
 *
 *   const stub = await startCaptureStub();
 *   const site = await startFunnelSite({ webhooks: stub.webhooks, resend: stub.resend });
 *   stub.received()  // [{ name: 'signup', body: {...}, at, contentType }]
 *   stub.emails()    // [{ id, to: [...], subject, idempotencyKey, at }]
 *
 * Webhooks answer 200 `{id, namespace, flowId, state: {current: 'CREATED'}}` like Kestra, to any
 * method Kestra accepts, with permissive CORS (so the page may also post `application/json`).
 * `/emails` checks `Authorization: Bearer <apiKey>` and honours `Idempotency-Key` like Resend.
 */
import { randomUUID } from 'node:crypto';
import { type WebhookName, WEBHOOK_HANDLERS, webhookPath } from '../../spec/index.js';
import { bearerToken, isJsonObject, parseJson, readBody, sendEmpty, sendJson, startHttpServer } from '../http/index.js';
import { FUNNEL_WEBHOOKS, type FunnelWebhook } from '../../spec/index.js';

export interface ReceivedWebhook {
  name: FunnelWebhook;
  path: string;
  /** When it arrived (epoch ms). */
  at: number;
  contentType: string | null;
  raw: string;
  /** The body parsed as JSON (whatever the content type — as Kestra does), else undefined. */
  body: unknown;
  executionId: string;
}

export interface StubEmail {
  id: string;
  /** When it was accepted (epoch ms). */
  at: number;
  from: unknown;
  to: unknown;
  subject: unknown;
  idempotencyKey: string | null;
  body: Record<string, unknown>;
}

export interface CaptureStub {
  url: string;
  /** Kestra-shaped webhook URLs (tenant `main`), one per funnel webhook. */
  webhooks: Record<FunnelWebhook, string>;
  /** Give these to startFunnelSite as its Resend. */
  resend: { url: string; apiKey: string };
  received(): ReceivedWebhook[];
  emails(): StubEmail[];
  stop(): Promise<void>;
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PUT, OPTIONS',
  'access-control-allow-headers': 'content-type',
  'access-control-max-age': '600',
};

export async function startCaptureStub(opts: { apiKey?: string; webhookKey?: string } = {}): Promise<CaptureStub> {
  const apiKey = opts.apiKey ?? 're_capture_stub';
  const webhookKey = opts.webhookKey ?? `stub-${randomUUID().slice(0, 8)}`;
  const paths = new Map<string, FunnelWebhook>(FUNNEL_WEBHOOKS.map((name) => [webhookPath(WEBHOOK_HANDLERS[name as WebhookName], webhookKey), name]));
  const received: ReceivedWebhook[] = [];
  const emails: StubEmail[] = [];
  const byIdempotencyKey = new Map<string, StubEmail>();

  const server = await startHttpServer({
    name: 'funnel capture stub',
    onCrash: (res, error) => sendJson(res, 500, { message: (error as Error).message }),
    async handle(req, res) {
      const path = new URL(req.url ?? '/', 'http://stub').pathname;
      const method = req.method ?? 'GET';
      const webhook = paths.get(path);
      if (webhook) {
        if (method === 'OPTIONS') return void sendEmpty(res, 204, CORS);
        const read = await readBody(req, 1024 * 1024);
        const raw = read.kind === 'ok' ? read.text : '';
        const parsed = parseJson(raw);
        const executionId = randomUUID().replace(/-/g, '').slice(0, 22);
        received.push({ name: webhook, path, at: Date.now(), contentType: req.headers['content-type'] ?? null, raw, body: parsed.ok ? parsed.value : undefined, executionId });
        const handler = WEBHOOK_HANDLERS[webhook];
        return void sendJson(res, 200, { id: executionId, namespace: handler.namespace, flowId: handler.flowId, state: { current: 'CREATED' } }, CORS);
      }
      if (path === '/emails' && method === 'POST') {
        if (bearerToken(req.headers) !== apiKey) return void sendJson(res, 401, { statusCode: 401, name: 'validation_error', message: 'API key is invalid' });
        const read = await readBody(req, 1024 * 1024);
        const parsed = read.kind === 'ok' ? parseJson(read.text) : undefined;
        if (!parsed?.ok || !isJsonObject(parsed.value)) return void sendJson(res, 422, { statusCode: 422, name: 'validation_error', message: 'body must be a JSON object' });
        const key = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
        const earlier = key ? byIdempotencyKey.get(key) : undefined;
        if (earlier) return void sendJson(res, 200, { id: earlier.id });
        const body = parsed.value;
        const email: StubEmail = { id: randomUUID(), at: Date.now(), from: body.from, to: body.to, subject: body.subject, idempotencyKey: key, body };
        emails.push(email);
        if (key) byIdempotencyKey.set(key, email);
        return void sendJson(res, 200, { id: email.id });
      }
      sendJson(res, 404, { message: `capture stub: nothing at ${method} ${path}` });
    },
  });

  const webhooks = Object.fromEntries([...paths].map(([path, name]) => [name, `${server.url}${path}`])) as Record<FunnelWebhook, string>;
  return {
    url: server.url,
    webhooks,
    resend: { url: server.url, apiKey },
    received: () => received.map((r) => ({ ...r })),
    emails: () => emails.map((e) => ({ ...e })),
    stop: () => server.stop(),
  };
}
