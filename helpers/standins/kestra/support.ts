/**
 * What the Kestra stand-in can run — THE source of truth, shared by the engine (which refuses a
 * flow using anything else, naming the feature) and the linter (which flags the same flows before
 * they are deployed; helpers/tools/lint re-exports these lists). Add a feature here only together with
 * its implementation in engine.ts/tasks.ts and a unit test.
 *
 * `unsupportedFeatures(definition)` walks a parsed flow and lists every property, task type,
 * trigger type, input type or retry/HTTP option outside the subset, each with a YAML path.
 */

import { CORE_ALIASES } from '../../kestra-model/catalog.js';

const CORE = 'io.kestra.plugin.core';

/** The catalog's aliases (CORE_ALIASES) of the given canonical classes. */
function aliasesOf<T extends string>(types: readonly T[]): Readonly<Record<string, T>> {
  return Object.fromEntries(Object.entries(CORE_ALIASES).filter(([, canonical]) => (types as readonly string[]).includes(canonical))) as Record<string, T>;
}

export const SUPPORTED_TASK_TYPES = [
  `${CORE}.http.Request`,
  `${CORE}.log.Log`,
  `${CORE}.flow.Subflow`,
  `${CORE}.flow.If`,
  `${CORE}.flow.Switch`,
  `${CORE}.flow.Sequential`,
  `${CORE}.output.OutputValues`,
  `${CORE}.debug.Return`,
  `${CORE}.execution.Fail`,
  `${CORE}.execution.Exit`,
] as const;
export type SupportedTaskType = (typeof SUPPORTED_TASK_TYPES)[number];

/** Legacy names Kestra still accepts (`@Plugin(aliases = …)`) for the supported classes: the catalog's, filtered. */
export const SUPPORTED_TASK_ALIASES: Readonly<Record<string, SupportedTaskType>> = aliasesOf(SUPPORTED_TASK_TYPES);

export const SUPPORTED_TRIGGER_TYPES = [`${CORE}.trigger.Webhook`] as const;
export type SupportedTriggerType = (typeof SUPPORTED_TRIGGER_TYPES)[number];

export const SUPPORTED_TRIGGER_ALIASES: Readonly<Record<string, SupportedTriggerType>> = aliasesOf(SUPPORTED_TRIGGER_TYPES);

/** Input (and flow output) types. BOOL is BOOLEAN's newer name. */
export const SUPPORTED_INPUT_TYPES = ['STRING', 'INT', 'FLOAT', 'BOOLEAN', 'BOOL', 'SELECT', 'JSON', 'DATETIME', 'DATE', 'EMAIL', 'URI'] as const;
export type SupportedInputType = (typeof SUPPORTED_INPUT_TYPES)[number];

/** Top-level flow properties. `revision` is accepted and ignored (the server numbers revisions). */
export const SUPPORTED_FLOW_PROPERTIES = [
  'id', 'namespace', 'revision', 'description', 'labels', 'inputs', 'variables', 'tasks', 'errors', 'finally',
  'outputs', 'triggers', 'pluginDefaults', 'disabled', 'concurrency',
] as const;

/** `concurrency` (Concurrency.java): `limit` and `behavior` (QUEUE, CANCEL, FAIL), all three modelled. */
export const SUPPORTED_CONCURRENCY_PROPERTIES = ['limit', 'behavior'] as const;

/** Properties every task may carry. */
export const COMMON_TASK_PROPERTIES = ['id', 'type', 'description', 'allowFailure', 'allowWarning', 'runIf', 'disabled'] as const;

/** Only runnable tasks (not flowable ones, not Subflow, not Exit) take `retry` and `timeout` here. */
export const RUNNABLE_TASK_PROPERTIES = ['retry', 'timeout'] as const;

const own: Readonly<Record<SupportedTaskType, readonly string[]>> = {
  [`${CORE}.http.Request`]: ['uri', 'method', 'body', 'contentType', 'headers', 'options', ...RUNNABLE_TASK_PROPERTIES],
  [`${CORE}.log.Log`]: ['message', 'level', ...RUNNABLE_TASK_PROPERTIES],
  [`${CORE}.flow.Subflow`]: ['namespace', 'flowId', 'inputs', 'labels', 'wait', 'transmitFailed', 'inheritLabels', 'scheduleDate'],
  [`${CORE}.flow.If`]: ['condition', 'then', 'else'],
  [`${CORE}.flow.Switch`]: ['value', 'cases', 'defaults'],
  [`${CORE}.flow.Sequential`]: ['tasks'],
  [`${CORE}.output.OutputValues`]: ['values', ...RUNNABLE_TASK_PROPERTIES],
  [`${CORE}.debug.Return`]: ['format', ...RUNNABLE_TASK_PROPERTIES],
  [`${CORE}.execution.Fail`]: ['condition', 'errorMessage', ...RUNNABLE_TASK_PROPERTIES],
  [`${CORE}.execution.Exit`]: ['state'],
};

