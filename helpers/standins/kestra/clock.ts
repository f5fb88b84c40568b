/**
 * The stand-in's time. `virtual`: frozen at `startAt` until a test moves it (advance/advanceTo),
 * so `now()`, execution dates and scheduled children are exactly predictable. `real`: wall time
 * (shifted by `startAt - Date.now()` when a start is given); a timer releases scheduled
 * executions as their date passes, for manual exploration.
 */
export type ClockMode = 'virtual' | 'real';

export class StandinClock {
  readonly mode: ClockMode;
  #virtualMs: number;
  #offsetMs: number;

  constructor(mode: ClockMode, startAt?: Date) {
    this.mode = mode;
    const start = startAt?.getTime() ?? Date.now();
    if (!Number.isFinite(start)) throw new Error('clock: startAt is not a valid date');
    this.#virtualMs = start;
    this.#offsetMs = startAt ? start - Date.now() : 0;
  }

  nowMs(): number {
    return this.mode === 'virtual' ? this.#virtualMs : Date.now() + this.#offsetMs;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  /** Moves the clock forward to `ms` (never backwards: a clock that went back would break histories). */
  moveTo(ms: number): void {
    if (ms <= this.nowMs()) return;
    if (this.mode === 'virtual') this.#virtualMs = ms;
    else this.#offsetMs += ms - this.nowMs();
  }
}
