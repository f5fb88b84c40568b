/**
 * The JSON the stand-in serves, shaped like Kestra 1.x's models
 * (core/.../models/executions/{Execution,TaskRun,TaskRunAttempt,LogEntry,ExecutionTrigger}.java,
 * core/.../models/flows/State.java): `state.histories` lists every transition with its date,
 * `duration` is an ISO-8601 duration, `endDate` appears once the state is terminal.
 */
import { formatDuration, instantToString } from './time.js';

export const STATE_TYPES = [
  'CREATED', 'SUBMITTED', 'RUNNING', 'PAUSED', 'RESTARTED', 'KILLING', 'SUCCESS', 'WARNING', 'FAILED',
  'KILLED', 'CANCELLED', 'QUEUED', 'RETRYING', 'RETRIED', 'SKIPPED',
] as const;
export type StateType = (typeof STATE_TYPES)[number];

/** State.Type#isTerminated() */
export const TERMINAL_STATES: ReadonlySet<StateType> = new Set<StateType>(['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED', 'SKIPPED', 'RETRIED']);

export function isTerminal(state: StateType): boolean {
  return TERMINAL_STATES.has(state);
}

export interface StateHistory {
  state: StateType;
  date: string;
}

export interface StateJson {
  current: StateType;
  histories: StateHistory[];
  startDate: string;
  endDate?: string;
  duration: string;
}

/** A State that records its transitions against the stand-in's clock. */
export class State {
  readonly histories: { state: StateType; at: Date }[] = [];

  constructor(initial: StateType, at: Date) {
    this.histories.push({ state: initial, at });
  }

  get current(): StateType {
    return this.histories[this.histories.length - 1]!.state;
  }

  get startDate(): Date {
    return this.histories[0]!.at;
  }

  get endDate(): Date | undefined {
    return isTerminal(this.current) ? this.histories[this.histories.length - 1]!.at : undefined;
  }

  /** Moves to `state` (a no-op when already there). */
  to(state: StateType, at: Date): this {
    if (this.current !== state) this.histories.push({ state, at });
    return this;
  }

  toJson(now: Date): StateJson {
    const end = this.endDate;
    const json: StateJson = {
      current: this.current,
      histories: this.histories.map((h) => ({ state: h.state, date: instantToString(h.at) })),
      startDate: instantToString(this.startDate),
      duration: formatDuration((end ?? now).getTime() - this.startDate.getTime()),
    };
    if (end) json.endDate = instantToString(end);
    return json;
  }
}

export interface Label {
  key: string;
  value: string;
}

export interface ExecutionTriggerJson {
  id: string;
  type: string;
  variables: Record<string, unknown>;
}

export interface TaskRunAttemptJson {
  state: StateJson;
}

export interface TaskRunJson {
  id: string;
  executionId: string;
  tenantId: string;
  namespace: string;
  flowId: string;
  taskId: string;
  parentTaskRunId: string | null;
  value: string | null;
  attempts: TaskRunAttemptJson[];
  outputs: Record<string, unknown> | null;
  state: StateJson;
  iteration: number | null;
}

export interface ExecutionJson {
  id: string;
  tenantId: string;
  namespace: string;
  flowId: string;
  flowRevision: number;
  labels: Label[];
  taskRunList: TaskRunJson[];
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  state: StateJson;
  parentId: string | null;
  originalId: string;
  trigger: ExecutionTriggerJson | null;
  deleted: boolean;
  scheduleDate?: string;
  metadata: { attemptNumber: number; originalCreatedDate: string };
}

/** `ExecutionController.WebhookResponse`: no task runs, no inputs; `url` of the execution in the UI. */
export interface WebhookResponseJson {
  tenantId: string;
  id: string;
  namespace: string;
  flowId: string;
  flowRevision: number;
  trigger: ExecutionTriggerJson | null;
  outputs: Record<string, unknown>;
  labels: Label[];
  state: StateJson;
  url: string;
}

export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function logLevelRank(level: LogLevel): number {
  return LOG_LEVELS.indexOf(level);
}

export interface LogEntryJson {
  tenantId: string;
  namespace: string;
  flowId: string;
  taskId: string | null;
  executionId: string;
  taskRunId: string | null;
  attemptNumber: number | null;
  triggerId: string | null;
  timestamp: string;
  level: LogLevel;
  thread: string;
  message: string;
}
