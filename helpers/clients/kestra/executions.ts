/**
 * Executions: get, search (with filters[...]→legacy detection, see search.ts), children, logs.
 */
import { z } from 'zod';
import { CORRELATION_ID_LABEL, FAMILY_LIMIT, collectChildren, familyOf, type FindChildrenOptions } from './children.js';
import { requireText, type ApiContext } from './api-context.js';
import { KestraTimeoutError } from './errors.js';
import { delays } from './poll.js';
import { fanOut } from './progress.js';
import { routes } from './routes.js';
import { ExecutionSchema, LOG_LEVELS, LogEntrySchema, pagedResultsSchema, type Execution, type LogEntry, type PagedResults } from './schemas.js';
import { matchesSearch, searchQuery, type ExecutionSearch, type SearchSyntax } from './search.js';
import type { GetLogsOptions, WaitForChildrenOptions } from './types.js';

const PagedExecutionsSchema = pagedResultsSchema(ExecutionSchema);
const PAGE_SIZE = 100;

export class Executions {
  private syntax: SearchSyntax = 'filters';

  constructor(private readonly ctx: ApiContext) {}

  get(id: string): Promise<Execution> {
    requireText(id, 'execution id');
    return this.ctx.api(ExecutionSchema, (prefix) => ({ method: 'GET', path: routes.execution(prefix, id), retryClass: 'idempotent' }));
  }

  /** `POST …/executions/{id}/replay`: never retried on a lost answer (a second replay would run the flow twice). */
  replay(id: string): Promise<Execution> {
    requireText(id, 'execution id');
    return this.ctx.api(ExecutionSchema, (prefix) => ({ method: 'POST', path: routes.executionReplay(prefix, id), retryClass: 'unsafe' }));
  }

  async search(q: ExecutionSearch = {}): Promise<PagedResults<Execution>> {
    return (await this.searchPage(q)).page;
  }

  async searchAll(q: Omit<ExecutionSearch, 'page' | 'size'> = {}, limit = 2_000): Promise<Execution[]> {
    const all: Execution[] = [];
    for (let page = 1; ; page++) {
      const { page: res, rawCount } = await this.searchPage({ ...q, page, size: PAGE_SIZE });
      all.push(...res.results);
      if (rawCount < PAGE_SIZE || page * PAGE_SIZE >= res.total || all.length >= limit) break;
    }
    return all.slice(0, limit);
  }

  /**
   * Subflow descendants come from one search on the root's correlation label (children.ts,
   * familyOf) instead of one search per execution of the tree; children only, Flow-trigger runs
   * (`via: 'any'`, they need not carry it) and non-roots are searched by trigger execution id.
   */
  async findChildren(parentExecutionId: string, opts: FindChildrenOptions = {}): Promise<Execution[]> {
    requireText(parentExecutionId, 'parent execution id');
    if (opts.descendants && opts.via !== 'any') {
      const family = familyOf(parentExecutionId, await this.searchAll({ labels: { [CORRELATION_ID_LABEL]: parentExecutionId } }, FAMILY_LIMIT + 1));
      if (family) return collectChildren(parentExecutionId, async (id) => family.get(id) ?? [], opts);
    }
    return collectChildren(parentExecutionId, (id) => this.searchAll({ triggerExecutionId: id }), opts);
  }

  async waitForChildren(parentExecutionId: string, opts: WaitForChildrenOptions): Promise<Execution[]> {
    const { deadlineMs, initial, max } = delays(opts);
    const { clock } = this.ctx;
    const report = fanOut(this.ctx.emit, opts.onProgress);
    const started = clock.now();
    let delay = initial;
    for (let poll = 1; ; poll++) {
      const children = await this.findChildren(parentExecutionId, opts);
      const elapsedMs = clock.now() - started;
      report({ type: 'children', parentExecutionId, found: children.length, poll, elapsedMs });
      if (children.length >= opts.atLeast) return children;
      const remaining = deadlineMs - elapsedMs;
      if (remaining <= 0) {
        throw new KestraTimeoutError(
          `execution ${parentExecutionId}: expected at least ${opts.atLeast} child execution(s) within ${deadlineMs}ms, found ${children.length}`,
          deadlineMs, elapsedMs, parentExecutionId,
        );
      }
      await clock.sleep(Math.min(delay, remaining));
      delay = Math.min(max, delay * 2);
    }
  }

  /** `GET /api/v1/{tenant}/logs/{executionId}?minLevel=&taskId=` (LogController#listLogsFromExecution). */
  async logs(executionId: string, opts: GetLogsOptions = {}): Promise<LogEntry[]> {
    requireText(executionId, 'execution id');
    const query = new URLSearchParams();
    if (opts.minLevel) query.set('minLevel', opts.minLevel);
    if (opts.taskId) query.set('taskId', opts.taskId);
    const logs = await this.ctx.api(z.array(LogEntrySchema), (prefix) => ({
      method: 'GET', path: routes.executionLogs(prefix, executionId), query, retryClass: 'idempotent',
    }));
    const min = opts.minLevel ? LOG_LEVELS.indexOf(opts.minLevel) : 0;
    return logs.filter((l) => LOG_LEVELS.indexOf(l.level) >= min);
  }

  /** One page; rows violating the query are dropped (and reveal a server that ignores filters[...]). */
  private async searchPage(q: ExecutionSearch): Promise<{ page: PagedResults<Execution>; rawCount: number }> {
    const once = (syntax: SearchSyntax) =>
      this.ctx.api(PagedExecutionsSchema, (prefix) => ({
        method: 'GET', path: routes.executionSearch(prefix), query: searchQuery(q, syntax), retryClass: 'idempotent',
      }));
    const used = this.syntax;
    let page = await once(used);
    if (used === 'filters' && page.results.some((e) => !matchesSearch(e, q))) {
      if (this.syntax === 'filters') {
        this.syntax = 'legacy';
        this.ctx.emit({ type: 'search-syntax', syntax: 'legacy', reason: 'the server returned rows violating filters[...]: it ignores that syntax' });
      }
      page = await once('legacy');
    }
    return { page: { results: page.results.filter((e) => matchesSearch(e, q)), total: page.total }, rawCount: page.results.length };
  }
}
