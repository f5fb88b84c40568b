/**
 * Polling with backoff (100 ms → ×2 → 2 s by default) until a condition holds or the deadline
 * passes. One last check is made at the deadline before giving up.
 */
import { KestraHttpError, KestraTimeoutError } from './errors.js';
import type { ProgressListener } from './progress.js';
import { isTerminalState, type Execution } from './schemas.js';

export interface PollTiming {
  /** How long to wait, in ms from the call. Default 60 000. */
  deadlineMs?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

export interface Clock {
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

export interface WaitForTerminalOptions extends PollTiming {
  onProgress?: ProgressListener;
  /** Overrides "terminal" (default: Kestra's State.Type#isTerminated). */
  isDone?: (execution: Execution) => boolean;
}

export function delays(t: PollTiming): { deadlineMs: number; initial: number; max: number } {
  return { deadlineMs: t.deadlineMs ?? 60_000, initial: t.initialDelayMs ?? 100, max: t.maxDelayMs ?? 2_000 };
}

/**
 * Polls `get(id)` until the execution is terminal. A 404 while polling counts as "not visible
 * yet" (the webhook answers before the executor has stored the execution) and is retried until
 * the deadline.
 */
export async function pollUntilTerminal(
  get: (id: string) => Promise<Execution>,
  id: string,
  opts: WaitForTerminalOptions,
  clock: Clock,
  emit: ProgressListener,
): Promise<Execution> {
  const { deadlineMs, initial, max } = delays(opts);
  const isDone = opts.isDone ?? ((e: Execution) => isTerminalState(e.state.current));
  const started = clock.now();
  let delay = initial;
  let lastState: string | undefined;
  for (let poll = 1; ; poll++) {
    let execution: Execution | undefined;
    try {
      execution = await get(id);
    } catch (err) {
      if (!(err instanceof KestraHttpError && err.status === 404)) throw err;
      lastState = 'not found (404)';
    }
    const elapsedMs = clock.now() - started;
    if (execution) {
      lastState = execution.state.current;
      if (isDone(execution)) {
        emit({ type: 'terminal', executionId: id, state: lastState, elapsedMs });
        return execution;
      }
    }
    const remaining = deadlineMs - elapsedMs;
    if (remaining <= 0) {
      throw new KestraTimeoutError(
        `execution ${id} did not reach a terminal state within ${deadlineMs}ms (last state: ${lastState ?? 'unknown'}, ${poll} poll${poll > 1 ? 's' : ''})`,
        deadlineMs, elapsedMs, id, lastState,
      );
    }
    const nextDelayMs = Math.min(delay, remaining);
    emit({ type: 'poll', executionId: id, state: execution?.state.current, poll, elapsedMs, nextDelayMs });
    await clock.sleep(nextDelayMs);
    delay = Math.min(max, delay * 2);
  }
}
