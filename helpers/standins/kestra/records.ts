/**
 * The stand-in's execution records: an execution and its task runs as the engine updates them,
 * and their JSON as Kestra's API answers it (Execution, TaskRun, the webhook response).
 */
import type { FlowDef } from './flow.js';
import { TENANT } from './flow-store.js';
import type { ExecutionJson, ExecutionTriggerJson, Label, LogEntryJson, State, TaskRunJson, WebhookResponseJson } from './model.js';
import { instantToString } from './time.js';

export class TaskRunRecord {
  readonly attempts: State[] = [];
  outputs: Record<string, unknown> | null = null;
  constructor(
    readonly id: string,
    readonly taskId: string,
    readonly parentTaskRunId: string | null,
    readonly state: State,
  ) {}
}

export class ExecutionRecord {
  readonly taskRuns: TaskRunRecord[] = [];
  readonly logs: LogEntryJson[] = [];
  outputs: Record<string, unknown> = {};
  /** Set on a replay (ExecutionService#replay → Execution#childExecution): the execution it was cloned from. */
  parentId: string | null = null;
  /** The first execution of a replay chain (this one's own id unless it is a replay). */
  originalId: string;
  /** Execution metadata: 1, plus one per replay (ExecutionMetadata#nextAttempt). */
  attemptNumber = 1;
  readonly done: Promise<void>;
  #resolveDone!: () => void;

  constructor(
    readonly id: string,
    readonly flow: FlowDef,
    readonly seq: number,
    readonly state: State,
    readonly labels: Label[],
    readonly inputs: Record<string, unknown>,
    readonly trigger: ExecutionTriggerJson | null,
    readonly scheduleDate: Date | undefined,
  ) {
    this.originalId = id;
    this.done = new Promise((resolve) => {
      this.#resolveDone = resolve;
    });
  }

  /** The execution that created this one (Subflow parent), from `trigger.variables.executionId`. */
  get parentExecutionId(): string | undefined {
    const id = this.trigger?.variables.executionId;
    return typeof id === 'string' ? id : undefined;
  }

  markDone(): void {
    this.#resolveDone();
  }

  toJson(now: Date): ExecutionJson {
    const json: ExecutionJson = {
      id: this.id,
      tenantId: TENANT,
      namespace: this.flow.namespace,
      flowId: this.flow.id,
      flowRevision: this.flow.revision,
      labels: this.labels.map((l) => ({ ...l })),
      taskRunList: this.taskRuns.map((tr) => taskRunJson(this, tr, now)),
      inputs: this.inputs,
      outputs: this.outputs,
      state: this.state.toJson(now),
      parentId: this.parentId,
      originalId: this.originalId,
      trigger: this.trigger,
      deleted: false,
      metadata: { attemptNumber: this.attemptNumber, originalCreatedDate: this.state.toJson(now).startDate },
    };
    if (this.scheduleDate) json.scheduleDate = instantToString(this.scheduleDate);
    return json;
  }

  toWebhookResponse(now: Date, uiBaseUrl: string): WebhookResponseJson {
    return {
      tenantId: TENANT,
      id: this.id,
      namespace: this.flow.namespace,
      flowId: this.flow.id,
      flowRevision: this.flow.revision,
      trigger: this.trigger,
      outputs: this.outputs,
      labels: this.labels.map((l) => ({ ...l })),
      state: this.state.toJson(now),
      url: `${uiBaseUrl}/ui/${TENANT}/executions/${this.flow.namespace}/${this.flow.id}/${this.id}`,
    };
  }
}

function taskRunJson(exec: ExecutionRecord, tr: TaskRunRecord, now: Date): TaskRunJson {
  return {
    id: tr.id,
    executionId: exec.id,
    tenantId: TENANT,
    namespace: exec.flow.namespace,
    flowId: exec.flow.id,
    taskId: tr.taskId,
    parentTaskRunId: tr.parentTaskRunId,
    value: null,
    attempts: tr.attempts.map((a) => ({ state: a.toJson(now) })),
    outputs: tr.outputs,
    state: tr.state.toJson(now),
    iteration: null,
  };
}
