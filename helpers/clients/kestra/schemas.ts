/**
 * The JSON shapes of Kestra 1.x, as far as the harness relies on them. Objects are loose (extra
 * fields pass through untouched); the fields the harness reads are checked strictly.
 * Sources (kestra-io/kestra): core/.../models/executions/{Execution,TaskRun,LogEntry,ExecutionTrigger}.java,
 * core/.../models/flows/State.java, core/.../models/validations/ValidateConstraintViolation.java,
 * webserver/.../responses/PagedResults.java, ExecutionController.WebhookResponse, MiscController.Configuration.
 */
import { z } from 'zod';

/** State.Type in Kestra 1.x. `state.current` is typed as string so a future state is not a crash. */
export const KNOWN_STATE_TYPES = [
  'CREATED', 'SUBMITTED', 'RUNNING', 'PAUSED', 'RESTARTED', 'KILLING', 'SUCCESS', 'WARNING', 'FAILED',
  'KILLED', 'CANCELLED', 'QUEUED', 'RETRYING', 'RETRIED', 'SKIPPED', 'BREAKPOINT', 'RESUBMITTED',
] as const;
export type KnownStateType = (typeof KNOWN_STATE_TYPES)[number];
export type StateType = KnownStateType | (string & {});

/** State.Type#isTerminated() in Kestra 1.x. */
export const TERMINAL_STATES: ReadonlySet<string> = new Set<KnownStateType>([
  'SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED', 'SKIPPED', 'RETRIED', 'RESUBMITTED',
]);

export function isTerminalState(state: string | undefined): boolean {
  return state !== undefined && TERMINAL_STATES.has(state);
}

const json = z.record(z.string(), z.unknown());
const optionalMap = json.nullish().transform((v) => v ?? {});

export const StateHistorySchema = z.looseObject({
  state: z.string(),
  /** ISO-8601 instant. */
  date: z.string(),
});

export const StateSchema = z.looseObject({
  current: z.string(),
  histories: z.array(StateHistorySchema),
  startDate: z.string().nullish(),
  endDate: z.string().nullish(),
  /** ISO-8601 duration (`PT1.2S`), only once terminated. */
  duration: z.unknown().optional(),
});

export const LabelSchema = z.looseObject({ key: z.string(), value: z.string() });

/** Labels are a list of {key, value}; very old servers sent a map. Normalised to the list. */
export const LabelsSchema = z
  .union([z.array(LabelSchema), z.record(z.string(), z.string())])
  .nullish()
  .transform((v) => (v == null ? [] : Array.isArray(v) ? v : Object.entries(v).map(([key, value]) => ({ key, value }))));

export const ExecutionTriggerSchema = z.looseObject({
  id: z.string(),
  type: z.string(),
  /** Subflow children: {executionId, namespace, flowId, flowRevision, taskRunId, taskId, …} of the parent. */
  variables: optionalMap,
});

export const TaskRunSchema = z.looseObject({
  id: z.string(),
  taskId: z.string(),
  executionId: z.string().nullish(),
  parentTaskRunId: z.string().nullish(),
  value: z.string().nullish(),
  iteration: z.number().nullish(),
  state: StateSchema,
  outputs: optionalMap,
  attempts: z.array(z.unknown()).nullish().transform((v) => v ?? []),
});

export const ExecutionSchema = z.looseObject({
  id: z.string(),
  namespace: z.string(),
  flowId: z.string(),
  flowRevision: z.number().nullish(),
  tenantId: z.string().nullish(),
  state: StateSchema,
  taskRunList: z.array(TaskRunSchema).nullish().transform((v) => v ?? []),
  inputs: optionalMap,
  outputs: optionalMap,
  labels: LabelsSchema,
  variables: json.nullish(),
  trigger: ExecutionTriggerSchema.nullish(),
  /** ISO-8601 instant; set on executions created with a schedule date (Subflow `scheduleDate`). */
  scheduleDate: z.string().nullish(),
  parentId: z.string().nullish(),
  originalId: z.string().nullish(),
  kind: z.string().nullish(),
  deleted: z.boolean().nullish(),
});

/** `ExecutionController.WebhookResponse`: no taskRunList, no inputs. */
export const WebhookExecutionSchema = z.looseObject({
  id: z.string(),
  namespace: z.string(),
  flowId: z.string(),
  flowRevision: z.number().nullish(),
  tenantId: z.string().nullish(),
  state: StateSchema,
  trigger: ExecutionTriggerSchema.nullish(),
  outputs: optionalMap,
  labels: LabelsSchema,
  url: z.string().nullish(),
});

export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const LogEntrySchema = z.looseObject({
  namespace: z.string(),
  flowId: z.string(),
  executionId: z.string().nullish(),
  taskId: z.string().nullish(),
  taskRunId: z.string().nullish(),
  attemptNumber: z.number().nullish(),
  triggerId: z.string().nullish(),
  timestamp: z.string(),
  level: z.enum(LOG_LEVELS),
  thread: z.string().nullish(),
  message: z.string().nullish().transform((v) => v ?? ''),
});

export function pagedResultsSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({ results: z.array(item), total: z.number() });
}

export const FlowSchema = z.looseObject({
  id: z.string(),
  namespace: z.string(),
  revision: z.number().nullish(),
  disabled: z.boolean().nullish(),
  deleted: z.boolean().nullish(),
});

export const FlowWithSourceSchema = FlowSchema.extend({ source: z.string() });

export const ValidationErrorSchema = z.looseObject({
  detail: z.string(),
  pointer: z.string().nullish(),
  path: z.string().nullish(),
});

/** One entry per flow: 1.0/1.1 put the problems in `constraints` (a string); newer servers in `errors`. */
export const ValidateConstraintViolationSchema = z.looseObject({
  index: z.number(),
  filename: z.string().nullish(),
  namespace: z.string().nullish(),
  flow: z.string().nullish(),
  constraints: z.string().nullish(),
  errors: z.array(ValidationErrorSchema).nullish(),
  outdated: z.boolean().nullish(),
  deprecationPaths: z.array(z.string()).nullish(),
  warnings: z.array(z.string()).nullish(),
  infos: z.array(z.string()).nullish(),
});

export const ValidationResponseSchema = z.array(ValidateConstraintViolationSchema);

/** `GET /api/v1/configs` (MiscController.Configuration). */
export const ConfigsSchema = z.looseObject({
  version: z.string(),
  commitId: z.string().nullish(),
  commitDate: z.string().nullish(),
  edition: z.string().nullish(),
  uuid: z.string().nullish(),
  url: z.string().nullish(),
});

/** Micronaut management `/health`. */
export const HealthSchema = z.looseObject({
  status: z.string(),
  name: z.string().nullish(),
  details: z.unknown().optional(),
});

export type ExecutionState = z.infer<typeof StateSchema>;
export type StateHistory = z.infer<typeof StateHistorySchema>;
export type Label = z.infer<typeof LabelSchema>;
export type ExecutionTrigger = z.infer<typeof ExecutionTriggerSchema>;
export type TaskRun = z.infer<typeof TaskRunSchema>;
export type Execution = z.infer<typeof ExecutionSchema>;
export type WebhookExecution = z.infer<typeof WebhookExecutionSchema>;
export type LogEntry = z.infer<typeof LogEntrySchema>;
export type Flow = z.infer<typeof FlowSchema>;
export type FlowWithSource = z.infer<typeof FlowWithSourceSchema>;
export type ValidateConstraintViolation = z.infer<typeof ValidateConstraintViolationSchema>;
export interface PagedResults<T> {
  results: T[];
  total: number;
}