/** Every property a task of each supported type may carry (its own and the common ones). */
export const SUPPORTED_TASK_PROPERTIES: Readonly<Record<SupportedTaskType, readonly string[]>> = Object.fromEntries(
  SUPPORTED_TASK_TYPES.map((type) => [type, [...COMMON_TASK_PROPERTIES, ...own[type]]]),
) as unknown as Record<SupportedTaskType, readonly string[]>;

export const SUPPORTED_TRIGGER_PROPERTIES: Readonly<Record<SupportedTriggerType, readonly string[]>> = {
  [`${CORE}.trigger.Webhook`]: ['id', 'type', 'description', 'disabled', 'key', 'inputs'],
};

const COMMON_INPUT_PROPERTIES = ['id', 'type', 'description', 'displayName', 'required', 'defaults'];
export const SUPPORTED_INPUT_PROPERTIES: Readonly<Record<SupportedInputType, readonly string[]>> = {
  STRING: [...COMMON_INPUT_PROPERTIES, 'validator'],
  INT: [...COMMON_INPUT_PROPERTIES, 'min', 'max'],
  FLOAT: [...COMMON_INPUT_PROPERTIES, 'min', 'max'],
  BOOLEAN: COMMON_INPUT_PROPERTIES,
  BOOL: COMMON_INPUT_PROPERTIES,
  SELECT: [...COMMON_INPUT_PROPERTIES, 'values', 'allowCustomValue'],
  JSON: COMMON_INPUT_PROPERTIES,
  DATETIME: COMMON_INPUT_PROPERTIES,
  DATE: COMMON_INPUT_PROPERTIES,
  EMAIL: COMMON_INPUT_PROPERTIES,
  URI: COMMON_INPUT_PROPERTIES,
};

export const SUPPORTED_OUTPUT_PROPERTIES = ['id', 'type', 'value', 'description', 'displayName'] as const;
export const SUPPORTED_RETRY_TYPES = ['constant', 'exponential', 'random'] as const;
export const SUPPORTED_RETRY_PROPERTIES = [
  'type', 'interval', 'maxInterval', 'minInterval', 'delayFactor', 'maxAttempts', 'maxAttempt', 'maxDuration', 'warningOnRetry', 'behavior',
] as const;
/** HTTP Request `options` the stand-in applies (allowFailed; readTimeout as the whole request's timeout; followRedirects). */
export const SUPPORTED_HTTP_OPTIONS = ['allowFailed', 'readTimeout', 'followRedirects'] as const;
export const SUPPORTED_PLUGIN_DEFAULT_PROPERTIES = ['type', 'values', 'forced'] as const;

export interface UnsupportedFeature {
  /** YAML path, e.g. `tasks[2].then[0].type` */
  path: string;
  /** What is not supported, e.g. `task type io.kestra.plugin.scripts.shell.Commands` */
  feature: string;
  /** One line for humans: path, feature and where the list lives. */
  message: string;
}

export function canonicalTaskType(type: string): SupportedTaskType | undefined {
  if ((SUPPORTED_TASK_TYPES as readonly string[]).includes(type)) return type as SupportedTaskType;
  return SUPPORTED_TASK_ALIASES[type];
}

