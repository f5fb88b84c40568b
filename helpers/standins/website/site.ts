/**
 * The fixture funnel site (fixtures/funnel-site) on a real node:http server on 127.0.0.1: the
 * static page plus the tiny backend the real website has — the part that holds the Resend key.
 *
 *   const site = await startFunnelSite({
 *     webhooks: { signup: 'http://…/api/v1/main/executions/webhook/christmas.handlers/signup-handler/<key>', assessment: '…' },
 *     resend: { url: 'http://127.0.0.1:…', apiKey: 're_test' },
 *   });
 *   site.url          // http://127.0.0.1:<port>/en/flows/businessX/dfu/xmas-a01 (the production path)
 *   site.sentEmails() // Email #1 as the website sent it: [{ to, status: 'sent', sentAt, resendId, … }]
 *   await site.stop();
 *
 * Routes:
 *   GET  /en/flows/businessX/dfu/xmas-a01   the funnel page (GET / redirects here)
 *   GET  /assets/app.js, /assets/styles.css
 *   GET  /funnel-config.js                  window.FUNNEL_CONFIG: the current target's webhook URLs, the questions
 *   POST /api/email                         {email, first_name, business_name?, segment, weakest_system_1, revenue_leak_total}
 *                                           → sends Email #1 (christmas_email_1) through Resend and answers
 *                                           {status: 'sent', sent_at, id} — sent_at is when Resend accepted it —
 *                                           or {status: 'failed', error} (HTTP 502 / 422 / 400).
 *
 * The recipient guard (SPEC §9) runs here too: an address outside the test identity is refused
 * with 422 before Resend is called.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import {
  CAMPAIGN_CONSTANTS, WEBSITE_EMAIL, emailTags, FUNNEL_URLS, idempotencyKey, isAllowedRecipient, renderTemplate, SENDER, type TemplateVariable,
} from '../../spec/index.js';
import { isJsonObject, parseJson, readBody } from '../http/body.js';
import { sendEmpty, sendJson } from '../http/respond.js';
import { startHttpServer } from '../http/server.js';
import { siteContent } from './content.js';

export const SITE_DIR = fileURLToPath(new URL('../../../fixtures/funnel-site/', import.meta.url));
const TEMPLATES_FILE = fileURLToPath(new URL('../../../fixtures/notion/templates.json', import.meta.url));

/** The funnel's path, the same as on the production website (SPEC §9). */
export const FUNNEL_PATH = new URL(FUNNEL_URLS.production).pathname;

export interface FunnelSiteOptions {
  /** Where the page posts each webhook (the current target's Kestra webhook URLs). */
  webhooks: { signup: string; assessment: string };
  /** Resend (or its stand-in): base URL without `/emails`, and the key only this server holds. */
  resend: { url: string; apiKey: string };
  /** 0 (default) picks a free port. */
  port?: number;
  /**
   * How the page posts webhooks: `text/plain` (default) is a CORS-simple request that reaches a
   * server without CORS support (Kestra); `application/json` needs the target to answer preflights.
   */
  webhookContentType?: 'text/plain' | 'application/json';
  /** The clock behind `email_1_sent_at`. Default: real time. */
  now?: () => Date;
  /** Per Resend call. Default 10 000 ms. */
  resendTimeoutMs?: number;
}

/** Email #1 as the website sent (or failed to send) it. */
export interface SiteEmail {
  to: string;
  subject: string;
  status: 'sent' | 'failed';
  /** When the page asked for it. */
  requestedAt: string;
  /** When Resend accepted it (the `email_1_sent_at` the page posts). */
  sentAt?: string;
  resendId?: string;
  idempotencyKey: string;
  error?: string;
}

export interface FunnelSite {
  /** The funnel's entry page. */
  url: string;
  /** Scheme, host and port. */
  origin: string;
  sentEmails(): SiteEmail[];
  stop(): Promise<void>;
}

const STATIC_FILES: Readonly<Record<string, { file: string; type: string }>> = {
  '/assets/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/assets/styles.css': { file: 'styles.css', type: 'text/css; charset=utf-8' },
};

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

interface Template {
  subject: string;
  body: string;
}

function emailOneTemplate(): Template {
  const all = JSON.parse(readFileSync(TEMPLATES_FILE, 'utf8')) as Record<string, unknown>[];
  // SPEC §1: the website sends its own email (helpers/spec WEBSITE_EMAIL), with that email's template.
  const found = all.find((t) => t['Template Name'] === WEBSITE_EMAIL.template);
  if (!found || typeof found.Subject !== 'string' || typeof found.Body !== 'string') throw new Error(`${TEMPLATES_FILE}: ${WEBSITE_EMAIL.template} (Subject, Body) is missing`);
  return { subject: found.Subject, body: found.Body };
}

