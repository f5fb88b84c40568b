/**
 * The Notion API routes the stand-in serves (version 2025-09-03), each a function from a parsed
 * request to a response object; expected failures are thrown as NotionError.
 */
import type { NotionDatabaseKey } from '../../spec/notion-model.js';
import { isJsonObject } from '../http/body.js';
import { rejectUnknownBodyKeys } from './body-keys.js';
import { bodyInvalid, notionErrors, NotionError } from './errors.js';
import { compileFilter } from './filters.js';
import { normalizeId } from './ids.js';
import { botUserObject, databaseObject, dataSourceObject, pageObject } from './objects.js';
import { findProperty } from './schema.js';
import { compileSorts } from './sorts.js';
import type { DataSourceRecord, NotionWorkspace, PageRecord } from './workspace.js';

export const NOTION_ROUTES = ['retrieveDatabase', 'retrieveDataSource', 'query', 'createPage', 'retrievePage', 'updatePage', 'me'] as const;
export type NotionRoute = (typeof NOTION_ROUTES)[number];

export interface MatchedRoute {
  route: NotionRoute;
  /** The raw path id (database, data source or page), when the route has one. */
  id?: string;
  readsBody: boolean;
}

const TABLE: { method: string; pattern: RegExp; route: NotionRoute; readsBody: boolean }[] = [
  { method: 'GET', pattern: /^\/v1\/databases\/([^/]+)$/, route: 'retrieveDatabase', readsBody: false },
  { method: 'GET', pattern: /^\/v1\/data_sources\/([^/]+)$/, route: 'retrieveDataSource', readsBody: false },
  { method: 'POST', pattern: /^\/v1\/data_sources\/([^/]+)\/query$/, route: 'query', readsBody: true },
  { method: 'POST', pattern: /^\/v1\/pages$/, route: 'createPage', readsBody: true },
  { method: 'GET', pattern: /^\/v1\/users\/me$/, route: 'me', readsBody: false },
  { method: 'GET', pattern: /^\/v1\/pages\/([^/]+)$/, route: 'retrievePage', readsBody: false },
  { method: 'PATCH', pattern: /^\/v1\/pages\/([^/]+)$/, route: 'updatePage', readsBody: true },
];

/** The route for a method and path; undefined is Notion's `invalid_request_url` (wrong method included). */
export function matchRoute(method: string, pathname: string): MatchedRoute | undefined {
  for (const entry of TABLE) {
    if (entry.method !== method) continue;
    const m = entry.pattern.exec(pathname);
    if (!m) continue;
    let id: string | undefined;
    try {
      id = m[1] === undefined ? undefined : decodeURIComponent(m[1]);
    } catch {
      return undefined;
    }
    return { route: entry.route, id, readsBody: entry.readsBody };
  }
  return undefined;
}

export interface RouteContext {
  workspace: NotionWorkspace;
  botName: string;
  /** `filter_properties` from the query string (names or ids), for the query route. */
  filterProperties: string[];
}

/** Which data source a call concerns, best effort (for faults scoped to one data source). */
export function dataSourceKeyOf(workspace: NotionWorkspace, matched: MatchedRoute, body: unknown): NotionDatabaseKey | undefined {
  const id = matched.id === undefined ? undefined : normalizeId(matched.id);
  switch (matched.route) {
    case 'query':
    case 'retrieveDataSource':
      return id === undefined ? undefined : workspace.keyOfDataSource(id);
    case 'retrieveDatabase':
      return id === undefined ? undefined : workspace.databases.get(id)?.key;
    case 'retrievePage':
    case 'updatePage': {
      const page = id === undefined ? undefined : workspace.pages.get(id);
      return page === undefined ? undefined : workspace.keyOfDataSource(page.dataSourceId);
    }
    case 'createPage': {
      const parent = isJsonObject(body) && isJsonObject(body.parent) ? body.parent : undefined;
      const dsId = typeof parent?.data_source_id === 'string' ? normalizeId(parent.data_source_id) : undefined;
      if (dsId !== undefined) return workspace.keyOfDataSource(dsId);
      const dbId = typeof parent?.database_id === 'string' ? normalizeId(parent.database_id) : undefined;
      return dbId === undefined ? undefined : workspace.databases.get(dbId)?.key;
    }
    default:
      return undefined;
  }
}

