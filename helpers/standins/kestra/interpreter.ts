/**
 * The interpreter: runs one execution of a flow, task by task (the tasks themselves are in tasks/).
 *
 * Semantics, with the Kestra source each follows:
 *  - execution state CREATED → RUNNING → SUCCESS | WARNING | FAILED | KILLED | CANCELLED
 *    (Execution#guessFinalState: any unhandled FAILED task → FAILED, else any WARNING → WARNING);
 *  - tasks run in order; a FAILED task stops its list; `allowFailure: true` turns the task's
 *    FAILED into WARNING and the flow goes on; `allowWarning: true` turns WARNING into SUCCESS;
 *    `disabled: true` tasks are skipped without a task run; `runIf` falsy → SKIPPED;
 *  - flow-level `errors` run when the main list failed — the execution stays FAILED; `finally`
 *    always runs (a failure there fails the execution);
 *  - flow outputs are rendered at the end whatever the state and converted to their type; a
 *    failure logs "Failed to render output values: …" and FAILS the execution (ExecutorService#onEnd);
 *    an execution ended by an Exit task never reaches onEnd: no outputs, no "Flow completed" line;
 *  - retry (retry.ts) and `timeout` (ISO-8601, per attempt) on runnable tasks.
 */
import type { StandinClock } from './clock.js';
import type { KestraEnvironment } from './environment.js';
import type { TaskDef } from './flow.js';
import { typedOutputs } from './inputs.js';
import { State, isTerminal, type LogLevel, type StateType } from './model.js';
import { TaskRunRecord, type ExecutionRecord } from './records.js';
import { isTruthy, renderDeep, renderText, type RenderScope } from './render.js';
import { nextRetry, retryPolicyOf } from './retry.js';
import { formatDuration, parseDuration } from './time.js';
import { TaskFailure, type ListOutcome, type RunScope, type TaskContext, type TaskHost } from './tasks/context.js';
import { CORE_TASKS } from './tasks/core.js';
import { EXIT_TYPE, applyExit, exitState } from './tasks/exit.js';
import { FLOWABLE_TYPES, runFlowable } from './tasks/flowable.js';
import { HTTP_REQUEST_TYPE, runRequest } from './tasks/http.js';
import { SUBFLOW_TYPE, runSubflow } from './tasks/subflow.js';
import { appendLog, flowVariables, labelMap } from './variables.js';

export interface InterpreterOptions {
  env: KestraEnvironment;
  clock: StandinClock;
  /** Multiplies every retry wait (1 = Kestra's; 0.001 makes PT1S one millisecond). */
  retryDelayScale: number;
  random?: () => number;
  /** Child executions, the flow store, ids: the engine's services. */
  host: Omit<TaskHost, 'runList'>;
}

export class Interpreter {
  readonly #opts: InterpreterOptions;
  readonly #host: TaskHost;
  /** One controller per running attempt; stop() aborts them all. */
  readonly #inflight = new Set<AbortController>();
  /** Pending retry waits; stop() ends them at once. */
  readonly #sleepers = new Set<() => void>();
  #stopped = false;

