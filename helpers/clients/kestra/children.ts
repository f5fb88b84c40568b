/**
 * The executions a parent execution created.
 *
 * How Kestra links them (core/.../runners/ExecutableUtils#subflowExecution, 1.x): a Subflow child
 * gets `trigger = { id: <Subflow task id>, type: "io.kestra.plugin.core.flow.Subflow",
 * variables: { executionId: <parent id>, namespace, flowId, flowRevision, taskRunId, taskId, … } }`.
 * `parentId` is NOT set (it is for restarts/replays), and the `system.correlationId` label is
 * inherited by every descendant (it names the ROOT, not the parent) — neither identifies the parent.
 * The search filter `triggerExecutionId` matches `trigger.variables.executionId`.
 *
 * Caveat: a flow started by a Flow trigger (`io.kestra.plugin.core.trigger.Flow`) ALSO carries
 * `trigger.variables.executionId` = the upstream execution. By default only Subflow-created
 * executions are returned (their trigger variables hold `taskRunId`, a Flow trigger's do not).
 *
 * Descendants: breadth-first, level by level, with a depth limit and cycle protection.
 *
 * Descendants in ONE search (`familyOf`): every Subflow child carries its parent's system labels
 * (ExecutableUtils#subflowExecution: `systemLabels(currentExecution)`, or all of the parent's
 * labels with `inheritLabels`; core/src/main/java/io/kestra/core/runners/ExecutableUtils.java,
 * 1.x), and a new execution without a `system.correlationId` gets its own id
 * (Execution#newExecution). So a root's whole Subflow tree, the root included, is what
 * `filters[labels][EQUALS][system.correlationId]=<root id>` returns: the binder turns the nested
 * key into a LABELS filter (webserver/.../converters/QueryFilterFormatBinder.java), EXECUTION
 * search accepts LABELS with EQUALS (core/.../models/QueryFilter.java, Resource.EXECUTION), and the
 * Postgres repository matches it by JSON containment over all labels, system ones too
 * (`value -> 'labels' @> '[{"key":…,"value":…}]'`,
 * jdbc-postgres/.../PostgresExecutionRepositoryService#findLabelCondition, 1.2.x–1.3). The tree is
 * then rebuilt from those rows with the same parent checks as the walk, so the result is the walk's. When the
 * execution is not among the rows (it is not a root: its correlation id names another execution)
 * or the family is too large to read whole, the level-by-level walk answers instead. (A Subflow
 * task that set `system.correlationId` in its own `labels` would start a family of its own; the
 * flows in kestra/flows set no system label.)
 */
import type { Execution } from './schemas.js';
import { parentExecutionIdOf } from './search.js';

export interface FindChildrenOptions {
  /** Also grandchildren and below. Default false. */
  descendants?: boolean;
  /** Levels to descend when `descendants` is set. Default 10. */
  maxDepth?: number;
  /** `'subflow'` (default): only executions created by a Subflow/ForEachItem task; `'any'`: also Flow-trigger runs. */
  via?: 'subflow' | 'any';
}

export function isSubflowChild(execution: Execution): boolean {
  const vars = execution.trigger?.variables ?? {};
  return typeof vars.taskRunId === 'string' || /\.flow\.(Subflow|ForEachItem)|\.tasks\.flows\.(Subflow|Flow)$/.test(execution.trigger?.type ?? '');
}

function sortKey(e: Execution): string {
  return e.scheduleDate ?? e.state.startDate ?? e.state.histories[0]?.date ?? '';
}

export const CORRELATION_ID_LABEL = 'system.correlationId';

/** The most executions read in one family search; a larger family is walked level by level. */
export const FAMILY_LIMIT = 2_000;

/**
 * `rows` (the answer to a search on `system.correlationId` = `rootId`, up to FAMILY_LIMIT + 1),
 * grouped by the execution that triggered each; undefined when they cannot stand for the walk:
 * `rootId` is not among them (not a root) or they may be cut short.
 */
export function familyOf(rootId: string, rows: readonly Execution[]): Map<string, Execution[]> | undefined {
  if (rows.length > FAMILY_LIMIT || !rows.some((e) => e.id === rootId)) return undefined;
  const byParent = new Map<string, Execution[]>();
  for (const row of rows) {
    const parent = parentExecutionIdOf(row);
    if (parent === undefined) continue;
    const siblings = byParent.get(parent);
    if (siblings) siblings.push(row);
    else byParent.set(parent, [row]);
  }
  return byParent;
}

/**
 * `listChildren(id)` must return every execution whose trigger execution id is `id` (all pages).
 * Returns children (then grandchildren…) ordered by depth, then schedule/start date.
 */
export async function collectChildren(
  parentExecutionId: string,
  listChildren: (id: string) => Promise<Execution[]>,
  opts: FindChildrenOptions = {},
): Promise<Execution[]> {
  const maxDepth = opts.descendants ? Math.max(1, opts.maxDepth ?? 10) : 1;
  const seen = new Set<string>([parentExecutionId]);
  const found: Execution[] = [];
  let level = [parentExecutionId];
  for (let depth = 1; depth <= maxDepth && level.length > 0; depth++) {
    const next: Execution[] = [];
    for (const id of level) {
      const rows = await listChildren(id);
      for (const child of rows) {
        if (parentExecutionIdOf(child) !== id || seen.has(child.id)) continue;
        if (opts.via !== 'any' && !isSubflowChild(child)) continue;
        seen.add(child.id);
        next.push(child);
      }
    }
    next.sort((a, b) => sortKey(a).localeCompare(sortKey(b)) || a.id.localeCompare(b.id));
    found.push(...next);
    level = next.map((e) => e.id);
  }
  return found;
}