export function runRoute(ctx: RouteContext, matched: MatchedRoute, body: unknown): object {
  rejectUnknownBodyKeys(matched.route, body);
  switch (matched.route) {
    case 'me':
      return botUserObject(ctx.botName);
    case 'retrieveDatabase': {
      const id = pathId(matched, 'database_id');
      const database = ctx.workspace.databases.get(id);
      if (!database) throw notionErrors.notFound('database', id);
      return databaseObject(ctx.workspace, database);
    }
    case 'retrieveDataSource':
      return dataSourceObject(dataSourceById(ctx.workspace, pathId(matched, 'data_source_id')));
    case 'query':
      return query(ctx, dataSourceById(ctx.workspace, pathId(matched, 'data_source_id')), body);
    case 'retrievePage':
      return pageObject(ctx.workspace, pageById(ctx.workspace, pathId(matched, 'page_id')));
    case 'createPage':
      return createPage(ctx.workspace, body);
    case 'updatePage':
      return updatePage(ctx.workspace, pageById(ctx.workspace, pathId(matched, 'page_id')), body);
  }
}

function pathId(matched: MatchedRoute, param: string): string {
  const raw = matched.id ?? '';
  const id = normalizeId(raw);
  if (id === undefined) throw notionErrors.pathIdInvalid(param, raw);
  return id;
}

function dataSourceById(workspace: NotionWorkspace, id: string): DataSourceRecord {
  const ds = workspace.dataSources.get(id);
  if (!ds) throw notionErrors.notFound('data_source', id);
  return ds;
}

function pageById(workspace: NotionWorkspace, id: string): PageRecord {
  const page = workspace.pages.get(id);
  if (!page) throw notionErrors.notFound('page', id);
  return page;
}

function requireBodyObject(body: unknown): Record<string, unknown> {
  if (!isJsonObject(body)) throw bodyInvalid('body', 'an object', body);
  return body;
}

const PAGE_SIZE_LIMIT = 100;

function query(ctx: RouteContext, ds: DataSourceRecord, rawBody: unknown): object {
  // An empty body is a valid query ("everything"); the SDK sends `{}`.
  const body = rawBody === undefined ? {} : requireBodyObject(rawBody);
  const filter = body.filter === undefined ? () => true : compileFilter(body.filter, ctx.workspace, ds.schema);
  const compare = compileSorts(body.sorts, ctx.workspace, ds.schema);

  let pageSize = PAGE_SIZE_LIMIT;
  if (body.page_size !== undefined) {
    if (typeof body.page_size !== 'number' || !Number.isInteger(body.page_size)) throw bodyInvalid('body.page_size', 'an integer', body.page_size);
    if (body.page_size > PAGE_SIZE_LIMIT) throw bodyInvalid('body.page_size', `≤ \`${PAGE_SIZE_LIMIT}\``, body.page_size);
    if (body.page_size < 1) throw bodyInvalid('body.page_size', '≥ `1`', body.page_size);
    pageSize = body.page_size;
  }
  const matching = [...ctx.workspace.pages.values()].filter((p) => p.dataSourceId === ds.id && !p.inTrash && filter(p)).sort(compare);

  // The cursor is the id of the first page of the next batch, as Notion's cursors are.
  let from = 0;
  if (body.start_cursor !== undefined && body.start_cursor !== null) {
    const cursor = typeof body.start_cursor === 'string' ? normalizeId(body.start_cursor) : undefined;
    if (cursor === undefined) throw bodyInvalid('body.start_cursor', 'a valid uuid', body.start_cursor);
    from = matching.findIndex((p) => p.id === cursor);
    // Wording not confirmed: Notion answers a stale or foreign cursor with a validation_error.
    if (from < 0) throw new NotionError(400, 'validation_error', `start_cursor provided is invalid: ${String(body.start_cursor)}`);
  }
  const batch = matching.slice(from, from + pageSize);
  const next = matching[from + pageSize];
  const results = batch.map((p) => selectProperties(pageObject(ctx.workspace, p), ds, ctx.filterProperties));
  return { object: 'list', results, next_cursor: next ? next.id : null, has_more: next !== undefined, type: 'page_or_data_source', page_or_data_source: {} };
}

