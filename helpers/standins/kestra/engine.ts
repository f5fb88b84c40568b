/**
 * The stand-in's engine: the flow store and the executions, wired from four parts —
 *  - records.ts      execution records and their API JSON;
 *  - triggers.ts     which Webhook trigger a key opens, and the inputs it renders;
 *  - scheduler.ts    what runs now, what waits for its scheduleDate, the clock (advance, settle);
 *  - interpreter.ts  runs one execution; its tasks are in tasks/ (one module per task family).
 * Runs the flows of this repository in-process, asynchronously (the HTTP server is never blocked:
 * every task is awaited I/O or a short synchronous render).
 * Every root execution (webhook) carries the label `system.correlationId` = its id; children inherit it.
 */
import type { StandinClock } from './clock.js';
import type { KestraEnvironment } from './environment.js';
import type { FlowDef } from './flow.js';
import { FlowStore } from './flow-store.js';
import type { IdGenerator } from './ids.js';
import { describeViolations, resolveInputs } from './inputs.js';
import { Interpreter } from './interpreter.js';
import { State, type Label, type WebhookResponseJson } from './model.js';
import { ExecutionRecord } from './records.js';
import { Scheduler } from './scheduler.js';
import type { NewExecution } from './tasks/context.js';
import { matchWebhookTrigger, webhookInputs, webhookVariables, WEBHOOK_TYPE, type WebhookRequest } from './triggers.js';
import { CORRELATION_LABEL, dedupeLabels } from './variables.js';


/** What a webhook call comes to (the API layer turns it into Kestra's status codes). */
export type WebhookOutcome =
  | { kind: 'flow-not-found' }
  | { kind: 'flow-disabled' }
  | { kind: 'webhook-not-found' }
  /** The inputs could not be rendered/validated: 409 on 1.1–1.3, 422 from 1.4 (PR #16871); api.ts answers per the pin. */
  | { kind: 'inputs-invalid'; reason: string }
  | { kind: 'created'; execution: ExecutionRecord; response: WebhookResponseJson };

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

export class KestraEngine {
  readonly flows = new FlowStore();
  readonly #opts: EngineOptions;
  readonly #executions = new Map<string, ExecutionRecord>();
  readonly #order: ExecutionRecord[] = [];
  /** Executions by the execution that created them (trigger.variables.executionId), oldest first. */
  readonly #children = new Map<string, ExecutionRecord[]>();
  readonly #scheduler: Scheduler;
  readonly #interpreter: Interpreter;
  #seq = 0;
  readonly #crashes: unknown[] = [];

  constructor(opts: EngineOptions) {
    this.#opts = opts;
    this.#interpreter = new Interpreter({
      env: opts.env,
      clock: opts.clock,
      retryDelayScale: opts.retryDelayScale,
      ...(opts.random ? { random: opts.random } : {}),
      host: {
        flows: this.flows,
        httpTimeoutMs: opts.httpTimeoutMs,
        newId: () => opts.newId(),
        now: () => opts.clock.now(),
        create: (flow, spec) => this.#create(flow, spec),
        dispatch: (exec) => this.#scheduler.dispatch(exec),
        waitFor: (child) => this.#scheduler.waitFor(child),
      },
    });
    this.#scheduler = new Scheduler({
      clock: opts.clock,
      settleTimeoutMs: opts.settleTimeoutMs,
      run: (exec) => this.#interpreter.run(exec),
      crashed: (exec, error) => {
        this.#crashes.push(error);
        this.#interpreter.log(exec, 'ERROR', `Kestra stand-in engine error (a bug): ${(error as Error)?.stack ?? String(error)}`);
      },
      executions: () => this.#order,
      log: (exec, level, message) => this.#interpreter.log(exec, level, message),
    });
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

  /**
   * The executions `parentId` created, oldest first — what a search by `triggerExecutionId` may
   * match (an index: such searches run for every level of every descendant walk).
   */
  childrenOf(parentId: string): readonly ExecutionRecord[] {
    return this.#children.get(parentId) ?? [];
  }

  /** Executions waiting in CREATED for their scheduleDate, soonest first. */
  scheduled(): ExecutionRecord[] {
    return this.#scheduler.scheduled();
  }

  /** Takes a waiting execution off the release queue (kill.ts); false if it was not waiting. */
  protected unschedule(exec: ExecutionRecord): boolean {
    return this.#scheduler.unschedule(exec);
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
    const ctx = { env: this.#opts.env, now: () => this.clock.now() };
    const trigger = matchWebhookTrigger(ctx, flow, key);
    if (!trigger) return { kind: 'webhook-not-found' };

    const now = this.clock.now();
    const id = this.#opts.newId();
    const variables = webhookVariables(request);
    const inputs = webhookInputs(ctx, flow, trigger, { id, startDate: now }, variables);
    if (!inputs.ok) return { kind: 'inputs-invalid', reason: inputs.reason };
    const exec = this.#create(flow, {
      id,
      inputs: inputs.values,
      labels: [...flow.labels.filter((l) => !l.key.startsWith('system.')), { key: CORRELATION_LABEL, value: id }],
      trigger: { id: trigger.id, type: WEBHOOK_TYPE, variables },
    });
    const response = exec.toWebhookResponse(now, this.#opts.uiBaseUrl());
    this.#scheduler.dispatch(exec);
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
    this.#scheduler.dispatch(exec);
    return exec;
  }

  /**
   * `POST /executions/{id}/replay` without a task run: ExecutionService#replay — a new execution of
   * the same flow with the original's inputs, labels, trigger and scheduleDate (Execution#childExecution),
   * its parentId the original, run from the start. Undefined when there is no such execution.
   */
  replay(id: string): ExecutionRecord | undefined {
    const original = this.#executions.get(id);
    if (!original) return undefined;
    const exec = this.#create(original.flow, {
      id: this.#opts.newId(),
      inputs: original.inputs,
      labels: original.labels,
      trigger: original.trigger,
      ...(original.scheduleDate ? { scheduleDate: original.scheduleDate } : {}),
    });
    exec.parentId = original.id;
    exec.originalId = original.originalId;
    exec.attemptNumber = original.attemptNumber + 1;
    this.#scheduler.dispatch(exec);
    return exec;
  }

  // ---------------------------------------------------------------- clock

  /** See Scheduler#advanceTo: releases what is due by `target`, in date order. */
  advanceTo(target: Date): Promise<string[]> {
    return this.#scheduler.advanceTo(target);
  }

  advance(ms: number): Promise<string[]> {
    if (!Number.isFinite(ms) || ms < 0) return Promise.reject(new Error(`advance: ${ms} is not a duration ≥ 0 ms`));
    return this.advanceTo(new Date(this.clock.nowMs() + ms));
  }

  /** Resolves once nothing runs (executions waiting for their scheduleDate do not count). */
  settle(timeoutMs?: number): Promise<void> {
    return this.#scheduler.settle(timeoutMs);
  }

  stop(): void {
    this.#scheduler.stop();
    this.#interpreter.stop();
  }

  #create(flow: FlowDef, spec: NewExecution): ExecutionRecord {
    const exec = new ExecutionRecord(spec.id, flow, this.#seq++, new State('CREATED', this.clock.now()), dedupeLabels(spec.labels), spec.inputs, spec.trigger, spec.scheduleDate);
    this.#executions.set(exec.id, exec);
    this.#order.push(exec);
    const parent = exec.parentExecutionId;
    if (parent !== undefined) {
      const siblings = this.#children.get(parent);
      if (siblings) siblings.push(exec);
      else this.#children.set(parent, [exec]);
    }
    return exec;
  }
}
