/**
 * What a stand-in was asked, for tests: method, path, status, the route it matched, the parsed
 * body and a few safe headers. The Authorization header's value is never recorded — only whether
 * the credential was missing, invalid or valid.
 */
import type { FaultKind } from './faults.js';

export type AuthOutcome = 'missing' | 'invalid' | 'valid' | 'not_checked';

export interface LoggedRequest {
  /** When the request arrived (ISO 8601, real time). */
  at: string;
  method: string;
  /** Path and query string, as sent. */
  path: string;
  /** The stand-in's name for the route, e.g. 'query' or 'sendEmail'; null when no route matched. */
  route: string | null;
  /** The HTTP status answered; 0 when no response was sent (a hang or a cut connection). */
  status: number;
  /** The error code/name answered, when the answer was an error. */
  error?: string;
  auth: AuthOutcome;
  /** Allow-listed request headers (lower-case names), never Authorization. */
  headers: Record<string, string>;
  /** The request body parsed as JSON, when it was valid JSON. */
  body?: unknown;
  fault?: FaultKind;
  requestId?: string;
}

export class RequestLog {
  #entries: LoggedRequest[] = [];

  /** Starts an entry; the caller fills in route/status/… as the request is handled. */
  start(method: string, path: string, headers: Record<string, string>): LoggedRequest {
    const entry: LoggedRequest = { at: new Date().toISOString(), method, path, route: null, status: 0, auth: 'not_checked', headers };
    this.#entries.push(entry);
    return entry;
  }

  all(): LoggedRequest[] {
    return this.#entries.map((e) => structuredClone(e));
  }

  clear(): void {
    this.#entries = [];
  }
}

/** Copies the allow-listed headers; refuses to be given `authorization`, so it can never leak. */
export function safeHeaders(raw: NodeJS.Dict<string | string[]>, allow: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of allow) {
    const lower = name.toLowerCase();
    if (lower === 'authorization' || lower === 'cookie') continue;
    const value = raw[lower];
    if (value !== undefined) out[lower] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
