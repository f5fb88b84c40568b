/**
 * A flow's YAML → the stand-in's flow model, with the checks Kestra makes when a flow is created
 * or validated (ids and patterns, required properties, duplicate task/input ids, retry shapes) and
 * the stand-in's own: any feature outside support.ts is a violation naming it, so a flow the
 * engine cannot run is refused at deploy time instead of half-running.
 *
 * `pluginDefaults` are applied here with helpers/kestra-model/plugin-defaults.ts (Kestra's
 * PluginDefaultService, the algorithm the linter reads them with too).
 */
import { yamlParser } from '../../kestra-model/yaml-parser.js';
import { exportsSupported, parseTemplate, usage } from '../../kestra-model/pebble/index.js';
import { canonicalTaskType, canonicalTriggerType, childTaskLists, SUPPORTED_INPUT_TYPES, unsupportedFeatures, type SupportedInputType, type SupportedTaskType } from './support.js';
import type { Label } from './model.js';
import { parseDuration } from './time.js';
import { applyPluginDefaults, pluginDefaultsMatcher, type PluginDefault } from '../../kestra-model/plugin-defaults.js';

import { canonicalType, FLOW_ID_PATTERN, INPUT_ID_PATTERN, NAMESPACE_PATTERN, TASK_ID_PATTERN } from '../../kestra-model/catalog.js';

export { FLOW_ID_PATTERN, INPUT_ID_PATTERN, NAMESPACE_PATTERN, TASK_ID_PATTERN };

export interface InputDef {
  id: string;
  type: SupportedInputType;
  required: boolean;
  defaults?: unknown;
  validator?: string;
  min?: number;
  max?: number;
  values?: string[];
  allowCustomValue: boolean;
}

export interface OutputDef {
  id: string;
  type?: SupportedInputType;
  value: unknown;
}

export interface TaskDef {
  id: string;
  type: SupportedTaskType;
  /** Every property (pluginDefaults applied), as in the YAML. */
  props: Record<string, unknown>;
  /** YAML path, e.g. `tasks[3].then[0]` */
  path: string;
  children: Record<string, TaskDef[]>;
}

export interface TriggerDef {
  id: string;
  type: string;
  disabled: boolean;
  key?: unknown;
  inputs?: Record<string, unknown>;
}

export type ConcurrencyBehavior = 'QUEUE' | 'CANCEL' | 'FAIL';

export interface ConcurrencyDef {
  limit: number;
  behavior: ConcurrencyBehavior;
}

export interface FlowDef {
  id: string;
  namespace: string;
  tenantId: string;
  revision: number;
  source: string;
  disabled: boolean;
  deleted: boolean;
  description?: string;
  labels: Label[];
  inputs: InputDef[];
  outputs: OutputDef[];
  variables: Record<string, unknown>;
  tasks: TaskDef[];
  errors: TaskDef[];
  finally: TaskDef[];
  triggers: TriggerDef[];
  /** Flow-level `concurrency` (Concurrency.java): at most `limit` RUNNING executions; the rest QUEUE, CANCEL or FAIL. */
  concurrency?: ConcurrencyDef;
  /** The parsed document before plugin defaults (what GET /flows returns besides `source`). */
  definition: Record<string, unknown>;
}

export interface Violation {
  path: string;
  message: string;
}

