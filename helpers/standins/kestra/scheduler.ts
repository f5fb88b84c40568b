/**
 * Scheduling and the clock: which executions run now, which wait in CREATED for their
 * `scheduleDate`, and how the virtual clock releases them (advanceTo) or, in real-time mode, a
 * timer does. It also counts what runs, so that settle() can wait for quiet.
 *
 * Flow-level `concurrency` is applied when an execution is about to run, as Kestra's
 * ExecutorService#processExecutionRunning does (executor/src/main/java/io/kestra/executor/ExecutorService.java,
 * 1.x): with `limit` executions of the flow already running, QUEUE moves it to QUEUED with the INFO line
 * "Execution is queued due to concurrency limit exceeded, N running(s)", CANCEL ends it CANCELLED,
 * FAIL ends it FAILED ("Execution is FAILED due to concurrency limit exceeded"); under the limit it runs.
 * When a running execution of the flow ends, the oldest queued one is submitted and runs (the
 * executor's end handling: "check if there exist a queued execution and submit it").
 */
import type { StandinClock } from './clock.js';
import { isTerminal, type LogLevel } from './model.js';
import type { ExecutionRecord } from './records.js';

export interface SchedulerOptions {
  clock: StandinClock;
  /** settle() gives up after this long (ms), naming what still runs. */
  settleTimeoutMs: number;
  /** Runs one execution to its end (the interpreter). */
  run: (exec: ExecutionRecord) => Promise<void>;
  /** An unexpected error out of run(): recorded and logged by the engine; the execution FAILS. */
  crashed: (exec: ExecutionRecord, error: unknown) => void;
  /** Every execution, oldest first (settle's message names the running ones). */
  executions: () => readonly ExecutionRecord[];
  log: (exec: ExecutionRecord, level: LogLevel, message: string) => void;
}

export class Scheduler {
  readonly #opts: SchedulerOptions;
  readonly #scheduled = new Set<ExecutionRecord>();
  readonly #idleWaiters = new Set<() => void>();
  #active = 0;
  #idleCheck: NodeJS.Immediate | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  /** Per flow with `concurrency`: the executions holding a slot, and the QUEUED ones, oldest first. */
  readonly #slots = new Map<string, Set<ExecutionRecord>>();
  readonly #queues = new Map<string, ExecutionRecord[]>();

  constructor(opts: SchedulerOptions) {
    this.#opts = opts;
  }

