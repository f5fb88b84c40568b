/**
 * Resend read-back: what became of an email Kestra sent, by its id — `GET /emails/{id}` →
 * `last_event`. Used by the production smoke's email ledger (helpers/tools/smoke/ledger.ts).
 *
 *   const resend = createResendReadBack({ apiKey });             // https://api.resend.com
 *   const email = await resend.getEmail('4ef9a417-…');          // null when Resend has no such email
 *   deliveryVerdict(email.lastEvent);                           // 'delivered' | 'failed' | 'in-flight' | 'unknown'
 *
 * `last_event` values (Resend's email events): sent, delivered, delivery_delayed, bounced,
 * complained, opened, clicked, failed, scheduled, queued, canceled, suppressed.
 * Needs a full-access key: a sending-only key answers 401 restricted_api_key on reads.
 * Errors are one line (ResendReadBackError) and never contain the key. Network errors, 5xx and
 * 429 are retried (429 after its Retry-After, bounded); 404 is an answer (`null`), not an error.
 */
import { request, type Dispatcher } from 'undici';
import { z } from 'zod';
import { oneLine, Redactor } from '../redact.js';
import { PRODUCTION_RESEND_API_URL } from '../../spec/index.js';

export const DELIVERED_EVENTS = ['delivered', 'opened', 'clicked'] as const;
export const FAILED_EVENTS = ['bounced', 'failed', 'complained', 'suppressed', 'canceled'] as const;
export const IN_FLIGHT_EVENTS = ['sent', 'queued', 'scheduled', 'delivery_delayed'] as const;

export type DeliveryVerdict = 'delivered' | 'failed' | 'in-flight' | 'unknown';

/** delivered (opened/clicked imply it), failed (bounced, complained, …), still on its way, or an event this code does not know. */
export function deliveryVerdict(lastEvent: string | null | undefined): DeliveryVerdict {
  const e = (lastEvent ?? '').toLowerCase();
  if ((DELIVERED_EVENTS as readonly string[]).includes(e)) return 'delivered';
  if ((FAILED_EVENTS as readonly string[]).includes(e)) return 'failed';
  if ((IN_FLIGHT_EVENTS as readonly string[]).includes(e)) return 'in-flight';
  return 'unknown';
}

const EmailSchema = z.looseObject({
  id: z.string(),
  last_event: z.string().nullish(),
  to: z.union([z.array(z.string()), z.string()]).nullish(),
  from: z.string().nullish(),
  subject: z.string().nullish(),
  created_at: z.string().nullish(),
});

export interface ResendEmail {
  id: string;
  lastEvent: string | null;
  to: string[];
  from: string | null;
  subject: string | null;
  createdAt: string | null;
}

export class ResendReadBackError extends Error {
  override name = 'ResendReadBackError';
}

export interface ResendReadBackOptions {
  apiKey: string;
  /** Default https://api.resend.com. */
  baseUrl?: string;
  dispatcher?: Dispatcher;
  /** Per request. Default 15 000. */
  timeoutMs?: number;
  /** Default 3. */
  attempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface ResendReadBack {
  getEmail(id: string): Promise<ResendEmail | null>;
}

const MAX_RETRY_AFTER_MS = 10_000;

export function createResendReadBack(options: ResendReadBackOptions): ResendReadBack {
  if (!options.apiKey) throw new ResendReadBackError('Resend read-back: the API key is empty (RESEND_API_KEY)');
  const base = new URL(options.baseUrl ?? PRODUCTION_RESEND_API_URL);
  const redactor = new Redactor();
  redactor.add(options.apiKey);
  const attempts = Math.max(1, options.attempts ?? 3);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  return {
    async getEmail(id) {
      if (!/^[A-Za-z0-9_-]{1,128}$/.test(id)) throw new ResendReadBackError(`Resend read-back: "${id}" is not a Resend email id`);
      const url = new URL(base.toString());
      url.pathname = `${base.pathname.replace(/\/+$/, '')}/emails/${encodeURIComponent(id)}`;
      const shown = `GET ${redactor.url(url)}`;
      for (let attempt = 1; ; attempt++) {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 15_000);
        timer.unref?.();
        let status: number;
        let text: string;
        let retryAfter: string | string[] | undefined;
        try {
          const res = await request(url, {
            method: 'GET',
            headers: { authorization: `Bearer ${options.apiKey}`, accept: 'application/json', 'user-agent': 'kestra-campaign-harness' },
            signal: controller.signal,
            ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
          });
          status = res.statusCode;
          retryAfter = res.headers['retry-after'];
          text = await res.body.text();
        } catch (err) {
          if (attempt < attempts) {
            await sleep(300 * attempt);
            continue;
          }
          const code = controller.signal.aborted ? 'REQUEST_TIMEOUT' : ((err as { code?: string }).code ?? 'NETWORK_ERROR');
          throw new ResendReadBackError(`${shown} failed: ${code}`);
        } finally {
          clearTimeout(timer);
        }
        if (status === 404) return null;
        if (status >= 200 && status < 300) {
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            throw new ResendReadBackError(`${shown}: answer is not JSON`);
          }
          const parsed = EmailSchema.safeParse(json);
          if (!parsed.success) {
            const issue = parsed.error.issues[0];
            throw new ResendReadBackError(`${shown}: unexpected answer — ${issue?.path.join('.') || '(root)'} ${issue?.message ?? 'is invalid'}`);
          }
          const e = parsed.data;
          return {
            id: e.id,
            lastEvent: e.last_event ?? null,
            to: e.to == null ? [] : Array.isArray(e.to) ? e.to : [e.to],
            from: e.from ?? null,
            subject: e.subject ?? null,
            createdAt: e.created_at ?? null,
          };
        }
        if ((status === 429 || status >= 500) && attempt < attempts) {
          const seconds = Number(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
          await sleep(Number.isFinite(seconds) && seconds > 0 ? Math.min(MAX_RETRY_AFTER_MS, seconds * 1000) : 500 * attempt);
          continue;
        }
        let message = text;
        try {
          message = String((JSON.parse(text) as { message?: unknown }).message ?? text);
        } catch {
          /* raw text */
        }
        const hint = status === 401 || status === 403 ? ' — RESEND_API_KEY must be a full-access key (a sending-only key cannot read emails)' : '';
        throw new ResendReadBackError(`${shown} → HTTP ${status}: ${redactor.text(oneLine(message, 200))}${hint}`);
      }
    },
  };
}