export type ParsedFlow = { ok: true; flow: Omit<FlowDef, 'revision' | 'tenantId'> } | { ok: false; violations: Violation[]; id?: string; namespace?: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function formatViolations(violations: readonly Violation[]): string {
  return violations.map((v) => (v.path ? `${v.path}: ${v.message}` : v.message)).join('\n');
}

function labelsOf(raw: unknown, path: string, violations: Violation[]): Label[] {
  if (raw === undefined || raw === null) return [];
  if (Array.isArray(raw)) {
    return raw.flatMap((l, i) => {
      if (isRecord(l) && typeof l.key === 'string' && l.value !== undefined && l.value !== null) return [{ key: l.key, value: String(l.value) }];
      violations.push({ path: `${path}[${i}]`, message: 'a label must be {key, value}' });
      return [];
    });
  }
  if (isRecord(raw)) return Object.entries(raw).map(([key, value]) => ({ key, value: value === null || value === undefined ? '' : String(value) }));
  violations.push({ path, message: 'labels must be a map or a list of {key, value}' });
  return [];
}

const isExpression = (v: unknown) => typeof v === 'string' && /\{\{|\{%/.test(v);

function checkDuration(value: unknown, path: string, violations: Violation[]) {
  if (value === undefined || isExpression(value)) return;
  if (parseDuration(value) === undefined) violations.push({ path, message: `invalid ISO-8601 duration "${String(value)}"` });
}

function checkRetry(retry: unknown, path: string, violations: Violation[]) {
  if (retry === undefined) return;
  if (!isRecord(retry)) return void violations.push({ path, message: 'retry must be a map' });
  const type = retry.type;
  if (type === undefined) violations.push({ path: `${path}.type`, message: 'must not be null' });
  if (type === 'constant' && retry.interval === undefined) violations.push({ path: `${path}.interval`, message: 'must not be null' });
  if (type === 'exponential') {
    if (retry.interval === undefined) violations.push({ path: `${path}.interval`, message: 'must not be null' });
    if (retry.maxInterval === undefined) violations.push({ path: `${path}.maxInterval`, message: 'must not be null' });
  }
  if (type === 'random') {
    if (retry.minInterval === undefined) violations.push({ path: `${path}.minInterval`, message: 'must not be null' });
    if (retry.maxInterval === undefined) violations.push({ path: `${path}.maxInterval`, message: 'must not be null' });
  }
  for (const key of ['interval', 'maxInterval', 'minInterval', 'maxDuration']) checkDuration(retry[key], `${path}.${key}`, violations);
  for (const key of ['maxAttempts', 'maxAttempt']) {
    const v = retry[key];
    if (v !== undefined && !(Number.isInteger(v) && (v as number) >= 1)) violations.push({ path: `${path}.${key}`, message: 'must be greater than or equal to 1' });
  }
}

const required = (task: Record<string, unknown>, key: string, path: string, violations: Violation[]) => {
  if (task[key] === undefined || task[key] === null || task[key] === '') violations.push({ path: `${path}.${key}`, message: 'must not be null' });
};

function taskDef(raw: unknown, path: string, ids: Map<string, string>, violations: Violation[]): TaskDef | undefined {
  if (!isRecord(raw)) {
    violations.push({ path, message: 'a task must be a map' });
    return undefined;
  }
  const id = raw.id;
  if (typeof id !== 'string' || id === '') violations.push({ path: `${path}.id`, message: 'must not be null' });
  else if (!TASK_ID_PATTERN.test(id)) violations.push({ path: `${path}.id`, message: `must match "${TASK_ID_PATTERN.source}"` });
  else if (ids.has(id)) violations.push({ path: `${path}.id`, message: `Duplicate task id with name [${id}] (also at ${ids.get(id)})` });
  else ids.set(id, path);
  if (typeof raw.type !== 'string' || raw.type === '') {
    violations.push({ path: `${path}.type`, message: 'must not be null' });
    return undefined;
  }
  const type = canonicalTaskType(raw.type);
  checkRetry(raw.retry, `${path}.retry`, violations);
  checkDuration(raw.timeout, `${path}.timeout`, violations);
  const children: Record<string, TaskDef[]> = {};
  for (const { key, tasks } of childTaskLists(raw)) {
    children[key] = tasks.flatMap((child, i) => taskDef(child, `${path}.${key}[${i}]`, ids, violations) ?? []);
  }
  if (!type) return undefined; // reported by unsupportedFeatures
  switch (type) {
    case 'io.kestra.plugin.core.http.Request':
      required(raw, 'uri', path, violations);
      break;
    case 'io.kestra.plugin.core.log.Log':
      required(raw, 'message', path, violations);
      if (typeof raw.level === 'string' && !isExpression(raw.level) && !['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'].includes(raw.level)) {
        violations.push({ path: `${path}.level`, message: `must be one of TRACE, DEBUG, INFO, WARN, ERROR (got "${raw.level}")` });
      }
      break;
    case 'io.kestra.plugin.core.flow.Subflow':
      required(raw, 'namespace', path, violations);
      required(raw, 'flowId', path, violations);
      if (raw.inputs !== undefined && !isRecord(raw.inputs)) violations.push({ path: `${path}.inputs`, message: 'must be a map' });
      break;
    case 'io.kestra.plugin.core.flow.If':
      required(raw, 'condition', path, violations);
      if (!Array.isArray(raw.then) || raw.then.length === 0) violations.push({ path: `${path}.then`, message: 'must not be empty' });
      break;
    case 'io.kestra.plugin.core.flow.Switch':
      required(raw, 'value', path, violations);
      if (!isRecord(raw.cases) && raw.cases !== undefined) violations.push({ path: `${path}.cases`, message: 'must be a map of task lists' });
      if (raw.cases === undefined && raw.defaults === undefined) violations.push({ path: `${path}.cases`, message: 'No task defined, neither cases or default have any tasks' });
      break;
    case 'io.kestra.plugin.core.flow.Sequential':
      if (!Array.isArray(raw.tasks) || raw.tasks.length === 0) violations.push({ path: `${path}.tasks`, message: 'must not be empty' });
      break;
    case 'io.kestra.plugin.core.output.OutputValues':
      if (raw.values !== undefined && !isRecord(raw.values)) violations.push({ path: `${path}.values`, message: 'must be a map' });
      break;
    case 'io.kestra.plugin.core.execution.Exit':
      if (typeof raw.state === 'string' && !isExpression(raw.state) && !['SUCCESS', 'WARNING', 'KILLED', 'FAILED', 'CANCELED'].includes(raw.state)) {
        violations.push({ path: `${path}.state`, message: `must be one of SUCCESS, WARNING, KILLED, FAILED, CANCELED (got "${raw.state}")` });
      }
      break;
    default:
      break;
  }
  return { id: String(id), type, props: raw, path, children };
}

function inputDef(raw: unknown, path: string, violations: Violation[]): InputDef | undefined {
  if (!isRecord(raw)) {
    violations.push({ path, message: 'an input must be a map' });
    return undefined;
  }
  const id = raw.id;
  if (typeof id !== 'string' || !INPUT_ID_PATTERN.test(id)) {
    violations.push({ path: `${path}.id`, message: typeof id === 'string' ? `must match "${INPUT_ID_PATTERN.source}"` : 'must not be null' });
    return undefined;
  }
  const type = raw.type;
  if (typeof type !== 'string') {
    violations.push({ path: `${path}.type`, message: 'must not be null' });
    return undefined;
  }
  if (!(SUPPORTED_INPUT_TYPES as readonly string[]).includes(type)) return undefined; // reported by unsupportedFeatures
  const def: InputDef = { id, type: type as SupportedInputType, required: raw.required !== false, allowCustomValue: raw.allowCustomValue === true };
  if (raw.defaults !== undefined && raw.defaults !== null) def.defaults = raw.defaults;
  if (raw.validator !== undefined) {
    if (typeof raw.validator !== 'string') violations.push({ path: `${path}.validator`, message: 'must be a string' });
    else {
      try {
        new RegExp(raw.validator);
        def.validator = raw.validator;
      } catch (error) {
        violations.push({ path: `${path}.validator`, message: `invalid regular expression: ${(error as Error).message}` });
      }
    }
  }
  for (const key of ['min', 'max'] as const) {
    if (raw[key] !== undefined) {
      if (typeof raw[key] !== 'number') violations.push({ path: `${path}.${key}`, message: 'must be a number' });
      else def[key] = raw[key] as number;
    }
  }
  if (def.type === 'SELECT') {
    if (!Array.isArray(raw.values) || raw.values.length === 0) violations.push({ path: `${path}.values`, message: 'must not be empty' });
    else def.values = raw.values.map((v) => String(v));
  }
  return def;
}

const parsedCache = new Map<string, ParsedFlow>();

/**
 * Parses one flow document (YAML text) into the engine's model, or lists what is wrong with it.
 * Pure, so results are cached by source (every stack start deploys the same repository flows).
 */
export function parseFlow(source: string, parsedYaml?: { document: unknown }): ParsedFlow {
  const cached = parsedCache.get(source);
  if (cached) return cached;
  // A document the caller already parsed with the same settings (YAML 1.2, unique keys, no merge
  // keys: repository-flows.ts) is not parsed twice — a cold YAML parser costs ~0.3 s per worker.
  // A `%YAML` directive could change those settings: such a source is parsed here.
  const parsed = parsedYaml && !/^%YAML/m.test(source) ? parseFlowDefinition(parsedYaml.document, source) : parseFlowUncached(source);
  if (parsedCache.size > 500) parsedCache.clear();
  parsedCache.set(source, parsed);
  return parsed;
}

function parseFlowUncached(source: string): ParsedFlow {
  let doc: unknown;
  try {
    doc = yamlParser().parse(source, { uniqueKeys: true, merge: false });
  } catch (error) {
    return { ok: false, violations: [{ path: '', message: `Illegal flow source: ${(error as Error).message.split('\n')[0]}` }] };
  }
  return parseFlowDefinition(doc, source);
}

export function parseFlowDefinition(doc: unknown, source: string): ParsedFlow {
  if (!isRecord(doc)) return { ok: false, violations: [{ path: '', message: 'Illegal flow source: a flow must be a YAML map' }] };
  const violations: Violation[] = [];
  const id = doc.id;
  const namespace = doc.namespace;
  if (typeof id !== 'string' || id === '') violations.push({ path: 'id', message: 'must not be null' });
  else if (!FLOW_ID_PATTERN.test(id) || id.length > 100) violations.push({ path: 'id', message: `must match "${FLOW_ID_PATTERN.source}" and be at most 100 characters` });
  if (typeof namespace !== 'string' || namespace === '') violations.push({ path: 'namespace', message: 'must not be null' });
  else if (!NAMESPACE_PATTERN.test(namespace) || namespace.length > 150) violations.push({ path: 'namespace', message: `must match "${NAMESPACE_PATTERN.source}" and be at most 150 characters` });

  const pluginDefaults: PluginDefault<Record<string, unknown>>[] = [];
  if (doc.pluginDefaults !== undefined) {
    if (!Array.isArray(doc.pluginDefaults)) violations.push({ path: 'pluginDefaults', message: 'must be a list' });
    else {
      doc.pluginDefaults.forEach((pd, i) => {
        if (!isRecord(pd) || typeof pd.type !== 'string' || !isRecord(pd.values)) {
          violations.push({ path: `pluginDefaults[${i}]`, message: 'must be {type, values, forced?}' });
        } else pluginDefaults.push({ type: pd.type, values: pd.values, forced: pd.forced === true });
      });
    }
  }
  // PluginDefaultService removes `pluginDefaults` from the flow before applying them, then puts it back.
  const { pluginDefaults: declaredDefaults, ...rest } = doc;
  const withDefaults = (pluginDefaults.length ? { ...(applyPluginDefaults(rest, pluginDefaultsMatcher(pluginDefaults, canonicalType)) as Record<string, unknown>), pluginDefaults: declaredDefaults } : doc) as Record<string, unknown>;

  for (const feature of unsupportedFeatures(withDefaults)) violations.push({ path: feature.path, message: feature.message.slice(feature.path.length + 2) });
  violations.push(...unsupportedPebble(withDefaults));

  const ids = new Map<string, string>();
  const section = (name: 'tasks' | 'errors' | 'finally'): TaskDef[] => {
    const list = withDefaults[name];
    if (list === undefined || list === null) return [];
    if (!Array.isArray(list)) {
      violations.push({ path: name, message: 'must be a list of tasks' });
      return [];
    }
    return list.flatMap((t, i) => taskDef(t, `${name}[${i}]`, ids, violations) ?? []);
  };
  if (!Array.isArray(withDefaults.tasks) || withDefaults.tasks.length === 0) violations.push({ path: 'tasks', message: 'must not be empty' });
  const tasks = section('tasks');
  const errors = section('errors');
  const finallyTasks = section('finally');

  const inputs: InputDef[] = [];
  if (withDefaults.inputs !== undefined && withDefaults.inputs !== null) {
    if (!Array.isArray(withDefaults.inputs)) violations.push({ path: 'inputs', message: 'must be a list' });
    else {
      const seen = new Set<string>();
      withDefaults.inputs.forEach((raw, i) => {
        const def = inputDef(raw, `inputs[${i}]`, violations);
        if (!def) return;
        if (seen.has(def.id)) violations.push({ path: `inputs[${i}].id`, message: `Duplicate input with name [${def.id}]` });
        seen.add(def.id);
        inputs.push(def);
      });
    }
  }

  const outputs: OutputDef[] = [];
  if (withDefaults.outputs !== undefined && withDefaults.outputs !== null) {
    if (!Array.isArray(withDefaults.outputs)) violations.push({ path: 'outputs', message: 'must be a list' });
    else {
      withDefaults.outputs.forEach((raw, i) => {
        if (!isRecord(raw) || typeof raw.id !== 'string') return void violations.push({ path: `outputs[${i}].id`, message: 'must not be null' });
        if (raw.value === undefined) return void violations.push({ path: `outputs[${i}].value`, message: 'must not be null' });
        outputs.push({ id: raw.id, value: raw.value, ...(typeof raw.type === 'string' ? { type: raw.type as SupportedInputType } : {}) });
      });
    }
  }

  const triggers: TriggerDef[] = [];
  if (withDefaults.triggers !== undefined && withDefaults.triggers !== null) {
    if (!Array.isArray(withDefaults.triggers)) violations.push({ path: 'triggers', message: 'must be a list' });
    else {
      withDefaults.triggers.forEach((raw, i) => {
        if (!isRecord(raw) || typeof raw.id !== 'string' || !TASK_ID_PATTERN.test(raw.id)) return void violations.push({ path: `triggers[${i}].id`, message: 'must not be null' });
        if (typeof raw.type !== 'string') return void violations.push({ path: `triggers[${i}].type`, message: 'must not be null' });
        const type = canonicalTriggerType(raw.type);
        if (!type) return;
        if (raw.key === undefined || raw.key === null || raw.key === '') violations.push({ path: `triggers[${i}].key`, message: 'must not be null' });
        if (raw.inputs !== undefined && !isRecord(raw.inputs)) violations.push({ path: `triggers[${i}].inputs`, message: 'must be a map' });
        triggers.push({
          id: raw.id,
          type,
          disabled: raw.disabled === true,
          key: raw.key,
          ...(isRecord(raw.inputs) ? { inputs: raw.inputs } : {}),
        });
      });
    }
  }

  let concurrency: ConcurrencyDef | undefined;
  if (withDefaults.concurrency !== undefined && withDefaults.concurrency !== null) {
    const raw = withDefaults.concurrency;
    if (!isRecord(raw)) violations.push({ path: 'concurrency', message: 'must be a map' });
    else {
      // Concurrency.java: `@NotNull @Min(1) Integer limit`; `behavior` defaults to QUEUE.
      const limit = raw.limit;
      if (typeof limit !== 'number' || !Number.isInteger(limit)) violations.push({ path: 'concurrency.limit', message: 'must not be null' });
      else if (limit < 1) violations.push({ path: 'concurrency.limit', message: 'must be greater than or equal to 1' });
      const behavior = raw.behavior ?? 'QUEUE';
      if (behavior !== 'QUEUE' && behavior !== 'CANCEL' && behavior !== 'FAIL') violations.push({ path: 'concurrency.behavior', message: `must be one of QUEUE, CANCEL, FAIL` });
      else if (typeof limit === 'number' && Number.isInteger(limit) && limit >= 1) concurrency = { limit, behavior };
    }
  }

  const labels = labelsOf(withDefaults.labels, 'labels', violations);
  const variables = withDefaults.variables;
  if (variables !== undefined && variables !== null && !isRecord(variables)) violations.push({ path: 'variables', message: 'must be a map' });

  if (violations.length > 0) {
    return { ok: false, violations, ...(typeof id === 'string' ? { id } : {}), ...(typeof namespace === 'string' ? { namespace } : {}) };
  }
  return {
    ok: true,
    flow: {
      id: id as string,
      namespace: namespace as string,
      source,
      ...(concurrency ? { concurrency } : {}),
      disabled: doc.disabled === true,
      deleted: false,
      ...(typeof doc.description === 'string' ? { description: doc.description } : {}),
      labels,
      inputs,
      outputs,
      variables: isRecord(variables) ? variables : {},
      tasks,
      errors,
      finally: finallyTasks,
      triggers,
      definition: doc,
    },
  };
}

const PEBBLE_SUPPORTED = {
  filter: new Set(exportsSupported.filters),
  function: new Set(exportsSupported.functions),
  test: new Set(exportsSupported.tests),
  tag: new Set(exportsSupported.tags),
};

/**
 * Pebble filters, functions, tests and tags the stand-in's engine does not implement, found in any
 * expression of the flow (flow `variables` and descriptions excepted: they are never rendered as
 * such). A syntax error is NOT reported here: Kestra accepts such a flow and fails when rendering.
 */
export function unsupportedPebble(definition: Record<string, unknown>): Violation[] {
  const found: Violation[] = [];
  const visit = (node: unknown, path: string) => {
    if (typeof node === 'string') {
      if (!node.includes('{{') && !node.includes('{%')) return;
      let info: ReturnType<typeof usage>;
      try {
        info = usage(parseTemplate(node));
      } catch {
        return;
      }
      const groups: [keyof typeof PEBBLE_SUPPORTED, { name: string }[]][] = [['filter', info.filters], ['function', info.functions], ['test', info.tests], ['tag', info.tags]];
      for (const [kind, list] of groups) {
        for (const use of list) {
          if (!PEBBLE_SUPPORTED[kind].has(use.name)) {
            found.push({ path, message: `Pebble ${kind} \`${use.name}\` is not supported by the Kestra stand-in (helpers/kestra-model/pebble); only the real-Kestra tier can run this flow` });
          }
        }
      }
      return;
    }
    if (Array.isArray(node)) node.forEach((n, i) => visit(n, `${path}[${i}]`));
    else if (isRecord(node)) {
      for (const [k, v] of Object.entries(node)) {
        if (k === 'description' || (path === '' && k === 'variables')) continue;
        visit(v, path ? `${path}.${k}` : k);
      }
    }
  };
  visit(definition, '');
  return found;
}