  get #clock(): StandinClock {
    return this.#opts.clock;
  }

  /** Executions waiting in CREATED for their scheduleDate, soonest first. */
  scheduled(): ExecutionRecord[] {
    return [...this.#scheduled].sort(byScheduleDate);
  }

  isScheduled(exec: ExecutionRecord): boolean {
    return this.#scheduled.has(exec);
  }

  /** Takes a waiting execution off the release queue (a kill); false if it was not waiting. */
  unschedule(exec: ExecutionRecord): boolean {
    const was = this.#scheduled.delete(exec);
    if (was) this.#armTimer();
    return was;
  }

  /** Runs the execution now, or keeps it CREATED until its scheduleDate. */
  dispatch(exec: ExecutionRecord): void {
    if (exec.scheduleDate && exec.scheduleDate.getTime() > this.#clock.nowMs()) {
      this.#scheduled.add(exec);
      this.#armTimer();
      return;
    }
    this.start(exec);
  }

  /** Runs the execution on the next turn of the event loop. */
  start(exec: ExecutionRecord): void {
    this.#active++;
    setImmediate(() => this.#admit(exec));
  }

  /** Executions waiting in QUEUED for a concurrency slot of their flow, oldest first. */
  queued(): ExecutionRecord[] {
    return [...this.#queues.values()].flat();
  }

  /** The flow's concurrency decides: run now, or QUEUED / CANCELLED / FAILED (a queued one stays counted as active). */
  #admit(exec: ExecutionRecord): void {
    const concurrency = exec.flow.concurrency;
    if (concurrency && !this.#stopped) {
      const key = `${exec.flow.namespace}.${exec.flow.id}`;
      const slots = this.#slots.get(key) ?? new Set<ExecutionRecord>();
      this.#slots.set(key, slots);
      if (slots.size >= concurrency.limit) {
        const now = this.#clock.now();
        if (concurrency.behavior === 'QUEUE') {
          this.#opts.log(exec, 'INFO', `Execution is queued due to concurrency limit exceeded, ${slots.size} running(s)`);
          exec.state.to('QUEUED', now);
          const queue = this.#queues.get(key) ?? [];
          queue.push(exec);
          this.#queues.set(key, queue);
          return;
        }
        if (concurrency.behavior === 'FAIL') {
          this.#opts.log(exec, 'ERROR', 'Execution is FAILED due to concurrency limit exceeded');
          exec.state.to('FAILED', now);
        } else exec.state.to('CANCELLED', now);
        this.#ended(exec);
        return;
      }
      slots.add(exec);
    }
    this.#opts
      .run(exec)
      .catch((error: unknown) => {
        this.#opts.crashed(exec, error);
        if (!isTerminal(exec.state.current)) exec.state.to('FAILED', this.#clock.now());
      })
      .finally(() => {
        this.#releaseSlot(exec);
        this.#ended(exec);
      });
  }

  #ended(exec: ExecutionRecord): void {
    exec.markDone();
    this.#active--;
    this.#queueIdleCheck();
  }

  /** Frees the execution's slot and submits the oldest queued execution of its flow. */
  #releaseSlot(exec: ExecutionRecord): void {
    const key = `${exec.flow.namespace}.${exec.flow.id}`;
    if (!this.#slots.get(key)?.delete(exec)) return;
    const next = this.#queues.get(key)?.shift();
    if (next) this.#admit(next);
  }

  /**
   * Moves the clock to `target`, releasing every scheduled execution due by then in date order —
   * the clock stands at each one's scheduleDate while it runs — and running each to completion,
   * with whatever it creates, before the next. Returns the released ids in release order.
   */
  async advanceTo(target: Date): Promise<string[]> {
    const targetMs = target.getTime();
    if (!Number.isFinite(targetMs)) throw new Error('advance: not a valid date');
    const released: string[] = [];
    await this.settle();
    for (;;) {
      const next = this.scheduled().find((e) => e.scheduleDate!.getTime() <= targetMs);
      if (!next) break;
      this.#clock.moveTo(next.scheduleDate!.getTime());
      this.#scheduled.delete(next);
      released.push(next.id);
      this.start(next);
      await this.settle();
    }
    this.#clock.moveTo(targetMs);
    this.#armTimer();
    return released;
  }

  /** Resolves once nothing runs (executions waiting for their scheduleDate do not count). */
  settle(timeoutMs = this.#opts.settleTimeoutMs): Promise<void> {
    if (this.#active === 0) return new Promise((resolve) => setImmediate(resolve)).then(() => (this.#active === 0 ? undefined : this.settle(timeoutMs)));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#idleWaiters.delete(done);
        const running = this.#opts.executions().filter((e) => e.state.current === 'RUNNING').map((e) => `${e.flow.namespace}.${e.flow.id} ${e.id}`);
        reject(new Error(`Kestra stand-in: still running after ${timeoutMs} ms: ${running.join(', ') || '(nothing RUNNING; a task is waiting)'}`));
      }, timeoutMs);
      timer.unref?.();
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.#idleWaiters.add(done);
    });
  }

  /** Waits for a child; while it waits for its scheduleDate the waiting execution does not count as busy. */
  async waitFor(child: ExecutionRecord): Promise<void> {
    if (!this.#scheduled.has(child)) return child.done;
    this.#active--;
    this.#queueIdleCheck();
    try {
      await child.done;
    } finally {
      this.#active++;
    }
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #queueIdleCheck(): void {
    if (this.#idleCheck) return;
    this.#idleCheck = setImmediate(() => {
      this.#idleCheck = undefined;
      if (this.#active !== 0) return;
      const waiters = [...this.#idleWaiters];
      this.#idleWaiters.clear();
      for (const w of waiters) w();
    });
  }

  /** Real-time mode: a timer releases scheduled executions when their date passes. */
  #armTimer(): void {
    if (this.#clock.mode !== 'real' || this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const next = this.scheduled()[0];
    if (!next) return;
    const delay = Math.max(0, Math.min(next.scheduleDate!.getTime() - this.#clock.nowMs(), 2_147_000_000));
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      for (const exec of this.scheduled()) {
        if (exec.scheduleDate!.getTime() > this.#clock.nowMs()) break;
        this.#scheduled.delete(exec);
        this.start(exec);
      }
      this.#armTimer();
    }, delay);
    this.#timer.unref?.();
  }
}

function byScheduleDate(a: ExecutionRecord, b: ExecutionRecord): number {
  return a.scheduleDate!.getTime() - b.scheduleDate!.getTime() || a.seq - b.seq;
}
