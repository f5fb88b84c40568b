/**
 * `GET /api/v1/{tenant}/executions/search` query parameters.
 *
 * Kestra 1.x (ExecutionController#searchExecutions + QueryFilterFormatBinder + QueryFilter):
 *   filters[namespace][EQUALS]=christmas.handlers
 *   filters[flowId][EQUALS]=signup-handler
 *   filters[state][IN]=CREATED,RUNNING            (EQUALS for one state)
 *   filters[labels][EQUALS][key]=value            (one parameter per label)
 *   filters[triggerExecutionId][EQUALS]=<parent>  (matches trigger.variables.executionId)
 *   filters[childFilter][EQUALS]=CHILD|MAIN
 *   filters[startDate][GREATER_THAN_OR_EQUAL_TO]=<ISO>
 *   page (1-based), size, sort (e.g. `state.startDate:desc`)
 * The old parameters (namespace — a PREFIX match —, flowId, state, labels=k:v, triggerExecutionId,
 * childFilter, startDate) are deprecated in 1.x and IGNORED as soon as one `filters[...]` is present,
 * so the two syntaxes are never mixed.
 *
 * Results are always checked client-side against the query. If a server returns rows that violate
 * a `filters[...]` query, it does not understand that syntax (it then ignores it and lists
 * everything): the client switches to the legacy syntax once and remembers. In legacy mode rows
 * are post-filtered (legacy `namespace` is a prefix match).
 */
import type { Execution } from './schemas.js';

export interface ExecutionSearch {
  namespace?: string;
  flowId?: string;
  state?: string | readonly string[];
  labels?: Readonly<Record<string, string>>;
  /** The execution that triggered the ones searched (Subflow parent, or upstream of a Flow trigger). */
  triggerExecutionId?: string;
  /** Alias of triggerExecutionId. */
  parent?: string;
  childFilter?: 'CHILD' | 'MAIN';
  startDateFrom?: Date | string;
  /** 1-based. Default 1. */
  page?: number;
  /** Default 25, at most 1000. */
  size?: number;
  sort?: string | readonly string[];
}

export type SearchSyntax = 'filters' | 'legacy';

function states(q: ExecutionSearch): string[] {
  return q.state === undefined ? [] : typeof q.state === 'string' ? [q.state] : [...q.state];
}

export function triggerId(q: ExecutionSearch): string | undefined {
  return q.triggerExecutionId ?? q.parent;
}

export function searchQuery(q: ExecutionSearch, syntax: SearchSyntax): URLSearchParams {
  const p = new URLSearchParams();
  p.set('page', String(Math.max(1, Math.floor(q.page ?? 1))));
  p.set('size', String(Math.min(1000, Math.max(1, Math.floor(q.size ?? 25)))));
  for (const s of q.sort === undefined ? [] : typeof q.sort === 'string' ? [q.sort] : q.sort) p.append('sort', s);
  const start = q.startDateFrom === undefined ? undefined : new Date(q.startDateFrom).toISOString();
  const parent = triggerId(q);
  const wanted = states(q);

  if (syntax === 'filters') {
    if (q.namespace !== undefined) p.set('filters[namespace][EQUALS]', q.namespace);
    if (q.flowId !== undefined) p.set('filters[flowId][EQUALS]', q.flowId);
    if (wanted.length === 1) p.set('filters[state][EQUALS]', wanted[0] as string);
    if (wanted.length > 1) p.set('filters[state][IN]', wanted.join(','));
    for (const [k, v] of Object.entries(q.labels ?? {})) p.set(`filters[labels][EQUALS][${k}]`, v);
    if (parent !== undefined) p.set('filters[triggerExecutionId][EQUALS]', parent);
    if (q.childFilter !== undefined) p.set('filters[childFilter][EQUALS]', q.childFilter);
    if (start !== undefined) p.set('filters[startDate][GREATER_THAN_OR_EQUAL_TO]', start);
  } else {
    if (q.namespace !== undefined) p.set('namespace', q.namespace);
    if (q.flowId !== undefined) p.set('flowId', q.flowId);
    for (const s of wanted) p.append('state', s);
    for (const [k, v] of Object.entries(q.labels ?? {})) p.append('labels', `${k}:${v}`);
    if (parent !== undefined) p.set('triggerExecutionId', parent);
    if (q.childFilter !== undefined) p.set('childFilter', q.childFilter);
    if (start !== undefined) p.set('startDate', start);
  }
  return p;
}

/** The id of the execution that triggered `execution` (`trigger.variables.executionId`). */
export function parentExecutionIdOf(execution: Pick<Execution, 'trigger'>): string | undefined {
  const id = execution.trigger?.variables?.executionId;
  return typeof id === 'string' ? id : undefined;
}

/** Does `execution` satisfy the well-defined parts of the query? (Checked on every result.) */
export function matchesSearch(execution: Execution, q: ExecutionSearch): boolean {
  if (q.namespace !== undefined && execution.namespace !== q.namespace) return false;
  if (q.flowId !== undefined && execution.flowId !== q.flowId) return false;
  const wanted = states(q);
  if (wanted.length > 0 && !wanted.includes(execution.state.current)) return false;
  for (const [k, v] of Object.entries(q.labels ?? {})) {
    if (!execution.labels.some((l) => l.key === k && l.value === v)) return false;
  }
  const parent = triggerId(q);
  if (parent !== undefined && parentExecutionIdOf(execution) !== parent) return false;
  // childFilter and startDateFrom are left to the server: their exact server-side semantics
  // (column-based) are not worth second-guessing here.
  return true;
}
