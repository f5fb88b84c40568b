/**
 * One HTTP exchange with bounded retries, on undici's `request`. The dispatcher is injectable
 * (tests pass a MockAgent); without one undici's global dispatcher is used.
 */
import type { Dispatcher } from 'undici';
import { KestraHttpError, KestraNetworkError, KestraUsageError } from './errors.js';
import type { ProgressListener } from './progress.js';
import { oneLine, type Redactor } from '../redact.js';
import {
  backoffDelay, errorCode, isKnownNetworkCode, isRetryableErrorCode, isRetryableStatus, parseRetryAfter,
  type RetryClass, type RetryOptions,
} from './retry.js';
import { assertSafeRoute, type HttpMethod } from './routes.js';

/**
 * undici, loaded on the first request, not with this file: the e2e spec files import the client
 * (for its errors and types), and Playwright's runner loads every spec file only to list its tests.
 */
let undici: Promise<typeof import('undici')> | undefined;

export interface TransportOptions {
  baseUrl: URL;
  dispatcher?: Dispatcher;
  /** Per attempt. */
  timeoutMs: number;
  retry: RetryOptions;
  /** `Basic …`, sent unless a request opts out. */
  authorization?: string;
  redactor: Redactor;
  emit: ProgressListener;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  random: () => number;
  /** Refuses a route before anything is sent. Default: the client's allow-list (routes.ts, never deletes). */
  assertRoute?: (method: string, path: string, query?: URLSearchParams) => void;
}

export interface SendSpec {
  method: HttpMethod;
  /** Route path (see routes.ts), relative to the base URL. */
  path: string;
  query?: URLSearchParams;
  /** Another origin (the management port) instead of the base URL. */
  origin?: URL;
  body?: string;
  contentType?: string;
  retryClass: RetryClass;
  /** Non-2xx statuses returned as answers instead of thrown (e.g. 503 from /health). */
  acceptStatuses?: readonly number[];
  /** Send the Basic credentials (default true). */
  auth?: boolean;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  method: HttpMethod;
  /** Full URL, redacted. */
  url: string;
  /** Path and query, redacted — for shape errors. */
  endpoint: string;
  attempts: number;
}

class TimeoutMarker extends Error {}

export class HttpTransport {
  constructor(private readonly opts: TransportOptions) {}

  buildUrl(spec: Pick<SendSpec, 'path' | 'query' | 'origin'>): URL {
    const base = spec.origin ?? this.opts.baseUrl;
    const url = new URL(base.toString());
    url.pathname = `${base.pathname.replace(/\/+$/, '')}${spec.path}`;
    url.search = spec.query && [...spec.query.keys()].length > 0 ? `?${spec.query.toString()}` : '';
    return url;
  }

  async send(spec: SendSpec): Promise<RawResponse> {
    (this.opts.assertRoute ?? assertSafeRoute)(spec.method, spec.path, spec.query);
    const { retry, redactor, emit } = this.opts;
    const url = this.buildUrl(spec);
    const shownUrl = redactor.url(url);
    const endpoint = redactor.text(`${url.pathname}${url.search}`);
    const maxAttempts = Math.max(1, Math.floor(retry.attempts));

    for (let attempt = 1; ; attempt++) {
      emit({ type: 'request', method: spec.method, url: shownUrl, attempt });
      let res: { status: number; headers: RawResponse['headers']; text: string };
      try {
        res = await this.once(url, spec);
      } catch (err) {
        if (err instanceof KestraUsageError) throw err;
        const code = err instanceof TimeoutMarker ? 'REQUEST_TIMEOUT' : (errorCode(err) ?? 'UNKNOWN');
        const detail = redactor.text(oneLine(err instanceof Error ? err.message : String(err), 200));
        const retryable = isRetryableErrorCode(code, spec.retryClass);
        if (retryable && attempt < maxAttempts) {
          const delayMs = backoffDelay(attempt, retry, this.opts.random);
          emit({ type: 'retry', method: spec.method, url: shownUrl, attempt, delayMs, reason: code });
          await this.opts.sleep(delayMs);
          continue;
        }
        const note = !retryable && spec.retryClass === 'unsafe' && isKnownNetworkCode(code)
          ? 'not retried: the server may already have acted on it (a retry could duplicate the execution)'
          : undefined;
        throw new KestraNetworkError(spec.method, shownUrl, code, detail === code ? '' : detail, attempt, note);
      }

      if ((res.status >= 200 && res.status < 300) || spec.acceptStatuses?.includes(res.status)) {
        return { ...res, method: spec.method, url: shownUrl, endpoint, attempts: attempt };
      }

      const excerpt = redactor.text(oneLine(errorDetail(res.text)));
      if (isRetryableStatus(res.status, spec.retryClass) && attempt < maxAttempts) {
        const retryAfter = parseRetryAfter(res.headers['retry-after'], this.opts.now());
        if (retryAfter !== undefined && retryAfter > retry.maxRetryAfterMs) {
          throw new KestraHttpError(res.status, spec.method, shownUrl, excerpt, attempt,
            `Retry-After ${Math.ceil(retryAfter / 1000)}s exceeds the ${Math.ceil(retry.maxRetryAfterMs / 1000)}s limit`);
        }
        const delayMs = Math.max(backoffDelay(attempt, retry, this.opts.random), retryAfter ?? 0);
        emit({ type: 'retry', method: spec.method, url: shownUrl, attempt, delayMs, reason: `HTTP ${res.status}` });
        await this.opts.sleep(delayMs);
        continue;
      }
      const note = spec.retryClass === 'unsafe' && res.status >= 500 && !isRetryableStatus(res.status, 'unsafe')
        ? 'not retried: the server may already have acted on it'
        : undefined;
      throw new KestraHttpError(res.status, spec.method, shownUrl, excerpt, attempt, note);
    }
  }

  private async once(url: URL, spec: SendSpec): Promise<{ status: number; headers: RawResponse['headers']; text: string }> {
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'kestra-campaign-harness' };
    if (spec.contentType) headers['content-type'] = spec.contentType;
    if (this.opts.authorization && spec.auth !== false) headers.authorization = this.opts.authorization;

    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new TimeoutMarker(`no answer within ${this.opts.timeoutMs}ms`));
    }, this.opts.timeoutMs);
    timer.unref?.();
    try {
      const { request } = await (undici ??= import('undici'));
      const res = await request(url, {
        method: spec.method,
        headers,
        body: spec.body,
        signal: controller.signal,
        ...(this.opts.dispatcher ? { dispatcher: this.opts.dispatcher } : {}),
      });
      const text = await res.body.text();
      return { status: res.statusCode, headers: res.headers, text };
    } catch (err) {
      if (timedOut) throw new TimeoutMarker(`no answer within ${this.opts.timeoutMs}ms`);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Kestra/Micronaut error bodies are JSON with a `message`; fall back to the raw text. */
function errorDetail(text: string): string {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object') {
      const obj = parsed as Record<string, unknown>;
      const embedded = (obj._embedded as { errors?: { message?: unknown }[] } | undefined)?.errors
        ?.map((e) => e.message)
        .filter((m): m is string => typeof m === 'string');
      const parts = [obj.message, obj.detail, obj.title].filter((m): m is string => typeof m === 'string');
      const all = [...new Set([...parts, ...(embedded ?? [])])];
      if (all.length > 0) return all.join(' — ');
    }
  } catch {
    /* not JSON */
  }
  return text;
}
