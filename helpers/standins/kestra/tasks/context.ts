/**
 * What a task module gets from the interpreter: the task, its task run, the execution's run scope,
 * and the few interpreter services tasks need (render scope, logs, the clock, child executions).
 */
import type { FlowDef, TaskDef } from '../flow.js';
import type { FlowStore } from '../flow-store.js';
import type { ExecutionTriggerJson, Label, LogLevel, StateType } from '../model.js';
import type { ExecutionRecord, TaskRunRecord } from '../records.js';
import type { RenderScope } from '../render.js';

export interface RunScope {
  exec: ExecutionRecord;
  /** `outputs` as tasks see it: task id → the task run's outputs. */
  outputs: Record<string, unknown>;
  /** Set by an Exit task: the execution ends now in this state. */
  exit?: StateType;
}

export type ListOutcome = 'ok' | 'failed' | 'exit';

/** A task's own failure: its message is the task run's ERROR log line. */
export class TaskFailure extends Error {}

export interface NewExecution {
  id: string;
  inputs: Record<string, unknown>;
  labels: Label[];
  trigger: ExecutionTriggerJson | null;
  scheduleDate?: Date;
}

/** The interpreter's services, as tasks see them. */
export interface TaskHost {
  readonly flows: FlowStore;
  readonly httpTimeoutMs: number;
  newId(): string;
  now(): Date;
  create(flow: FlowDef, spec: NewExecution): ExecutionRecord;
  dispatch(exec: ExecutionRecord): void;
  waitFor(child: ExecutionRecord): Promise<void>;
  runList(tasks: readonly TaskDef[], parent: TaskRunRecord | null, scope: RunScope): Promise<ListOutcome>;
}

export interface TaskContext {
  readonly task: TaskDef;
  readonly tr: TaskRunRecord;
  readonly scope: RunScope;
  readonly host: TaskHost;
  /** The render scope as of now (taskrun.attemptsCount changes between attempts). */
  render(): RenderScope;
  log(level: LogLevel, message: string): void;
}
