/**
 * The stand-in's executor: runs the flows of this repository in-process, asynchronously (the HTTP
 * server is never blocked: every task is awaited I/O or a short synchronous render).
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
 *    failure logs "Failed to render output values: …" and FAILS the execution (ExecutorService);
 *  - If: `condition` rendered → TruthUtils.isTruthy; no `else` and false → SUCCESS; output
 *    evaluationResult (If.java);
 *  - Switch: first case whose key equals the rendered `value`, else `defaults`; neither → a WARN log
 *    "No task found …" and FAILED (FlowableUtils#resolveState); outputs value, defaults;
 *  - Sequential: its `tasks` in order; flowable tasks take the worst state of their children;
 *  - Subflow (Subflow.java, ExecutableUtils#subflowExecution): inputs rendered (strings only;
 *    other literals kept), read by the CHILD's input types — an invalid one fails the PARENT task
 *    and creates nothing; child labels = child flow labels + the parent's `system.*` labels (all
 *    of them with inheritLabels) + the task's `labels`; trigger {id: taskId, type: Subflow,
 *    variables {executionId, namespace, flowId, flowRevision}}; `scheduleDate` (a date-time with
 *    zone) keeps the child CREATED until the clock reaches it; `wait: false` → task SUCCESS at once
 *    with outputs {executionId, state}; `wait: true` → outputs {executionId, state, outputs} when
 *    the child ends, state by ExecutableUtils#guessState (transmitFailed);
 *  - Exit (Exit.java): ends the execution NOW in the given state, the Exit task run and its parents
 *    take it too; nothing after it runs;
 *  - retry (retry.ts) and `timeout` (ISO-8601, per attempt) on runnable tasks.
 * Every root execution (webhook) carries the label `system.correlationId` = its id; children inherit it.
 * The execution records and their API JSON are in records.ts (re-exported here).
 */
import { isDouble, isMap, javaToString } from '../../kestra-model/pebble/values.js';
import { StandinClock } from './clock.js';
import type { KestraEnvironment } from './environment.js';
import type { FlowDef, TaskDef } from './flow.js';
import { FlowStore, TENANT } from './flow-store.js';
import { runHttpRequest } from './http-task.js';
import { ExecutionRecord, TaskRunRecord } from './records.js';
import type { IdGenerator } from './ids.js';
import { describeViolations, resolveInputs, typedOutputs } from './inputs.js';
import {
  State, isTerminal, type ExecutionTriggerJson, type Label, type LogLevel, type StateType, type WebhookResponseJson,
} from './model.js';
import { isTruthy, renderDeep, renderString, renderText, type RenderScope } from './render.js';
import { nextRetry, retryPolicyOf } from './retry.js';
import { formatDuration, instantToString, parseDuration, parseZonedDateTime } from './time.js';

export { ExecutionRecord, TaskRunRecord };

export const SUBFLOW_TYPE = 'io.kestra.plugin.core.flow.Subflow';
export const WEBHOOK_TYPE = 'io.kestra.plugin.core.trigger.Webhook';
export const CORRELATION_LABEL = 'system.correlationId';

/** What a webhook call comes to (the API layer turns it into Kestra's status codes). */
export type WebhookOutcome =
  | { kind: 'flow-not-found' }
  | { kind: 'flow-disabled' }
  | { kind: 'webhook-not-found' }
  /** Webhook.java since PR #16871: the inputs could not be rendered/validated → 422, empty body (the 1.1–1.3 releases answered 409). */
  | { kind: 'inputs-invalid'; reason: string }
  | { kind: 'created'; execution: ExecutionRecord; response: WebhookResponseJson };

export interface WebhookRequest {
  /** As received: the JSON/array body is parsed for `trigger.body`, anything else stays text. */
  body: unknown;
  headers: Record<string, string[]>;
  parameters: Record<string, string[]>;
}

export interface EngineOptions {
  env: KestraEnvironment;
  clock: StandinClock;
  newId: IdGenerator;
  /** Multiplies every retry wait (1 = Kestra's; 0.001 makes PT1S one millisecond). */
  retryDelayScale: number;
  /** Read timeout of HTTP Request tasks (Kestra's default HTTP client read timeout is 10 s). */
  httpTimeoutMs: number;
  /** Base of the `url` in webhook responses. */
  uiBaseUrl: () => string;
  /** settle() gives up after this long (ms), naming what still runs. */
  settleTimeoutMs: number;
  random?: () => number;
}

