/**
 * Task `retry` (behaviour RETRY_FAILED_TASK: a new attempt of the same task run), as Kestra
 * computes it in TaskRun#nextRetryDate and the retry classes (core/.../models/tasks/retrys/):
 *
 *  - `maxAttempts` (legacy `maxAttempt`) counts every attempt, the first included; neither it nor
 *    `maxDuration` set → no limit (Kestra retries until it succeeds);
 *  - the wait before the next attempt, k = attempts made so far:
 *      constant    → interval
 *      exponential → min(maxInterval, interval × delayFactor(2) × (k − 1))   — Exponential#nextRetryDate
 *                    (so the first retry is immediate and the next ones grow linearly, as Kestra does)
 *      random      → uniform in [minInterval, maxInterval)
 *  - `maxDuration`: no attempt starts later than the first attempt's start + maxDuration.
 *
 * The stand-in waits on the REAL timer, multiplied by its `retryDelayScale` (1 = Kestra's waits;
 * tests pass e.g. 0.001 so PT1S is 1 ms).
 */
import { parseDuration } from './time.js';

export interface RetryPolicy {
  type: 'constant' | 'exponential' | 'random';
  intervalMs: number;
  maxIntervalMs: number;
  minIntervalMs: number;
  delayFactor: number;
  maxAttempts?: number;
  maxDurationMs?: number;
  warningOnRetry: boolean;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The policy of a task's `retry` property (already validated at deploy time), or undefined. */
export function retryPolicyOf(retry: unknown): RetryPolicy | undefined {
  if (!isRecord(retry)) return undefined;
  const type = retry.type === 'exponential' || retry.type === 'random' ? retry.type : 'constant';
  const maxAttempts = typeof retry.maxAttempts === 'number' ? retry.maxAttempts : typeof retry.maxAttempt === 'number' ? retry.maxAttempt : undefined;
  const maxDurationMs = parseDuration(retry.maxDuration);
  return {
    type,
    intervalMs: parseDuration(retry.interval) ?? 0,
    maxIntervalMs: parseDuration(retry.maxInterval) ?? Number.POSITIVE_INFINITY,
    minIntervalMs: parseDuration(retry.minInterval) ?? 0,
    delayFactor: typeof retry.delayFactor === 'number' ? Math.trunc(retry.delayFactor) : 2,
    ...(maxAttempts !== undefined ? { maxAttempts } : {}),
    ...(maxDurationMs !== undefined ? { maxDurationMs } : {}),
    warningOnRetry: retry.warningOnRetry === true,
  };
}

/** Kestra's wait (ms) before the next attempt, after `attemptsMade` attempts. */
export function retryDelayMs(policy: RetryPolicy, attemptsMade: number, random: () => number = Math.random): number {
  switch (policy.type) {
    case 'constant':
      return policy.intervalMs;
    case 'exponential':
      return Math.min(policy.maxIntervalMs, policy.intervalMs * policy.delayFactor * (attemptsMade - 1));
    case 'random': {
      const span = Math.max(0, policy.maxIntervalMs - policy.minIntervalMs);
      return policy.minIntervalMs + Math.floor(random() * span);
    }
  }
}

/**
 * The wait before another attempt, or undefined when none is allowed. `elapsedMs` is Kestra time
 * since the first attempt started (for maxDuration).
 */
export function nextRetry(policy: RetryPolicy, attemptsMade: number, elapsedMs: number, random?: () => number): number | undefined {
  if (policy.maxAttempts !== undefined && attemptsMade >= policy.maxAttempts) return undefined;
  const delay = retryDelayMs(policy, attemptsMade, random);
  if (policy.maxDurationMs !== undefined && elapsedMs + delay > policy.maxDurationMs) return undefined;
  return delay;
}
