/**
 * Facts about Kestra itself (not about this project), checked against kestra-io/kestra:
 * - id patterns: `AbstractFlow.java` (flow id `^[a-zA-Z0-9][a-zA-Z0-9._-]*`, max 100; namespace
 *   `^[a-z0-9][a-z0-9._-]*`, max 150), `TaskInterface`/`TriggerInterface` (task and trigger ids
 *   `^[a-zA-Z0-9][a-zA-Z0-9_-]*`), `Input.java` (input ids `^[a-zA-Z0-9][.a-zA-Z0-9_-]*`);
 * - input types: the `@JsonSubTypes` of `Input.java` (BOOL since 0.23, BOOLEAN/ENUM deprecated);
 * - core plugin classes under `io.kestra.plugin.core.*` and their `@Plugin(aliases = …)`;
 * - `TruthUtils.isTruthy`: only "false", "0", "-0" and "" are false;
 * - trigger variables: the `Output` classes of the core triggers, and the `trigger` variables a
 *   Subflow gives its child execution (`ExecutableUtils`).
 */

export const FLOW_ID_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;
export const FLOW_ID_MAX = 100;
export const NAMESPACE_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;
export const NAMESPACE_MAX = 150;
export const TASK_ID_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/;
export const INPUT_ID_PATTERN = /^[a-zA-Z0-9][.a-zA-Z0-9_-]*$/;

export const INPUT_TYPES = [
  'STRING', 'ENUM', 'SELECT', 'INT', 'FLOAT', 'BOOLEAN', 'BOOL', 'DATETIME', 'DATE', 'TIME', 'DURATION',
  'FILE', 'JSON', 'URI', 'SECRET', 'ARRAY', 'MULTISELECT', 'YAML', 'EMAIL',
] as const;

/** Kestra's If/Expression truthiness (`TruthUtils`): these rendered strings are false, all others true. */
export const FALSE_RENDERINGS = ['false', '0', '-0', ''] as const;

const P = 'io.kestra.plugin.core';

/** Core task classes (the canonical names Kestra ≥ 0.17 documents). */
export const CORE_TASKS: readonly string[] = [
  `${P}.debug.Echo`, `${P}.debug.Return`,
  `${P}.execution.Assert`, `${P}.execution.Count`, `${P}.execution.Exit`, `${P}.execution.Fail`, `${P}.execution.Kill`,
  `${P}.execution.Labels`, `${P}.execution.PurgeExecutions`, `${P}.execution.Resume`, `${P}.execution.SetVariables`,
  `${P}.execution.UnsetVariables`,
  `${P}.flow.AllowFailure`, `${P}.flow.Dag`, `${P}.flow.EachParallel`, `${P}.flow.EachSequential`, `${P}.flow.ForEach`,
  `${P}.flow.ForEachItem`, `${P}.flow.If`, `${P}.flow.Loop`, `${P}.flow.LoopUntil`, `${P}.flow.Parallel`, `${P}.flow.Pause`,
  `${P}.flow.PurgeFlows`, `${P}.flow.Sequential`, `${P}.flow.Sleep`, `${P}.flow.Subflow`, `${P}.flow.Switch`, `${P}.flow.Template`,
  `${P}.flow.WaitFor`, `${P}.flow.WorkingDirectory`,
  `${P}.http.Download`, `${P}.http.Request`, `${P}.http.SseRequest`,
  `${P}.kv.Delete`, `${P}.kv.Get`, `${P}.kv.GetKeys`, `${P}.kv.PurgeKV`, `${P}.kv.Put`, `${P}.kv.Set`,
  `${P}.log.Fetch`, `${P}.log.Log`, `${P}.log.PurgeLogs`,
  `${P}.metric.Publish`, `${P}.metric.PurgeMetrics`,
  `${P}.namespace.DeleteFiles`, `${P}.namespace.DownloadFiles`, `${P}.namespace.UploadFiles`,
  `${P}.output.OutputValues`,
  `${P}.state.Delete`, `${P}.state.Get`, `${P}.state.Set`,
  `${P}.storage.Concat`, `${P}.storage.DeduplicateItems`, `${P}.storage.Delete`, `${P}.storage.FilterItems`,
  `${P}.storage.LocalFiles`, `${P}.storage.PurgeCurrentExecutionFiles`, `${P}.storage.Reverse`, `${P}.storage.Size`,
  `${P}.storage.PurgeStorage`, `${P}.storage.Split`, `${P}.storage.Write`,
  `${P}.templating.TemplatedTask`,
  `${P}.trigger.Toggle`,
];

/** Core trigger classes. */
export const CORE_TRIGGERS: readonly string[] = [
  `${P}.trigger.Flow`, `${P}.trigger.Schedule`, `${P}.trigger.ScheduleOnDates`, `${P}.trigger.Webhook`,
  `${P}.http.Trigger`,
];