interface RunScope {
  exec: ExecutionRecord;
  /** `outputs` as tasks see it: task id → the task run's outputs. */
  outputs: Record<string, unknown>;
  exit?: StateType;
}

type ListOutcome = 'ok' | 'failed' | 'exit';

class TaskFailure extends Error {}

const FLOWABLE = new Set(['io.kestra.plugin.core.flow.If', 'io.kestra.plugin.core.flow.Switch', 'io.kestra.plugin.core.flow.Sequential']);

export class KestraEngine {
  readonly flows = new FlowStore();
  readonly #opts: EngineOptions;
  readonly #executions = new Map<string, ExecutionRecord>();
  readonly #order: ExecutionRecord[] = [];
  readonly #scheduled = new Set<ExecutionRecord>();
  readonly #idleWaiters = new Set<() => void>();
  /** One controller per running attempt; stop() aborts them all. */
  readonly #inflight = new Set<AbortController>();
  /** Pending retry waits; stop() ends them at once. */
  readonly #sleepers = new Set<() => void>();
  #seq = 0;
  #active = 0;
  #idleCheck: NodeJS.Immediate | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  readonly #crashes: unknown[] = [];

  constructor(opts: EngineOptions) {
    this.#opts = opts;
  }

  get clock(): StandinClock {
    return this.#opts.clock;
  }

  // ---------------------------------------------------------------- queries

  execution(id: string): ExecutionRecord | undefined {
    return this.#executions.get(id);
  }