  constructor(opts: InterpreterOptions) {
    this.#opts = opts;
    const host = opts.host;
    this.#host = {
      flows: host.flows,
      httpTimeoutMs: host.httpTimeoutMs,
      newId: () => host.newId(),
      now: () => host.now(),
      create: (flow, spec) => host.create(flow, spec),
      dispatch: (exec) => host.dispatch(exec),
      waitFor: (child) => host.waitFor(child),
      runList: (tasks, parent, scope) => this.#runList(tasks, parent, scope),
    };
  }

  get #clock(): StandinClock {
    return this.#opts.clock;
  }

  stop(): void {
    this.#stopped = true;
    for (const c of this.#inflight) c.abort();
    for (const wake of this.#sleepers) wake();
  }

  log(exec: ExecutionRecord, level: LogLevel, message: string, tr?: TaskRunRecord): void {
    appendLog(exec, this.#clock.now(), level, message, tr);
  }

  async run(exec: ExecutionRecord): Promise<void> {
    if (this.#stopped) return;
    const flow = exec.flow;
    exec.state.to('RUNNING', this.#clock.now());
    this.log(exec, 'INFO', `Flow started`);
    const scope: RunScope = { exec, outputs: {} };
    let outcome = await this.#runList(flow.tasks, null, scope);
    if (outcome === 'failed' && flow.errors.length > 0) await this.#runList(flow.errors, null, scope);
    if (outcome !== 'exit' && flow.finally.length > 0) {
      const fin = await this.#runList(flow.finally, null, scope);
      if (fin === 'failed') outcome = 'failed';
      if (fin === 'exit') outcome = 'exit';
    }
    if (scope.exit) {
      // ExecutorService#process (executor/.../ExecutorService.java, 1.x) returns at once for an execution
      // that is already terminated, so handleEnd/onEnd never runs after an Exit: no flow outputs are
      // rendered and no "Flow completed" line is logged.
      exec.state.to(scope.exit, this.#clock.now());
      return;
    }
    let final: StateType;
    if (outcome === 'failed') final = 'FAILED';
    else final = exec.taskRuns.some((tr) => tr.parentTaskRunId === null && tr.state.current === 'WARNING') ? 'WARNING' : 'SUCCESS';

    if (flow.outputs.length > 0) {
      try {
        const rendered: Record<string, unknown> = {};
        const renderScope = this.#scope(scope);
        for (const output of flow.outputs) rendered[output.id] = renderDeep(output.value, renderScope);
        const typed = typedOutputs(flow.outputs, rendered);
        if (!typed.ok) throw new Error(typed.message);
        exec.outputs = typed.values;
      } catch (error) {
        this.log(exec, 'ERROR', `Failed to render output values: ${(error as Error).message}`);
        final = 'FAILED';
      }
    }
    exec.state.to(final, this.#clock.now());
    this.log(exec, 'INFO', `Flow completed with state ${final} in ${formatDuration(exec.state.endDate!.getTime() - exec.state.startDate.getTime())}`);
  }

  async #runList(tasks: readonly TaskDef[], parent: TaskRunRecord | null, scope: RunScope): Promise<ListOutcome> {
    for (const task of tasks) {
      if (scope.exit) return 'exit';
      if (task.props.disabled === true) continue;
      const state = await this.#runTask(task, parent, scope);
      if (scope.exit) return 'exit';
      if (state === 'FAILED' || state === 'KILLED') return 'failed';
    }
    return scope.exit ? 'exit' : 'ok';
  }

  #scope(scope: RunScope, task?: TaskDef, taskRun?: TaskRunRecord): RenderScope {
    const { exec } = scope;
    const variables: Record<string, unknown> = {
      flow: flowVariables(exec.flow),
      execution: { id: exec.id, startDate: exec.state.startDate, originalId: exec.id },
      inputs: exec.inputs,
      outputs: scope.outputs,
      vars: exec.flow.variables,
      envs: this.#opts.env.envs(),
      labels: labelMap(exec.labels),
    };
    if (exec.trigger) variables.trigger = exec.trigger.variables;
    if (task) variables.task = { id: task.id, type: task.type };
    if (taskRun) {
      variables.taskrun = {
        id: taskRun.id,
        startDate: taskRun.state.startDate,
        attemptsCount: Math.max(0, taskRun.attempts.length - 1),
        ...(taskRun.parentTaskRunId ? { parentId: taskRun.parentTaskRunId } : {}),
      };
    }
    return { variables, now: () => this.#clock.now(), secret: (name) => this.#opts.env.secret(name) };
  }

  #context(task: TaskDef, tr: TaskRunRecord, scope: RunScope): TaskContext {
    return {
      task,
      tr,
      scope,
      host: this.#host,
      render: () => this.#scope(scope, task, tr),
      log: (level, message) => this.log(scope.exec, level, message, tr),
    };
  }

  async #runTask(task: TaskDef, parent: TaskRunRecord | null, scope: RunScope): Promise<StateType> {
    const { exec } = scope;
    const tr = new TaskRunRecord(this.#host.newId(), task.id, parent?.id ?? null, new State('CREATED', this.#clock.now()));
    exec.taskRuns.push(tr);
    const ctx = this.#context(task, tr, scope);

    if (task.props.runIf !== undefined) {
      let run: boolean;
      try {
        run = isTruthy(renderText(task.props.runIf, ctx.render()));
      } catch (error) {
        ctx.log('ERROR', `runIf of task '${task.id}' could not be rendered: ${(error as Error).message}`);
        return this.#finish(ctx, 'FAILED');
      }
      if (!run) {
        tr.state.to('SKIPPED', this.#clock.now());
        return 'SKIPPED';
      }
    }
    tr.state.to('RUNNING', this.#clock.now());

    if (task.type === EXIT_TYPE) {
      let state: StateType;
      try {
        state = exitState(ctx);
      } catch (error) {
        ctx.log('ERROR', (error as Error).message);
        return this.#finish(ctx, 'FAILED');
      }
      return applyExit(ctx, state);
    }
    let state: StateType;
    if (FLOWABLE_TYPES.has(task.type)) state = await runFlowable(ctx);
    else if (task.type === SUBFLOW_TYPE) state = await runSubflow(ctx);
    else state = await this.#runRunnable(ctx);
    return this.#finish(ctx, state);
  }

  /** allowFailure / allowWarning, then the final state; outputs become visible to later tasks. */
  #finish(ctx: TaskContext, raw: StateType): StateType {
    const { task, tr, scope } = ctx;
    let state = raw;
    if (state === 'FAILED' && task.props.allowFailure === true) state = 'WARNING';
    if (state === 'WARNING' && task.props.allowWarning === true) state = 'SUCCESS';
    if (tr.outputs) scope.outputs[task.id] = tr.outputs;
    if (!isTerminal(tr.state.current)) tr.state.to(state, this.#clock.now());
    return tr.state.current;
  }

  async #runRunnable(ctx: TaskContext): Promise<StateType> {
    const { task, tr } = ctx;
    const policy = retryPolicyOf(task.props.retry);
    const firstStart = this.#clock.nowMs();
    for (;;) {
      const attempt = new State('RUNNING', this.#clock.now());
      tr.attempts.push(attempt);
      try {
        const outputs = await this.#withTimeout(ctx, (signal) => this.#execute(ctx, signal));
        attempt.to('SUCCESS', this.#clock.now());
        tr.outputs = outputs;
        return tr.attempts.length > 1 && policy?.warningOnRetry ? 'WARNING' : 'SUCCESS';
      } catch (error) {
        attempt.to('FAILED', this.#clock.now());
        ctx.log('ERROR', error instanceof Error ? error.message : String(error));
        if (this.#stopped || !policy) return 'FAILED';
        const wait = nextRetry(policy, tr.attempts.length, this.#clock.nowMs() - firstStart, this.#opts.random);
        if (wait === undefined) return 'FAILED';
        tr.state.to('FAILED', this.#clock.now());
        tr.state.to('RETRYING', this.#clock.now());
        await this.#sleep(wait * this.#opts.retryDelayScale);
        if (this.#stopped) return 'FAILED';
        tr.state.to('RUNNING', this.#clock.now());
      }
    }
  }

  /** One attempt, with its own abort controller (stop() aborts it) and the task's `timeout`, if any. */
  async #withTimeout<T>(ctx: TaskContext, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    this.#inflight.add(controller);
    let timer: NodeJS.Timeout | undefined;
    try {
      const raw = ctx.task.props.timeout;
      if (raw === undefined) return await run(controller.signal);
      const text = renderText(raw, ctx.render());
      const ms = parseDuration(text);
      if (ms === undefined) throw new TaskFailure(`Invalid timeout '${text}': not an ISO-8601 duration`);
      return await Promise.race([
        run(controller.signal),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            controller.abort();
            reject(new TaskFailure(`Timeout after ${text}`));
          }, ms);
        }),
      ]);
    } finally {
      if (timer) clearTimeout(timer);
      this.#inflight.delete(controller);
    }
  }

  /** A retry wait on the real timer; stop() cuts it short. */
  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, Math.max(0, ms));
      this.#sleepers.add(wake);
    });
  }

  /** One attempt of a runnable task: its outputs, or a thrown failure. */
  async #execute(ctx: TaskContext, signal: AbortSignal): Promise<Record<string, unknown> | null> {
    const type = ctx.task.type;
    if (type === HTTP_REQUEST_TYPE) return runRequest(ctx, signal);
    const core = CORE_TASKS[type];
    if (core) return core(ctx);
    throw new TaskFailure(`Kestra stand-in: task type ${type} is not supported (helpers/standins/kestra/support.ts)`);
  }
}
