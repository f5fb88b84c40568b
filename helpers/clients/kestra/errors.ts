/**
 * Typed errors of the Kestra client. Every message is ONE readable line and already redacted
 * (URLs carry `***` in place of webhook keys; passwords never appear).
 */

export abstract class KestraError extends Error {}

/** A non-2xx answer (after the retries the policy allowed). */
export class KestraHttpError extends KestraError {
  override readonly name = 'KestraHttpError';
  constructor(
    readonly status: number,
    readonly method: string,
    /** Full URL, redacted. */
    readonly url: string,
    /** From the body: Kestra's `message` (+ Micronaut `_embedded.errors`), else the raw text; one line, truncated, redacted. */
    readonly bodyExcerpt: string,
    readonly attempts = 1,
    /** Why the request was not retried further, when that is worth saying. */
    readonly note?: string,
  ) {
    const detail = bodyExcerpt ? `: ${bodyExcerpt}` : '';
    const tries = attempts > 1 ? ` (after ${attempts} attempts)` : '';
    super(`${method} ${url} → HTTP ${status}${detail}${tries}${note ? ` — ${note}` : ''}`);
  }
}

/** The request never got an HTTP answer: connection refused, DNS failure, reset, timeout. */
export class KestraNetworkError extends KestraError {
  override readonly name = 'KestraNetworkError';
  constructor(
    readonly method: string,
    readonly url: string,
    /** `ECONNREFUSED`, `UND_ERR_SOCKET`, `REQUEST_TIMEOUT`, … */
    readonly code: string,
    detail: string,
    readonly attempts = 1,
    readonly note?: string,
  ) {
    const tries = attempts > 1 ? ` (after ${attempts} attempts)` : '';
    super(`${method} ${url} failed: ${code}${detail ? ` ${detail}` : ''}${tries}${note ? ` — ${note}` : ''}`);
  }
}

export interface ShapeIssue {
  /** `state.current`, `results[2].id`, `(body)` … */
  path: string;
  problem: string;
}

/** A 2xx answer whose body is not the JSON the client expects. Never retried. */
export class KestraResponseShapeError extends KestraError {
  override readonly name = 'KestraResponseShapeError';
  constructor(
    readonly method: string,
    /** Path and query, redacted. */
    readonly endpoint: string,
    readonly issues: readonly ShapeIssue[],
  ) {
    const [first] = issues;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more issue${issues.length > 2 ? 's' : ''})` : '';
    const head = first ? (first.path === '(body)' ? first.problem : `${first.path} ${first.problem}`) : 'unexpected response';
    super(`${method} ${endpoint}: ${head}${more}`);
  }
}

/** A wait that ran out of time. */
export class KestraTimeoutError extends KestraError {
  override readonly name = 'KestraTimeoutError';
  constructor(
    message: string,
    readonly deadlineMs: number,
    readonly elapsedMs: number,
    readonly executionId?: string,
    readonly lastState?: string,
  ) {
    super(message);
  }
}

/** A call the client refuses to make (it could delete flows, or the arguments are unusable). */
export class KestraUsageError extends KestraError {
  override readonly name = 'KestraUsageError';
}

/** Flows rejected by `POST /flows/validate`; nothing was deployed. */
export class KestraValidationError extends KestraError {
  override readonly name = 'KestraValidationError';
  constructor(
    readonly namespace: string,
    readonly invalid: readonly { flow: string; violations: readonly string[] }[],
  ) {
    const list = invalid.map((f) => `${f.flow}: ${f.violations.join('; ')}`).join(' | ');
    super(`${invalid.length} flow(s) of ${namespace} failed validation, nothing deployed — ${list.replace(/\s+/g, ' ')}`);
  }
}