  /** Every execution, oldest first. */
  executions(): ExecutionRecord[] {
    return [...this.#order];
  }

  /** Executions waiting in CREATED for their scheduleDate, soonest first. */
  scheduled(): ExecutionRecord[] {
    return [...this.#scheduled].sort(byScheduleDate);
  }

  /** Unexpected engine errors (bugs); each also FAILED its execution. */
  crashes(): unknown[] {
    return [...this.#crashes];
  }

  // ---------------------------------------------------------------- webhooks

  webhook(namespace: string, flowId: string, key: string, request: WebhookRequest): WebhookOutcome {
    const flow = this.flows.get(namespace, flowId);
    if (!flow) return { kind: 'flow-not-found' };
    if (flow.disabled) return { kind: 'flow-disabled' };
    const scopeFor = (variables: Record<string, unknown>): RenderScope => ({ variables, now: () => this.clock.now(), secret: (n) => this.#opts.env.secret(n) });
    const base = { flow: flowVariables(flow), envs: this.#opts.env.envs(), vars: flow.variables };
    // ExecutionController#webhook: each Webhook trigger's key is RENDERED, trimmed, compared.
    const trigger = flow.triggers.find((t) => {
      if (t.type !== WEBHOOK_TYPE || t.disabled) return false;
      try {
        return renderText(t.key, scopeFor(base)).trim() === key;
      } catch {
        return false; // Kestra logs "Unable to render the webhook key" and ignores that trigger
      }
    });
    if (!trigger) return { kind: 'webhook-not-found' };

    const now = this.clock.now();
    const id = this.#opts.newId();
    const variables: Record<string, unknown> = { headers: request.headers, parameters: request.parameters };
    if (request.body !== undefined && request.body !== null) variables.body = request.body;
    let inputs: Record<string, unknown> = {};
    if (trigger.inputs) {
      let rendered: unknown;
      try {
        rendered = renderDeep(trigger.inputs, scopeFor({ ...base, execution: { id, startDate: now, originalId: id }, trigger: variables, labels: labelMap(flow.labels) }));
      } catch (error) {
        return { kind: 'inputs-invalid', reason: (error as Error).message };
      }
      const resolved = resolveInputs(flow.inputs, rendered as Record<string, unknown>);
      if (!resolved.ok) return { kind: 'inputs-invalid', reason: describeViolations(resolved.violations) };
      inputs = resolved.values;
    }
    const exec = this.#create(flow, {
      id,
      inputs,
      labels: [...flow.labels.filter((l) => !l.key.startsWith('system.')), { key: CORRELATION_LABEL, value: id }],
      trigger: { id: trigger.id, type: WEBHOOK_TYPE, variables },
    });
    const response = exec.toWebhookResponse(now, this.#opts.uiBaseUrl());
    this.#dispatch(exec);
    return { kind: 'created', execution: exec, response };
  }

  /**
   * Starts an execution of a flow directly (tests; the API's create-execution route is not served).
   * Inputs are read against the flow's declared inputs; violations throw.
   */
  startExecution(namespace: string, flowId: string, data: Record<string, unknown> = {}, opts: { scheduleDate?: Date; labels?: Label[] } = {}): ExecutionRecord {
    const flow = this.flows.get(namespace, flowId);
    if (!flow) throw new Error(`Kestra stand-in: no flow ${namespace}.${flowId} is deployed`);
    const resolved = resolveInputs(flow.inputs, data);
    if (!resolved.ok) throw new Error(`Kestra stand-in: ${namespace}.${flowId}: ${describeViolations(resolved.violations)}`);
    const id = this.#opts.newId();
    const exec = this.#create(flow, {
      id,
      inputs: resolved.values,
      labels: [...flow.labels, ...(opts.labels ?? []), { key: CORRELATION_LABEL, value: id }],
      trigger: null,
      ...(opts.scheduleDate ? { scheduleDate: opts.scheduleDate } : {}),
    });
    this.#dispatch(exec);
    return exec;
  }

  // ---------------------------------------------------------------- clock

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
      this.clock.moveTo(next.scheduleDate!.getTime());
      this.#scheduled.delete(next);
      released.push(next.id);
      this.#start(next);
      await this.settle();
    }
    this.clock.moveTo(targetMs);
    this.#armTimer();
    return released;
  }

  advance(ms: number): Promise<string[]> {
    if (!Number.isFinite(ms) || ms < 0) return Promise.reject(new Error(`advance: ${ms} is not a duration ≥ 0 ms`));
    return this.advanceTo(new Date(this.clock.nowMs() + ms));
  }

  /** Resolves once nothing runs (executions waiting for their scheduleDate do not count). */
  settle(timeoutMs = this.#opts.settleTimeoutMs): Promise<void> {
    if (this.#active === 0) return new Promise((resolve) => setImmediate(resolve)).then(() => (this.#active === 0 ? undefined : this.settle(timeoutMs)));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#idleWaiters.delete(done);
        const running = this.#order.filter((e) => e.state.current === 'RUNNING').map((e) => `${e.flow.namespace}.${e.flow.id} ${e.id}`);
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

  stop(): void {
    this.#stopped = true;
    for (const c of this.#inflight) c.abort();
    for (const wake of this.#sleepers) wake();
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  // ---------------------------------------------------------------- lifecycle

  #create(
    flow: FlowDef,
    spec: { id: string; inputs: Record<string, unknown>; labels: Label[]; trigger: ExecutionTriggerJson | null; scheduleDate?: Date },
  ): ExecutionRecord {
    const exec = new ExecutionRecord(spec.id, flow, this.#seq++, new State('CREATED', this.clock.now()), dedupeLabels(spec.labels), spec.inputs, spec.trigger, spec.scheduleDate);
    this.#executions.set(exec.id, exec);
    this.#order.push(exec);
    return exec;
  }

  /** Runs the execution now, or keeps it CREATED until its scheduleDate. */
  #dispatch(exec: ExecutionRecord): void {
    if (exec.scheduleDate && exec.scheduleDate.getTime() > this.clock.nowMs()) {
      this.#scheduled.add(exec);
      this.#armTimer();
      return;
    }
    this.#start(exec);
  }

  #start(exec: ExecutionRecord): void {
    this.#active++;
    setImmediate(() => {
      this.#run(exec)
        .catch((error: unknown) => {
          this.#crashes.push(error);
          this.#log(exec, 'ERROR', `Kestra stand-in engine error (a bug): ${(error as Error)?.stack ?? String(error)}`);
          if (!isTerminal(exec.state.current)) exec.state.to('FAILED', this.clock.now());
        })
        .finally(() => {
          exec.markDone();
          this.#active--;
          this.#queueIdleCheck();
        });
    });
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
    if (this.clock.mode !== 'real' || this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const next = this.scheduled()[0];
    if (!next) return;
    const delay = Math.max(0, Math.min(next.scheduleDate!.getTime() - this.clock.nowMs(), 2_147_000_000));
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      for (const exec of this.scheduled()) {
        if (exec.scheduleDate!.getTime() > this.clock.nowMs()) break;
        this.#scheduled.delete(exec);
        this.#start(exec);
      }
      this.#armTimer();
    }, delay);
    this.#timer.unref?.();
  }

  async #run(exec: ExecutionRecord): Promise<void> {
    if (this.#stopped) return;
    const flow = exec.flow;
    exec.state.to('RUNNING', this.clock.now());
    this.#log(exec, 'INFO', `Flow started`);
    const scope: RunScope = { exec, outputs: {} };
    let outcome = await this.#runList(flow.tasks, null, scope);
    if (outcome === 'failed' && flow.errors.length > 0) await this.#runList(flow.errors, null, scope);
    if (outcome !== 'exit' && flow.finally.length > 0) {
      const fin = await this.#runList(flow.finally, null, scope);
      if (fin === 'failed') outcome = 'failed';
      if (fin === 'exit') outcome = 'exit';
    }
    let final: StateType;
    if (scope.exit) final = scope.exit;
    else if (outcome === 'failed') final = 'FAILED';
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
        this.#log(exec, 'ERROR', `Failed to render output values: ${(error as Error).message}`);
        final = 'FAILED';
      }
    }
    exec.state.to(final, this.clock.now());
    this.#log(exec, 'INFO', `Flow completed with state ${final} in ${formatDuration(exec.state.endDate!.getTime() - exec.state.startDate.getTime())}`);
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
    return { variables, now: () => this.clock.now(), secret: (name) => this.#opts.env.secret(name) };
  }

  async #runTask(task: TaskDef, parent: TaskRunRecord | null, scope: RunScope): Promise<StateType> {
    const { exec } = scope;
    const tr = new TaskRunRecord(this.#opts.newId(), task.id, parent?.id ?? null, new State('CREATED', this.clock.now()));
    exec.taskRuns.push(tr);
    const props = task.props;

    if (props.runIf !== undefined) {
      let run: boolean;
      try {
        run = isTruthy(renderText(props.runIf, this.#scope(scope, task, tr)));
      } catch (error) {
        this.#log(exec, 'ERROR', `runIf of task '${task.id}' could not be rendered: ${(error as Error).message}`, tr);
        return this.#finish(task, tr, 'FAILED', scope);
      }
      if (!run) {
        tr.state.to('SKIPPED', this.clock.now());
        return 'SKIPPED';
      }
    }
    tr.state.to('RUNNING', this.clock.now());

    let state: StateType;
    if (FLOWABLE.has(task.type)) state = await this.#runFlowable(task, tr, scope);
    else if (task.type === SUBFLOW_TYPE) state = await this.#runSubflow(task, tr, scope);
    else if (task.type === 'io.kestra.plugin.core.execution.Exit') return this.#runExit(task, tr, scope);
    else state = await this.#runRunnable(task, tr, scope);
    return this.#finish(task, tr, state, scope);
  }

  /** allowFailure / allowWarning, then the final state; outputs become visible to later tasks. */
  #finish(task: TaskDef, tr: TaskRunRecord, raw: StateType, scope: RunScope): StateType {
    let state = raw;
    if (state === 'FAILED' && task.props.allowFailure === true) state = 'WARNING';
    if (state === 'WARNING' && task.props.allowWarning === true) state = 'SUCCESS';
    if (tr.outputs) scope.outputs[task.id] = tr.outputs;
    if (!isTerminal(tr.state.current)) tr.state.to(state, this.clock.now());
    return tr.state.current;
  }

  async #runFlowable(task: TaskDef, tr: TaskRunRecord, scope: RunScope): Promise<StateType> {
    const { exec } = scope;
    const props = task.props;
    let branch: readonly TaskDef[] | undefined;
    try {
      const renderScope = this.#scope(scope, task, tr);
      if (task.type === 'io.kestra.plugin.core.flow.If') {
        const result = isTruthy(renderText(props.condition, renderScope));
        tr.outputs = { evaluationResult: result };
        branch = result ? task.children.then : task.children.else;
        if (!branch || branch.length === 0) return 'SUCCESS';
      } else if (task.type === 'io.kestra.plugin.core.flow.Switch') {
        const value = renderText(props.value, renderScope);
        const caseKeys = Object.keys(isMap(props.cases) ? props.cases : {});
        const matched = caseKeys.find((k) => k === value);
        tr.outputs = { value, defaults: matched === undefined };
        branch = matched !== undefined ? task.children[`cases.${matched}`] : task.children.defaults;
        if (!branch) {
          this.#log(exec, 'WARN', `No task found on flow '${exec.flow.namespace}.${exec.flow.id}', task '${task.id}', execution '${exec.id}'`, tr);
          return 'FAILED';
        }
      } else {
        branch = task.children.tasks ?? [];
      }
    } catch (error) {
      this.#log(exec, 'ERROR', (error as Error).message, tr);
      return 'FAILED';
    }
    // the flowable's outputs are visible to its children
    if (tr.outputs) scope.outputs[task.id] = tr.outputs;
    const outcome = await this.#runList(branch, tr, scope);
    if (outcome === 'exit') return tr.state.current;
    if (outcome === 'failed') return 'FAILED';
    const children = exec.taskRuns.filter((c) => c.parentTaskRunId === tr.id);
    return children.some((c) => c.state.current === 'WARNING') ? 'WARNING' : 'SUCCESS';
  }

  #runExit(task: TaskDef, tr: TaskRunRecord, scope: RunScope): StateType {
    let state: StateType;
    try {
      const raw = renderText(task.props.state ?? 'SUCCESS', this.#scope(scope, task, tr));
      const map: Record<string, StateType> = { SUCCESS: 'SUCCESS', WARNING: 'WARNING', KILLED: 'KILLED', FAILED: 'FAILED', CANCELED: 'CANCELLED' };
      const found = map[raw];
      if (!found) throw new Error(`Cannot deserialize value of type \`ExitState\` from String "${raw}": not one of the values accepted for Enum class: [SUCCESS, WARNING, KILLED, FAILED, CANCELED]`);
      state = found;
    } catch (error) {
      this.#log(scope.exec, 'ERROR', (error as Error).message, tr);
      return this.#finish(task, tr, 'FAILED', scope);
    }
    // Exit#update: the Exit task run and every parent task run take the exit state.
    const now = this.clock.now();
    tr.state.to(state, now);
    let parentId = tr.parentTaskRunId;
    while (parentId) {
      const parentRun = scope.exec.taskRuns.find((t) => t.id === parentId);
      if (!parentRun) break;
      parentRun.state.to(state, now);
      parentId = parentRun.parentTaskRunId;
    }
    scope.exit = state;
    return state;
  }

  async #runRunnable(task: TaskDef, tr: TaskRunRecord, scope: RunScope): Promise<StateType> {
    const { exec } = scope;
    const policy = retryPolicyOf(task.props.retry);
    const firstStart = this.clock.nowMs();
    for (;;) {
      const attempt = new State('RUNNING', this.clock.now());
      tr.attempts.push(attempt);
      try {
        const outputs = await this.#withTimeout(task, tr, scope, (signal) => this.#execute(task, tr, scope, signal));
        attempt.to('SUCCESS', this.clock.now());
        tr.outputs = outputs;
        return tr.attempts.length > 1 && policy?.warningOnRetry ? 'WARNING' : 'SUCCESS';
      } catch (error) {
        attempt.to('FAILED', this.clock.now());
        this.#log(exec, 'ERROR', error instanceof TaskFailure || error instanceof Error ? error.message : String(error), tr);
        if (this.#stopped || !policy) return 'FAILED';
        const wait = nextRetry(policy, tr.attempts.length, this.clock.nowMs() - firstStart, this.#opts.random);
        if (wait === undefined) return 'FAILED';
        tr.state.to('FAILED', this.clock.now());
        tr.state.to('RETRYING', this.clock.now());
        await this.#sleep(wait * this.#opts.retryDelayScale);
        if (this.#stopped) return 'FAILED';
        tr.state.to('RUNNING', this.clock.now());
      }
    }
  }

  /** One attempt, with its own abort controller (stop() aborts it) and the task's `timeout`, if any. */
  async #withTimeout<T>(task: TaskDef, tr: TaskRunRecord, scope: RunScope, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    this.#inflight.add(controller);
    let timer: NodeJS.Timeout | undefined;
    try {
      const raw = task.props.timeout;
      if (raw === undefined) return await run(controller.signal);
      const text = renderText(raw, this.#scope(scope, task, tr));
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
  async #execute(task: TaskDef, tr: TaskRunRecord, scope: RunScope, signal: AbortSignal): Promise<Record<string, unknown> | null> {
    const props = task.props;
    const renderScope = this.#scope(scope, task, tr);
    switch (task.type) {
      case 'io.kestra.plugin.core.log.Log': {
        const level = renderText(props.level ?? 'INFO', renderScope) as LogLevel;
        if (!['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'].includes(level)) throw new TaskFailure(`Invalid log level '${level}'`);
        const messages = Array.isArray(props.message) ? props.message : [props.message];
        for (const m of messages) this.#log(scope.exec, level, renderText(m, renderScope), tr);
        return null;
      }
      case 'io.kestra.plugin.core.output.OutputValues':
        return { values: renderDeep(props.values ?? {}, renderScope) };
      case 'io.kestra.plugin.core.debug.Return':
        return props.format === undefined ? {} : { value: renderText(props.format, renderScope) };
      case 'io.kestra.plugin.core.execution.Fail': {
        if (props.condition !== undefined && !isTruthy(renderText(props.condition, renderScope))) return null;
        throw new TaskFailure(props.errorMessage === undefined ? 'Task failure' : renderText(props.errorMessage, renderScope));
      }
      case 'io.kestra.plugin.core.http.Request': {
        const options = isMap(props.options) ? props.options : {};
        const headers: Record<string, string> = {};
        const renderedHeaders = renderDeep(props.headers ?? {}, renderScope);
        if (isMap(renderedHeaders)) {
          for (const [name, value] of Object.entries(renderedHeaders)) headers[name] = Array.isArray(value) ? value.map((v) => javaToString(v)).join(', ') : javaToString(value);
        }
        const readTimeout = options.readTimeout === undefined ? undefined : parseDuration(renderText(options.readTimeout, renderScope));
        const outputs = await runHttpRequest({
          uri: renderText(props.uri, renderScope),
          method: renderText(props.method ?? 'GET', renderScope).toUpperCase(),
          ...(props.body !== undefined && props.body !== null ? { body: typeof props.body === 'string' ? renderString(props.body, renderScope) : javaJson(renderDeep(props.body, renderScope)) } : {}),
          contentType: renderText(props.contentType ?? 'application/json', renderScope),
          headers,
          allowFailed: options.allowFailed === true,
          followRedirects: options.followRedirects !== false,
          timeoutMs: readTimeout ?? this.#opts.httpTimeoutMs,
          signal,
        });
        this.#log(scope.exec, 'DEBUG', `Request '${outputs.uri}' answered ${outputs.code}`, tr);
        return { ...outputs };
      }
      default:
        throw new TaskFailure(`Kestra stand-in: task type ${task.type} is not supported (helpers/standins/kestra/support.ts)`);
    }
  }

  async #runSubflow(task: TaskDef, tr: TaskRunRecord, scope: RunScope): Promise<StateType> {
    const parent = scope.exec;
    const props = task.props;
    let child: ExecutionRecord;
    try {
      const renderScope = this.#scope(scope, task, tr);
      const namespace = renderText(props.namespace, renderScope);
      const flowId = renderText(props.flowId, renderScope);
      const flow = this.flows.get(namespace, flowId);
      if (!flow) throw new TaskFailure(`Unable to find flow '${namespace}'.'${flowId}' with revision '0'`);
      if (flow.disabled) throw new TaskFailure('Cannot execute a flow which is disabled');
      const rendered = renderDeep(props.inputs ?? {}, renderScope) as Record<string, unknown>;
      const labels: Label[] = [...flow.labels];
      labels.push(...(props.inheritLabels === true ? parent.labels : parent.labels.filter((l) => l.key.startsWith('system.'))));
      const taskLabels = renderDeep(props.labels ?? [], renderScope);
      if (Array.isArray(taskLabels)) {
        for (const l of taskLabels) if (isMap(l)) labels.push({ key: javaToString(l.key), value: javaToString(l.value) });
      } else if (isMap(taskLabels)) {
        for (const [key, value] of Object.entries(taskLabels)) labels.push({ key, value: javaToString(value) });
      }
      let scheduleDate: Date | undefined;
      if (props.scheduleDate !== undefined && props.scheduleDate !== null) {
        const text = renderText(props.scheduleDate, renderScope);
        scheduleDate = parseZonedDateTime(text);
        if (!scheduleDate) throw new TaskFailure(`Invalid scheduleDate '${text}': expected an ISO-8601 date-time with a zone offset, e.g. 2025-12-02T10:30:00Z`);
      }
      const resolved = resolveInputs(flow.inputs, rendered);
      if (!resolved.ok) throw new TaskFailure(describeViolations(resolved.violations));
      child = this.#create(flow, {
        id: this.#opts.newId(),
        inputs: resolved.values,
        labels,
        trigger: {
          id: task.id,
          type: SUBFLOW_TYPE,
          variables: { executionId: parent.id, namespace: parent.flow.namespace, flowId: parent.flow.id, flowRevision: parent.flow.revision },
        },
        ...(scheduleDate ? { scheduleDate } : {}),
      });
    } catch (error) {
      this.#log(parent, 'ERROR', (error as Error).message, tr);
      return 'FAILED';
    }
    tr.attempts.push(new State('RUNNING', this.clock.now()));
    this.#dispatch(child);
    this.#log(parent, 'INFO', `Created execution ${child.id} of ${child.flow.namespace}.${child.flow.id}${child.scheduleDate ? ` scheduled for ${child.scheduleDate.toISOString()}` : ''}`, tr);
    if (props.wait === false) {
      tr.outputs = { executionId: child.id, state: child.state.current };
      tr.attempts[tr.attempts.length - 1]!.to('SUCCESS', this.clock.now());
      return 'SUCCESS';
    }
    await this.#waitFor(child);
    const outputs: Record<string, unknown> = { executionId: child.id, state: child.state.current };
    // Subflow.Output is serialised without nulls: no `outputs` key when the child has none (or they failed to render).
    if (Object.keys(child.outputs).length > 0) outputs.outputs = child.outputs;
    tr.outputs = outputs;
    const childState = child.state.current;
    const transmitFailed = props.transmitFailed !== false;
    const state: StateType = transmitFailed && ['FAILED', 'KILLED', 'WARNING', 'PAUSED'].includes(childState) ? childState : 'SUCCESS';
    tr.attempts[tr.attempts.length - 1]!.to(state === 'PAUSED' ? 'FAILED' : state, this.clock.now());
    return state;
  }

  /** Waits for a child; while it waits for its scheduleDate this execution does not count as busy. */
  async #waitFor(child: ExecutionRecord): Promise<void> {
    if (!this.#scheduled.has(child)) return child.done;
    this.#active--;
    this.#queueIdleCheck();
    try {
      await child.done;
    } finally {
      this.#active++;
    }
  }

  #log(exec: ExecutionRecord, level: LogLevel, message: string, tr?: TaskRunRecord): void {
    exec.logs.push({
      tenantId: TENANT,
      namespace: exec.flow.namespace,
      flowId: exec.flow.id,
      taskId: tr?.taskId ?? null,
      executionId: exec.id,
      taskRunId: tr?.id ?? null,
      attemptNumber: tr ? Math.max(0, tr.attempts.length - 1) : null,
      triggerId: null,
      timestamp: instantToString(this.clock.now()),
      level,
      thread: 'kestra-standin-worker',
      message,
    });
  }
}

function byScheduleDate(a: ExecutionRecord, b: ExecutionRecord): number {
  return a.scheduleDate!.getTime() - b.scheduleDate!.getTime() || a.seq - b.seq;
}

function flowVariables(flow: FlowDef): Record<string, unknown> {
  return { id: flow.id, namespace: flow.namespace, revision: flow.revision, tenantId: TENANT };
}

function labelMap(labels: readonly Label[]): Record<string, string> {
  return Object.fromEntries(labels.map((l) => [l.key, l.value]));
}

/** Later labels with the same key replace earlier ones (Kestra keeps one value per key). */
function dedupeLabels(labels: readonly Label[]): Label[] {
  const map = new Map<string, string>();
  for (const l of labels) map.set(l.key, l.value);
  return [...map.entries()].map(([key, value]) => ({ key, value }));
}

/** A non-string HTTP body property is sent as Kestra's JSON of it. */
function javaJson(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value, (_k, v: unknown) => (isDouble(v) ? Number(v) : v));
}