/** Legacy names Kestra still accepts (`@Plugin(aliases = …)`), mapped to the canonical class. */
export const CORE_ALIASES: Readonly<Record<string, string>> = {
  'io.kestra.core.tasks.debugs.Echo': `${P}.debug.Echo`,
  'io.kestra.core.tasks.debugs.Return': `${P}.debug.Return`,
  'io.kestra.core.tasks.executions.Counts': `${P}.execution.Count`,
  'io.kestra.core.tasks.executions.Fail': `${P}.execution.Fail`,
  'io.kestra.core.tasks.executions.Labels': `${P}.execution.Labels`,
  'io.kestra.core.tasks.storages.Purge': `${P}.execution.PurgeExecutions`,
  [`${P}.storage.Purge`]: `${P}.execution.PurgeExecutions`,
  'io.kestra.core.tasks.flows.AllowFailure': `${P}.flow.AllowFailure`,
  'io.kestra.core.tasks.flows.Dag': `${P}.flow.Dag`,
  'io.kestra.core.tasks.flows.EachParallel': `${P}.flow.EachParallel`,
  'io.kestra.core.tasks.flows.EachSequential': `${P}.flow.EachSequential`,
  'io.kestra.core.tasks.flows.ForEachItem': `${P}.flow.ForEachItem`,
  'io.kestra.core.tasks.flows.If': `${P}.flow.If`,
  'io.kestra.core.tasks.flows.Parallel': `${P}.flow.Parallel`,
  'io.kestra.core.tasks.flows.Pause': `${P}.flow.Pause`,
  'io.kestra.core.tasks.flows.Sequential': `${P}.flow.Sequential`,
  'io.kestra.core.tasks.flows.Subflow': `${P}.flow.Subflow`,
  'io.kestra.core.tasks.flows.Flow': `${P}.flow.Subflow`,
  'io.kestra.core.tasks.flows.Switch': `${P}.flow.Switch`,
  'io.kestra.core.tasks.flows.Template': `${P}.flow.Template`,
  'io.kestra.core.tasks.flows.WorkingDirectory': `${P}.flow.WorkingDirectory`,
  'io.kestra.core.tasks.flows.Worker': `${P}.flow.WorkingDirectory`,
  'io.kestra.plugin.fs.http.Download': `${P}.http.Download`,
  'io.kestra.plugin.fs.http.Request': `${P}.http.Request`,
  'io.kestra.plugin.fs.http.Trigger': `${P}.http.Trigger`,
  'io.kestra.core.tasks.log.Fetch': `${P}.log.Fetch`,
  'io.kestra.core.tasks.log.Log': `${P}.log.Log`,
  'io.kestra.core.tasks.states.Delete': `${P}.state.Delete`,
  'io.kestra.core.tasks.states.Get': `${P}.state.Get`,
  'io.kestra.core.tasks.states.Set': `${P}.state.Set`,
  'io.kestra.core.tasks.storages.Concat': `${P}.storage.Concat`,
  'io.kestra.core.tasks.storages.DeduplicateItems': `${P}.storage.DeduplicateItems`,
  'io.kestra.core.tasks.storages.Delete': `${P}.storage.Delete`,
  'io.kestra.core.tasks.storages.FilterItems': `${P}.storage.FilterItems`,
  'io.kestra.core.tasks.storages.LocalFiles': `${P}.storage.LocalFiles`,
  'io.kestra.core.tasks.storages.PurgeExecution': `${P}.storage.PurgeCurrentExecutionFiles`,
  [`${P}.storage.PurgeExecution`]: `${P}.storage.PurgeCurrentExecutionFiles`,
  'io.kestra.core.tasks.storages.Reverse': `${P}.storage.Reverse`,
  'io.kestra.core.tasks.storages.Size': `${P}.storage.Size`,
  'io.kestra.core.tasks.storages.Split': `${P}.storage.Split`,
  'io.kestra.core.tasks.templating.TemplatedTask': `${P}.templating.TemplatedTask`,
  'io.kestra.core.tasks.trigger.Toggle': `${P}.trigger.Toggle`,
  'io.kestra.core.models.triggers.types.Flow': `${P}.trigger.Flow`,
  'io.kestra.core.models.triggers.types.Schedule': `${P}.trigger.Schedule`,
  'io.kestra.core.models.triggers.types.Webhook': `${P}.trigger.Webhook`,
};

const TASK_SET = new Set(CORE_TASKS);
const TRIGGER_SET = new Set(CORE_TRIGGERS);

/** The canonical class of a core type or alias; the type itself otherwise. */
export function canonicalType(type: string): string {
  return CORE_ALIASES[type] ?? type;
}

export type CoreKind = 'task' | 'trigger';

export function coreKind(type: string): CoreKind | undefined {
  const c = canonicalType(type);
  if (TASK_SET.has(c)) return 'task';
  if (TRIGGER_SET.has(c)) return 'trigger';
  return undefined;
}

