/**
 * The two read-only flow queries of FlowController (webserver/.../controllers/api/FlowController.java)
 * the harness's admin calls make, over the stand-in's flow store:
 *   GET /flows/distinct-namespaces?q=   the namespaces that have a flow; `q` keeps those that START
 *                                       with it (FlowRepositoryInterface#findDistinctNamespace(tenant, prefix))
 *   GET /flows/search?q=&namespace=&page=&size=&sort=   PagedResults {results, total}; `namespace`
 *       matches itself and its children (namespace = ns OR namespace LIKE 'ns.%',
 *       AbstractJdbcFlowRepository#find); `q` a case-insensitive match on id or namespace (Kestra's
 *       full-text search covers more fields); page from 1, size default 10; sort `field:asc|desc`
 *       on id or namespace, default namespace then id.
 */
import type { FlowDef } from './flow.js';
import type { FlowStore } from './flow-store.js';

export function distinctNamespaces(store: FlowStore, prefix: string | null): string[] {
  const all = [...new Set(store.list().map((f) => f.namespace))].sort();
  return prefix === null || prefix === '' ? all : all.filter((n) => n.startsWith(prefix));
}

export class FlowQueryError extends Error {}

export function searchFlows(store: FlowStore, params: URLSearchParams): { results: FlowDef[]; total: number } {
  const page = positiveInt(params.get('page'), 1, 'page');
  const size = positiveInt(params.get('size'), 10, 'size');
  const q = params.get('q')?.toLowerCase() ?? '';
  const namespace = params.get('namespace');
  const matching = store
    .list()
    .filter((f) => namespace === null || f.namespace === namespace || f.namespace.toLowerCase().startsWith(`${namespace.toLowerCase()}.`))
    .filter((f) => q === '' || f.id.toLowerCase().includes(q) || f.namespace.toLowerCase().includes(q));
  const sorts = params.getAll('sort').flatMap((s) => s.split(',')).filter(Boolean);
  for (const sort of [...sorts].reverse()) {
    const [field, dir = 'asc'] = sort.split(':') as [string, string?];
    if (field !== 'id' && field !== 'namespace') throw new FlowQueryError(`sort field "${field}" (the stand-in sorts by id or namespace)`);
    const sign = dir.toLowerCase() === 'desc' ? -1 : 1;
    matching.sort((a, b) => sign * a[field].localeCompare(b[field]));
  }
  return { results: matching.slice((page - 1) * size, page * size), total: matching.length };
}

function positiveInt(raw: string | null, fallback: number, name: string): number {
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new FlowQueryError(`${name}: must be greater than or equal to 1`);
  return n;
}