/** `filter_properties` keeps only the named properties in each result (names or ids). */
function selectProperties<P extends { properties: Record<string, unknown> }>(page: P, ds: DataSourceRecord, wanted: string[]): P {
  if (wanted.length === 0) return page;
  const keep = new Set(wanted.map((w) => findProperty(ds.schema, w)?.name).filter((n): n is string => n !== undefined));
  return { ...page, properties: Object.fromEntries(Object.entries(page.properties).filter(([name]) => keep.has(name))) };
}

function createPage(workspace: NotionWorkspace, rawBody: unknown): object {
  const body = requireBodyObject(rawBody);
  const parent = body.parent;
  if (!isJsonObject(parent)) throw bodyInvalid('body.parent', parent === undefined ? 'defined' : 'an object', parent);
  const ds = parentDataSource(workspace, parent);
  if (!isJsonObject(body.properties)) throw bodyInvalid('body.properties', body.properties === undefined ? 'defined' : 'an object', body.properties);
  const values = workspace.parseProperties(ds, body.properties);
  return pageObject(workspace, workspace.createPage(ds, values));
}

function parentDataSource(workspace: NotionWorkspace, parent: Record<string, unknown>): DataSourceRecord {
  const type = parent.type;
  if (parent.data_source_id !== undefined || type === 'data_source_id') {
    if (type !== undefined && type !== 'data_source_id') throw bodyInvalid('body.parent.type', '`"data_source_id"`', type);
    const raw = parent.data_source_id;
    const id = typeof raw === 'string' ? normalizeId(raw) : undefined;
    if (id === undefined) throw bodyInvalid('body.parent.data_source_id', 'a valid uuid', raw);
    return dataSourceById(workspace, id);
  }
  if (parent.database_id !== undefined || type === 'database_id') {
    const raw = parent.database_id;
    const id = typeof raw === 'string' ? normalizeId(raw) : undefined;
    if (id === undefined) throw bodyInvalid('body.parent.database_id', 'a valid uuid', raw);
    const database = workspace.databases.get(id);
    if (!database) throw notionErrors.notFound('database', id);
    // As in Notion 2025-09-03: a database parent is only unambiguous with a single data source.
    if (database.dataSourceIds.length !== 1) {
      throw new NotionError(400, 'validation_error', `Database ${id} has ${database.dataSourceIds.length} data sources; create the page with a parent of type data_source_id instead.`);
    }
    return workspace.dataSources.get(database.dataSourceIds[0]!)!;
  }
  if (parent.page_id !== undefined || parent.workspace !== undefined || parent.block_id !== undefined) {
    throw new NotionError(400, 'validation_error', 'The Notion stand-in only creates pages in a data source: use parent {type: "data_source_id", data_source_id}.');
  }
  throw bodyInvalid('body.parent.data_source_id', 'defined', undefined);
}

function updatePage(workspace: NotionWorkspace, page: PageRecord, rawBody: unknown): object {
  const body = requireBodyObject(rawBody);
  // `archived` is the older name of `in_trash`; Notion still accepts it.
  const trashKey = body.in_trash !== undefined ? 'in_trash' : body.archived !== undefined ? 'archived' : undefined;
  const trash = trashKey === undefined ? undefined : body[trashKey];
  if (trashKey !== undefined && typeof trash !== 'boolean') throw bodyInvalid(`body.${trashKey}`, 'a boolean', trash);
  const ds = workspace.dataSources.get(page.dataSourceId)!;
  let values: ReturnType<NotionWorkspace['parseProperties']> | undefined;
  if (body.properties !== undefined) {
    if (!isJsonObject(body.properties)) throw bodyInvalid('body.properties', 'an object', body.properties);
    if (page.inTrash && trash !== false && Object.keys(body.properties).length > 0) throw notionErrors.archivedPage();
    values = workspace.parseProperties(ds, body.properties);
  }
  let changed = false;
  if (values) {
    for (const [id, value] of values) page.values.set(id, value);
    changed = values.size > 0;
  }
  if (typeof trash === 'boolean' && trash !== page.inTrash) {
    page.inTrash = trash;
    changed = true;
  }
  if (changed) workspace.touch(page);
  return pageObject(workspace, page);
}
