/**
 * Typed errors of the Dokploy client. Every message is ONE readable line, already redacted (the
 * API key never appears), naming the endpoint or the deployment concerned.
 */

export abstract class DokployError extends Error {}

/** A non-2xx answer. */
export class DokployHttpError extends DokployError {
  override readonly name = 'DokployHttpError';
  constructor(
    readonly status: number,
    readonly method: string,
    /** Redacted URL. */
    readonly url: string,
    readonly bodyExcerpt: string,
    hint?: string,
  ) {
    super(`${method} ${url} → HTTP ${status}${bodyExcerpt ? `: ${bodyExcerpt}` : ''}${hint ? ` — ${hint}` : ''}`);
  }
}

/** No HTTP answer at all: refused, DNS, reset, timeout. */
export class DokployNetworkError extends DokployError {
  override readonly name = 'DokployNetworkError';
  constructor(
    readonly method: string,
    readonly url: string,
    readonly code: string,
    detail: string,
  ) {
    super(`${method} ${url} failed: ${code}${detail && detail !== code ? ` ${detail}` : ''}`);
  }
}

/** A 2xx answer whose body is not what the client expects. */
export class DokployResponseShapeError extends DokployError {
  override readonly name = 'DokployResponseShapeError';
  constructor(
    readonly method: string,
    readonly endpoint: string,
    readonly problem: string,
  ) {
    super(`${method} ${endpoint}: unexpected answer — ${problem}`);
  }
}

/** The deployment ended in `error` (or any status other than `done`). */
export class DokployDeploymentFailedError extends DokployError {
  override readonly name = 'DokployDeploymentFailedError';
  constructor(
    readonly composeId: string,
    readonly deploymentId: string,
    readonly status: string,
    readonly errorMessage: string | undefined,
    readonly title: string | undefined,
  ) {
    super(
      `Dokploy deployment ${deploymentId} of compose ${composeId} ended with status "${status}"` +
        `${title ? ` (${title})` : ''}${errorMessage ? `: ${errorMessage}` : ' — see its log in the Dokploy panel'}`,
    );
  }
}

/** The deployment did not appear, or did not finish, in time. */
export class DokployTimeoutError extends DokployError {
  override readonly name = 'DokployTimeoutError';
  constructor(
    message: string,
    readonly composeId: string,
    readonly timeoutMs: number,
    readonly deploymentId?: string,
    readonly lastStatus?: string,
  ) {
    super(message);
  }
}

/** A call the client refuses to make (bad arguments). */
export class DokployUsageError extends DokployError {
  override readonly name = 'DokployUsageError';
}
