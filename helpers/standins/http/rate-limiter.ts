/**
 * A token bucket per key (one per API token): `perSecond` tokens refill continuously up to
 * `burst`; each request takes one. This is how "an average of N requests per second, with some
 * bursts allowed" behaves, and it answers with the seconds to wait, for a Retry-After header.
 */

export interface RateLimit {
  /** Average requests per second allowed (may be fractional, e.g. 0.5). */
  perSecond: number;
  /** Requests allowed at once after a quiet spell. Defaults to `perSecond` rounded up. */
  burst?: number;
}

export type RateDecision =
  | { allowed: true; limit: number; remaining: number; resetSeconds: number }
  | { allowed: false; limit: number; remaining: 0; resetSeconds: number; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedMs: number;
}

export class TokenBucketLimiter {
  readonly perSecond: number;
  readonly burst: number;
  readonly #buckets = new Map<string, Bucket>();
  readonly #nowMs: () => number;

  /** `nowMs` is a monotonic clock in milliseconds (injectable so the limiter can be tested without waiting). */
  constructor(limit: RateLimit, nowMs: () => number = () => performance.now()) {
    if (!(limit.perSecond > 0) || !Number.isFinite(limit.perSecond)) {
      throw new Error(`rateLimit.perSecond must be a positive number (got ${String(limit.perSecond)})`);
    }
    const burst = limit.burst ?? Math.ceil(limit.perSecond);
    if (!Number.isInteger(burst) || burst < 1) throw new Error(`rateLimit.burst must be a whole number ≥ 1 (got ${String(limit.burst)})`);
    this.perSecond = limit.perSecond;
    this.burst = burst;
    this.#nowMs = nowMs;
  }

  /** Takes one token for `key` if there is one. */
  take(key: string): RateDecision {
    const bucket = this.#refilled(key);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, limit: this.burst, remaining: Math.floor(bucket.tokens), resetSeconds: this.#secondsUntil(this.burst - bucket.tokens) };
    }
    const retryAfterSeconds = this.#secondsUntil(1 - bucket.tokens);
    return { allowed: false, limit: this.burst, remaining: 0, resetSeconds: this.#secondsUntil(this.burst - bucket.tokens), retryAfterSeconds };
  }

  reset(): void {
    this.#buckets.clear();
  }

  #refilled(key: string): Bucket {
    const now = this.#nowMs();
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = { tokens: this.burst, updatedMs: now };
      this.#buckets.set(key, bucket);
      return bucket;
    }
    const elapsedSeconds = Math.max(0, now - bucket.updatedMs) / 1000;
    bucket.tokens = Math.min(this.burst, bucket.tokens + elapsedSeconds * this.perSecond);
    bucket.updatedMs = now;
    return bucket;
  }

  /** Whole seconds (at least 1) until `tokens` more have refilled: Retry-After is an integer. */
  #secondsUntil(tokens: number): number {
    if (tokens <= 0) return 0;
    return Math.max(1, Math.ceil(tokens / this.perSecond));
  }
}
