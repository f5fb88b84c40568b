/**
 * When a request may be sent again, and how long to wait first.
 *
 * Two classes of request:
 *  - `idempotent` (GET, PUT, POST /flows/validate): retried on network errors, 5xx (except 501/505)
 *    and 429.
 *  - `unsafe` (webhook POSTs, flow creation): a retry could create a SECOND execution (or hit
 *    "flow already exists"), so it is retried only when the server provably did not act on it:
 *      · the connection was never established (ECONNREFUSED, DNS failure, connect timeout);
 *      · 429 Too Many Requests (rejected before processing, typically by the proxy);
 *      · 503 Service Unavailable (Traefik's "no healthy backend"; Kestra itself answers 500
 *        when it fails after accepting a webhook).
 *    A reset socket, a read timeout, 500/502/504 are NOT retried: the execution may exist.
 * Never retried: any other 4xx, and any 2xx whose body is wrong.
 */

export interface RetryOptions {
  /** Total tries, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A `Retry-After` longer than this is not waited for: the error is thrown at once. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 4, baseDelayMs: 250, maxDelayMs: 4_000, maxRetryAfterMs: 60_000 };

export type RetryClass = 'idempotent' | 'unsafe';

/** Errors raised before a single byte of the request reached the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** Errors after which the request may or may not have been processed. */
const MAYBE_SENT_CODES = new Set([
  'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'REQUEST_TIMEOUT',
]);

export function isRetryableStatus(status: number, cls: RetryClass): boolean {
  if (cls === 'unsafe') return status === 429 || status === 503;
  return status === 429 || (status >= 500 && status <= 599 && status !== 501 && status !== 505);
}

export function isRetryableErrorCode(code: string, cls: RetryClass): boolean {
  return NOT_SENT_CODES.has(code) || (cls === 'idempotent' && MAYBE_SENT_CODES.has(code));
}

export function isKnownNetworkCode(code: string): boolean {
  return NOT_SENT_CODES.has(code) || MAYBE_SENT_CODES.has(code);
}

/** The system error code of an error raised by undici or Node (`err.code`, else `err.cause.code`). */
export function errorCode(err: unknown): string | undefined {
  const pick = (e: unknown): string | undefined =>
    e && typeof e === 'object' && 'code' in e && typeof (e as { code: unknown }).code === 'string' ? (e as { code: string }).code : undefined;
  const direct = pick(err);
  if (direct && direct !== 'UND_ERR_REQ_RETRY') return direct;
  const cause = err && typeof err === 'object' && 'cause' in err ? (err as { cause: unknown }).cause : undefined;
  return pick(cause) ?? direct;
}

/** Exponential backoff with jitter: between 50% and 100% of min(max, base·2^(retry-1)). */
export function backoffDelay(retry: number, opts: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs'>, random: () => number): number {
  const ceiling = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling * (0.5 + 0.5 * random()));
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP-date; `undefined` when absent/unreadable. */
export function parseRetryAfter(header: string | string[] | undefined, nowMs: number): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