function sendText(res: ServerResponse, status: number, body: string, type: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

export async function startFunnelSite(options: FunnelSiteOptions): Promise<FunnelSite> {
  for (const [name, url] of Object.entries(options.webhooks)) {
    if (!/^https?:\/\//.test(url)) throw new Error(`startFunnelSite: webhooks.${name} must be an http(s) URL (got "${url}")`);
  }
  if (!/^https?:\/\//.test(options.resend.url)) throw new Error(`startFunnelSite: resend.url must be an http(s) URL (got "${options.resend.url}")`);
  const now = options.now ?? (() => new Date());
  const content = siteContent();
  const template = emailOneTemplate();
  const html = readFileSync(`${SITE_DIR}index.html`, 'utf8');
  const emails: SiteEmail[] = [];
  const config = {
    webhooks: options.webhooks,
    webhookContentType: options.webhookContentType ?? 'text/plain',
    emailEndpoint: '/api/email',
    source: content.source,
    systems: content.systems,
    ratings: content.ratings,
  };
  const configScript = `window.FUNNEL_CONFIG = ${JSON.stringify(config).replace(/</g, '\\u003c')};\n`;

  async function sendEmailOne(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const read = await readBody(req, 16 * 1024);
    if (read.kind !== 'ok') return void sendJson(res, 413, { status: 'failed', error: 'body missing or larger than 16 KiB' });
    const parsed = parseJson(read.text);
    if (!parsed.ok || !isJsonObject(parsed.value)) return void sendJson(res, 400, { status: 'failed', error: 'body must be a JSON object' });
    const input = parsed.value;
    const email = typeof input.email === 'string' ? input.email.trim() : '';
    const firstName = typeof input.first_name === 'string' ? input.first_name.trim() : '';
    if (!email || !firstName) return void sendJson(res, 400, { status: 'failed', error: 'email and first_name are required' });

    const values: Partial<Record<TemplateVariable, string>> = {
      first_name: firstName,
      business_name: typeof input.business_name === 'string' && input.business_name ? input.business_name : 'your business',
      segment: typeof input.segment === 'string' ? input.segment : '',
      weakest_system: typeof input.weakest_system_1 === 'string' ? input.weakest_system_1 : '',
      revenue_leak_total: typeof input.revenue_leak_total === 'number' ? input.revenue_leak_total.toLocaleString('en-CA') : '',
      ...CAMPAIGN_CONSTANTS,
    };
    const escaped = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, escapeHtml(v)]));
    const record: SiteEmail = {
      to: email,
      subject: renderTemplate(template.subject, values),
      status: 'failed',
      requestedAt: now().toISOString(),
      idempotencyKey: idempotencyKey(email, WEBSITE_EMAIL.sequence, WEBSITE_EMAIL.number),
    };
    emails.push(record);

    if (!isAllowedRecipient(email)) {
      record.error = `recipient "${email}" refused by the harness's recipient guard (SPEC §9)`;
      return void sendJson(res, 422, { status: 'failed', error: record.error });
    }
    try {
      const response = await fetch(`${options.resend.url.replace(/\/+$/, '')}/emails`, {
        method: 'POST',
        headers: { authorization: `Bearer ${options.resend.apiKey}`, 'content-type': 'application/json', 'idempotency-key': record.idempotencyKey },
        body: JSON.stringify({ from: SENDER, to: [email], subject: record.subject, html: renderTemplate(template.body, escaped), tags: emailTags(WEBSITE_EMAIL.sequence, WEBSITE_EMAIL.number) }),
        signal: AbortSignal.timeout(options.resendTimeoutMs ?? 10_000),
      });
      const answer = (await response.json().catch(() => ({}))) as { id?: unknown; message?: unknown };
      if (!response.ok || typeof answer.id !== 'string') {
        record.error = `Resend answered ${response.status}${typeof answer.message === 'string' ? `: ${answer.message}` : ''}`;
        return void sendJson(res, 502, { status: 'failed', error: record.error });
      }
      record.status = 'sent';
      record.sentAt = now().toISOString();
      record.resendId = answer.id;
      sendJson(res, 200, { status: 'sent', sent_at: record.sentAt, id: record.resendId });
    } catch (error) {
      record.error = `Resend unreachable: ${(error as Error).message}`;
      sendJson(res, 502, { status: 'failed', error: record.error });
    }
  }

  const server = await startHttpServer({
    name: 'funnel site',
    port: options.port,
    onCrash: (res, error) => sendJson(res, 500, { status: 'failed', error: (error as Error).message }),
    async handle(req, res) {
      const path = new URL(req.url ?? '/', 'http://site').pathname;
      const method = req.method ?? 'GET';
      if (method === 'POST' && path === '/api/email') return sendEmailOne(req, res);
      if (method !== 'GET' && method !== 'HEAD') return void sendJson(res, 405, { error: `${method} ${path} is not served` });
      if (path === '/') return void sendEmpty(res, 302, { location: FUNNEL_PATH });
      if (path === FUNNEL_PATH || path === `${FUNNEL_PATH}/`) return sendText(res, 200, html, 'text/html; charset=utf-8');
      if (path === '/funnel-config.js') return sendText(res, 200, configScript, 'text/javascript; charset=utf-8');
      if (path === '/favicon.ico') return void sendEmpty(res, 204);
      const asset = STATIC_FILES[path];
      if (asset) return sendText(res, 200, readFileSync(`${SITE_DIR}${asset.file}`, 'utf8'), asset.type);
      sendText(res, 404, `not found: ${path}`, 'text/plain; charset=utf-8');
    },
  });

  return {
    url: `${server.url}${FUNNEL_PATH}`,
    origin: server.url,
    sentEmails: () => emails.map((e) => ({ ...e })),
    stop: () => server.stop(),
  };
}
