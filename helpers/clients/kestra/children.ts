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