export function canonicalTriggerType(type: string): SupportedTriggerType | undefined {
  if ((SUPPORTED_TRIGGER_TYPES as readonly string[]).includes(type)) return type as SupportedTriggerType;
  return SUPPORTED_TRIGGER_ALIASES[type];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Task lists nested in a flowable task, with their YAML key. */
export function childTaskLists(task: Record<string, unknown>): { key: string; tasks: unknown[] }[] {
  const out: { key: string; tasks: unknown[] }[] = [];
  for (const key of ['then', 'else', 'tasks', 'defaults']) {
    if (Array.isArray(task[key])) out.push({ key, tasks: task[key] as unknown[] });
  }
  if (isRecord(task.cases)) {
    for (const [name, list] of Object.entries(task.cases)) if (Array.isArray(list)) out.push({ key: `cases.${name}`, tasks: list });
  }
  return out;
}

/**
 * Every feature of `definition` (a parsed flow) that the stand-in cannot run. Empty when the flow
 * is inside the subset. Structural errors (a task without `type`…) are left to flow validation.
 */
export function unsupportedFeatures(definition: unknown): UnsupportedFeature[] {
  const found: UnsupportedFeature[] = [];
  const add = (path: string, feature: string) =>
    found.push({ path, feature, message: `${path}: ${feature} is not supported by the Kestra stand-in (helpers/standins/kestra/support.ts); only the real-Kestra tier can run this flow` });
  if (!isRecord(definition)) return found;

  for (const key of Object.keys(definition)) {
    if (!(SUPPORTED_FLOW_PROPERTIES as readonly string[]).includes(key)) add(key, `flow property \`${key}\``);
  }

  if (isRecord(definition.concurrency)) {
    for (const key of Object.keys(definition.concurrency)) {
      if (!(SUPPORTED_CONCURRENCY_PROPERTIES as readonly string[]).includes(key)) add(`concurrency.${key}`, `concurrency property \`${key}\``);
    }
  }

  const checkRetry = (retry: unknown, path: string) => {
    if (!isRecord(retry)) return;
    for (const key of Object.keys(retry)) {
      if (!(SUPPORTED_RETRY_PROPERTIES as readonly string[]).includes(key)) add(`${path}.${key}`, `retry property \`${key}\``);
    }
    if (typeof retry.type === 'string' && !(SUPPORTED_RETRY_TYPES as readonly string[]).includes(retry.type)) add(`${path}.type`, `retry type \`${retry.type}\``);
    if (retry.behavior !== undefined && retry.behavior !== 'RETRY_FAILED_TASK') add(`${path}.behavior`, `retry behavior \`${String(retry.behavior)}\``);
  };

  const checkTask = (task: unknown, path: string) => {
    if (!isRecord(task) || typeof task.type !== 'string') return;
    const type = canonicalTaskType(task.type);
    if (!type) {
      add(`${path}.type`, `task type \`${task.type}\``);
      return;
    }
    const allowed = SUPPORTED_TASK_PROPERTIES[type];
    for (const key of Object.keys(task)) {
      if (!allowed.includes(key)) add(`${path}.${key}`, `property \`${key}\` of ${type}`);
    }
    checkRetry(task.retry, `${path}.retry`);
    if (type === `${CORE}.http.Request` && isRecord(task.options)) {
      for (const key of Object.keys(task.options)) {
        if (!(SUPPORTED_HTTP_OPTIONS as readonly string[]).includes(key)) add(`${path}.options.${key}`, `HTTP option \`${key}\``);
      }
    }
    for (const { key, tasks } of childTaskLists(task)) tasks.forEach((child, i) => checkTask(child, `${path}.${key}[${i}]`));
  };

  for (const section of ['tasks', 'errors', 'finally'] as const) {
    const list = definition[section];
    if (Array.isArray(list)) list.forEach((task, i) => checkTask(task, `${section}[${i}]`));
  }

  if (Array.isArray(definition.triggers)) {
    definition.triggers.forEach((trigger, i) => {
      if (!isRecord(trigger) || typeof trigger.type !== 'string') return;
      const type = canonicalTriggerType(trigger.type);
      if (!type) return add(`triggers[${i}].type`, `trigger type \`${trigger.type}\``);
      for (const key of Object.keys(trigger)) {
        if (!SUPPORTED_TRIGGER_PROPERTIES[type].includes(key)) add(`triggers[${i}].${key}`, `property \`${key}\` of ${type}`);
      }
    });
  }

  if (Array.isArray(definition.inputs)) {
    definition.inputs.forEach((input, i) => {
      if (!isRecord(input) || typeof input.type !== 'string') return;
      const type = input.type as SupportedInputType;
      if (!(SUPPORTED_INPUT_TYPES as readonly string[]).includes(type)) return add(`inputs[${i}].type`, `input type \`${input.type}\``);
      for (const key of Object.keys(input)) {
        if (!SUPPORTED_INPUT_PROPERTIES[type].includes(key)) add(`inputs[${i}].${key}`, `property \`${key}\` of a ${type} input`);
      }
    });
  }

  if (Array.isArray(definition.outputs)) {
    definition.outputs.forEach((output, i) => {
      if (!isRecord(output)) return;
      if (typeof output.type === 'string' && !(SUPPORTED_INPUT_TYPES as readonly string[]).includes(output.type)) add(`outputs[${i}].type`, `output type \`${output.type}\``);
      for (const key of Object.keys(output)) {
        if (!(SUPPORTED_OUTPUT_PROPERTIES as readonly string[]).includes(key)) add(`outputs[${i}].${key}`, `flow output property \`${key}\``);
      }
    });
  }

  if (Array.isArray(definition.pluginDefaults)) {
    definition.pluginDefaults.forEach((pd, i) => {
      if (!isRecord(pd)) return;
      for (const key of Object.keys(pd)) {
        if (!(SUPPORTED_PLUGIN_DEFAULT_PROPERTIES as readonly string[]).includes(key)) add(`pluginDefaults[${i}].${key}`, `pluginDefaults property \`${key}\``);
      }
    });
  }
  return found;
}