/** Types in Kestra's own packages: a name there that Kestra does not know is a typo. */
export function isCoreNamespace(type: string): boolean {
  return /^io\.kestra\.(plugin\.core|core)\./i.test(type) || /^io\.kestra\.plugin\.fs\.http\./i.test(type);
}

export const SUBFLOW = `${P}.flow.Subflow`;
export const FOR_EACH_ITEM = `${P}.flow.ForEachItem`;
export const SWITCH = `${P}.flow.Switch`;
export const IF = `${P}.flow.If`;
export const HTTP_REQUEST = `${P}.http.Request`;
export const WEBHOOK = `${P}.trigger.Webhook`;
export const FLOW_TRIGGER = `${P}.trigger.Flow`;
export const WAIT_FOR = `${P}.flow.WaitFor`;
export const DAG = `${P}.flow.Dag`;
export const WORKING_DIRECTORY = `${P}.flow.WorkingDirectory`;
export const SLEEP_LIKE: readonly string[] = [`${P}.flow.Sleep`, `${P}.flow.Pause`, `${P}.flow.WaitFor`];

/**
 * Core tasks that are not `RunnableTask`s (they never run on a worker): the FlowableTasks, the
 * ExecutableTask Subflow and the ExecutionUpdatableTasks Exit and Labels (their class declarations).
 */
export const CORE_NOT_RUNNABLE: readonly string[] = [
  `${P}.flow.AllowFailure`, `${P}.flow.Dag`, `${P}.flow.EachParallel`, `${P}.flow.EachSequential`, `${P}.flow.ForEach`,
  `${P}.flow.ForEachItem`, `${P}.flow.If`, `${P}.flow.LoopUntil`, `${P}.flow.Parallel`, `${P}.flow.Sequential`,
  `${P}.flow.Subflow`, `${P}.flow.Switch`, `${P}.flow.Template`, `${P}.flow.WaitFor`, `${P}.flow.WorkingDirectory`,
  `${P}.execution.Exit`, `${P}.execution.Labels`,
];

/** Flowable tasks whose child tasks run concurrently with each other (Dag is left out: its dependsOn orders them). */
export const CONCURRENT_FLOWABLES: readonly string[] = [`${P}.flow.Parallel`, `${P}.flow.EachParallel`];
/** Flowable tasks whose branches are exclusive (one runs per execution). */
export const EXCLUSIVE_FLOWABLES: readonly string[] = [IF, SWITCH];

/**
 * The `trigger.*` variables each core trigger provides (`null`: not known, anything goes).
 * A flow started by a Subflow gets SUBFLOW_TRIGGER_VARIABLES whatever its own triggers are.
 */
export const TRIGGER_VARIABLES: Readonly<Record<string, readonly string[] | null>> = {
  [`${P}.trigger.Webhook`]: ['body', 'headers', 'parameters'],
  [`${P}.trigger.Schedule`]: ['date', 'next', 'previous'],
  [`${P}.trigger.ScheduleOnDates`]: ['date', 'next', 'previous'],
  [`${P}.trigger.Flow`]: ['executionId', 'state', 'namespace', 'flowId', 'flowRevision', 'outputs', 'executionLabels'],
  [`${P}.http.Trigger`]: null,
};
export const SUBFLOW_TRIGGER_VARIABLES: readonly string[] = ['executionId', 'namespace', 'flowId', 'flowRevision'];

/** Edit distance counting a swap of two neighbours as one edit (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest candidate, if it is close enough to be a likely typo. */
export function closest(word: string, candidates: Iterable<string>, maxRatio = 0.34): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestScore) {
      bestScore = d;
      best = c;
    }
  }
  if (best === undefined) return undefined;
  return bestScore <= Math.max(1, Math.floor(Math.max(word.length, best.length) * maxRatio)) ? best : undefined;
}

/** Suggests a core type for an unknown one: full-name typos first, then the same simple name. */
export function suggestCoreType(type: string, kind: CoreKind | undefined): string | undefined {
  const pool = kind === 'trigger' ? CORE_TRIGGERS : kind === 'task' ? CORE_TASKS : [...CORE_TASKS, ...CORE_TRIGGERS];
  const full = closest(type, pool, 0.15);
  if (full) return full;
  const simple = type.slice(type.lastIndexOf('.') + 1);
  const bySimple = pool.filter((c) => c.slice(c.lastIndexOf('.') + 1).toLowerCase() === simple.toLowerCase());
  if (bySimple.length === 1) return bySimple[0];
  const simpleNames = new Map(pool.map((c) => [c.slice(c.lastIndexOf('.') + 1), c]));
  const near = closest(simple, simpleNames.keys(), 0.25);
  return near ? simpleNames.get(near) : undefined;
}
