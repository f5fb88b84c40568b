/**
 * Killing an execution, as Kestra's `DELETE /api/v1/{tenant}/executions/{id}/kill` does
 * (webserver/.../controllers/api/ExecutionController.java#kill, unchanged from 0.20 to 1.x):
 *  - an unknown execution → 404;
 *  - `isOnKillCascade` defaults to true; only with `isOnKillCascade=false` is an execution that
 *    already ended refused (409). Otherwise the kill is requested (202) — for an ended execution
 *    too ("Always emit an EXECUTION_KILLED event when isOnKillCascade=true"), so that its subflow
 *    executions still waiting are killed.
 *
 * The stand-in kills a CREATED execution waiting for its scheduleDate (CREATED → KILLING →
 * KILLED; the clock never releases it) and, with cascade, every execution it created. A RUNNING
 * execution finishes its run: executions run in milliseconds here and the engine has no kill
 * point (README: what the stand-in does not model).
 *
 * A subclass of the engine: a killed execution leaves the scheduler's release queue (unschedule).
 */
import { isTerminal } from './model.js';
import { KestraEngine } from './engine.js';
import type { ExecutionRecord } from './records.js';

export type KillAnswer = 'accepted' | 'not-found' | 'already-terminated';

export class KillableEngine extends KestraEngine {
  kill(executionId: string, cascade = true): KillAnswer {
    const exec = this.execution(executionId);
    if (!exec) return 'not-found';
    if (isTerminal(exec.state.current) && !cascade) return 'already-terminated';
    this.#killOne(exec);
    if (cascade) this.#killChildren(exec.id, new Set([exec.id]));
    return 'accepted';
  }

  #killChildren(parentId: string, seen: Set<string>): void {
    for (const child of this.childrenOf(parentId)) {
      if (seen.has(child.id)) continue;
      seen.add(child.id);
      this.#killOne(child);
      this.#killChildren(child.id, seen);
    }
  }

  #killOne(exec: ExecutionRecord): void {
    if (exec.state.current !== 'CREATED' || !this.unschedule(exec)) return;
    const now = this.clock.now();
    exec.state.to('KILLING', now).to('KILLED', now);
    exec.markDone();
  }
}
