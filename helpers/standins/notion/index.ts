/**
 * Notion stand-in: a real HTTP server on 127.0.0.1 that speaks the Notion API, version 2025-09-03
 * (databases hold data sources), closely enough that `@notionhq/client` and Kestra's HTTP tasks
 * run against it unchanged. Seeded with the spec's four databases (helpers/spec/notion-model.ts)
 * and every template the spec names (fixtures/notion/templates.json).
 *
 *   const notion = await startNotionStandin();
 *   const client = new Client({ auth: notion.token, baseUrl: notion.url, notionVersion: NOTION_VERSION });
 *   await client.dataSources.query({ data_source_id: notion.dataSourceIds.templates, filter: … });
 *   notion.pages('tracker');  // [{ id, Name: '5day #2 …', Status: 'scheduled', … }]
 *   await notion.stop();
 *
 * Routes (all need `Authorization: Bearer <token>` and `Notion-Version: 2025-09-03`):
 *   GET   /v1/users/me                     the integration's bot user (a token check)
 *   GET   /v1/databases/{id}               database object with `data_sources: [{id, name}]`
 *   GET   /v1/data_sources/{id}            data source object with the property schema
 *   POST  /v1/data_sources/{id}/query      filter (title/rich_text/email/select/number/checkbox/date,
 *                                          created_time/last_edited_time, nested and/or), sorts,
 *                                          start_cursor/page_size ≤ 100, filter_properties; trashed pages excluded
 *   POST  /v1/pages                        parent {data_source_id} (or {database_id} when it has one data source)
 *   GET   /v1/pages/{id}
 *   PATCH /v1/pages/{id}                   properties; in_trash (alias: archived)
 *
 * Errors are Notion's `{object: 'error', status, code, message, request_id}` (header
 * x-notion-request-id on every answer): 401 unauthorized, 400 missing_version, 400 invalid_json,
 * 400 invalid_request_url (unknown route or method), 400 validation_error (Notion's wording, e.g.
 * "Email is not a property that exists."), 404 object_not_found, 413 for a body over 500KB,
 * 429 rate_limited with Retry-After (seconds), 500 internal_server_error, 503 service_unavailable.
 *
 * Options (all optional): port (0 = free port), host ('127.0.0.1'), token, rateLimit
 * ({perSecond: 3, burst: 10} per token, or false), clock (timestamps; rate limiting uses real
 * time), ids (override database/data source ids; defaults are stable, see defaultNotionStandinIds),
 * withSecondDataSource (keys whose database gets a second, empty data source), withoutSelectOptions
 * (keys whose selects start with no options, as a fresh data source), templates (seed
 * list, or false for none), maxBodyBytes (500_000), botName.
 *
 * Test-only endpoints (no auth, not rate limited, not logged — see ../http/control-routes.ts):
 *   POST /__standin/faults {route, kind, times?, dataSource?}   GET|DELETE /__standin/faults
 *   GET|DELETE /__standin/requests    POST /__standin/reset
 *   GET /__standin/pages/{contacts|templates|tracker|analytics}  → {pages: NotionRow[]}
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { NOTION_DATABASE_KEYS, NOTION_VERSION, type NotionDatabaseKey } from '../../spec/notion-model.js';
import { bearerToken } from '../http/auth.js';
import { parseJson, readBody } from '../http/body.js';
import { handleControlRequest, isControlPath } from '../http/control-routes.js';
import { FAULT_KINDS, FaultInjector, isFaultKind, type FaultKind, type InjectedFault } from '../http/faults.js';
import type { StandinHandle } from '../http/handle.js';
import { TokenBucketLimiter, type RateLimit } from '../http/rate-limiter.js';
import { RequestLog, safeHeaders, type LoggedRequest } from '../http/request-log.js';
import { sendJson, type Headers } from '../http/respond.js';
import { startHttpServer } from '../http/server.js';
import { notionErrorBody, notionErrors, NotionError } from './errors.js';
import { normalizeId } from './ids.js';
import { dataSourceKeyOf, matchRoute, NOTION_ROUTES, runRoute, type NotionRoute } from './routes.js';
import { loadTemplateSeeds, type TemplateSeed } from './seed.js';
import { defaultNotionStandinIds, NotionWorkspace, type NotionRow, type StandinIds } from './workspace.js';
import type { SimpleValue } from './values.js';

export { defaultNotionStandinIds, type NotionRow, type StandinIds } from './workspace.js';
export { NOTION_ROUTES, type NotionRoute } from './routes.js';
export { loadTemplateSeeds, TEMPLATES_FIXTURE, type TemplateSeed } from './seed.js';
export { splitIntoRichText, plainTextOf, RICH_TEXT_ITEM_LIMIT, type RichTextRequest } from './rich-text.js';
export type { SimpleValue } from './values.js';

export const NOTION_STANDIN_DEFAULT_TOKEN = 'ntn_standin_local_token';
export const NOTION_DEFAULT_RATE_LIMIT: Readonly<RateLimit> = { perSecond: 3, burst: 10 };
/** Notion's documented overall payload limit. */
export const NOTION_MAX_BODY_BYTES = 500_000;

export interface NotionStandinOptions {
  port?: number;
  host?: string;
  /** The integration token the stand-in accepts (default {@link NOTION_STANDIN_DEFAULT_TOKEN}). */
  token?: string;
  /** Per-token token bucket (default 3/s average, bursts of 10), or false for none. */
  rateLimit?: RateLimit | false;
  /** Source of created_time/last_edited_time (default: the real clock). */
  clock?: () => Date;
  ids?: Partial<Record<NotionDatabaseKey, Partial<StandinIds>>>;
  /** Give these databases a second data source, so a `database_id` parent is refused as in Notion. */
  withSecondDataSource?: readonly NotionDatabaseKey[];
  /** Start these data sources with no select options, like a fresh Tracker: Notion adds an option on the first write that names it. */
  withoutSelectOptions?: readonly NotionDatabaseKey[];
  /** Templates to seed (default: fixtures/notion/templates.json); false seeds none. */
  templates?: readonly TemplateSeed[] | false;
  maxBodyBytes?: number;
  botName?: string;
}

/** Which call a fault hits: a route name, '*' for any, or a matcher; optionally one data source only. */
export interface NotionFaultSpec {
  route: NotionRoute | '*' | ((call: NotionCall) => boolean);
  kind: FaultKind;
  /** How many matching calls fail (default 1). */
  times?: number;
  dataSource?: NotionDatabaseKey;
}

export interface NotionCall {
  route: NotionRoute;
  method: string;
  path: string;
  /** The data source the call concerns, when it can be told. */
  dataSource?: NotionDatabaseKey;
  body?: unknown;
}

export interface NotionStandin extends StandinHandle<NotionFaultSpec> {
  readonly token: string;
  readonly dataSourceIds: Readonly<Record<NotionDatabaseKey, string>>;
  readonly databaseIds: Readonly<Record<NotionDatabaseKey, string>>;
  /** The pages of a data source as plain rows (trashed ones only when asked), in creation order. */
  pages(key: NotionDatabaseKey, options?: { includeTrashed?: boolean }): NotionRow[];
  /** One page by id, trashed or not. */
  page(id: string): NotionRow | undefined;
  /** Adds a page directly (test setup), validated like an API write; returns it as a row. */
  insertPage(key: NotionDatabaseKey, values: Record<string, SimpleValue>): NotionRow;
  /** Renames a property (values kept) to simulate a drifted production schema; undone by reset(). */
  renameProperty(key: NotionDatabaseKey, from: string, to: string): void;
}

const LOGGED_HEADERS = ['notion-version', 'content-type', 'user-agent'];

export async function startNotionStandin(options: NotionStandinOptions = {}): Promise<NotionStandin> {
  const token = options.token ?? NOTION_STANDIN_DEFAULT_TOKEN;
  const clock = options.clock ?? (() => new Date());
  const maxBodyBytes = options.maxBodyBytes ?? NOTION_MAX_BODY_BYTES;
  const botName = options.botName ?? 'Campaign harness (stand-in)';
  const ids = defaultNotionStandinIds();
  for (const key of NOTION_DATABASE_KEYS) ids[key] = { ...ids[key], ...options.ids?.[key] };
  const templates = options.templates === false ? [] : (options.templates ?? loadTemplateSeeds());

  const workspace = new NotionWorkspace({ ids, withSecondDataSource: options.withSecondDataSource ?? [], withoutSelectOptions: options.withoutSelectOptions ?? [], clock });
  const seed = () => {
    workspace.clear();
    for (const template of templates) workspace.insertSimple('templates', { ...template });
  };
  seed();

  const limiter = options.rateLimit === false ? undefined : new TokenBucketLimiter(options.rateLimit ?? NOTION_DEFAULT_RATE_LIMIT);
  const faults = new FaultInjector<NotionCall>();
  const log = new RequestLog();
  const entries = new WeakMap<ServerResponse, { entry: LoggedRequest; requestId: string }>();

  const reply = (res: ServerResponse, status: number, body: object, headers: Headers = {}) => {
    const tracked = entries.get(res);
    const requestId = tracked?.requestId ?? randomUUID();
    if (tracked) tracked.entry.status = status;
    sendJson(res, status, { ...body, request_id: requestId }, { 'x-notion-request-id': requestId, ...headers });
  };
  const replyError = (res: ServerResponse, error: NotionError, headers: Headers = {}) => {
    const tracked = entries.get(res);
    if (tracked) tracked.entry.error = error.code;
    const requestId = tracked?.requestId ?? randomUUID();
    reply(res, error.status, notionErrorBody(error, requestId), headers);
  };

  const injectFault = (spec: NotionFaultSpec): InjectedFault => {
    const { route, dataSource } = spec;
    if (typeof route === 'string' && route !== '*' && !(NOTION_ROUTES as readonly string[]).includes(route)) {
      throw new Error(`Notion stand-in fault: route must be one of ${NOTION_ROUTES.join(', ')}, '*' or a function (got "${route}")`);
    }
    if (dataSource !== undefined && !(NOTION_DATABASE_KEYS as readonly string[]).includes(dataSource)) {
      throw new Error(`Notion stand-in fault: dataSource must be one of ${NOTION_DATABASE_KEYS.join(', ')} (got "${String(dataSource)}")`);
    }
    const routeMatches = typeof route === 'function' ? route : (call: NotionCall) => route === '*' || call.route === route;
    const description = `${spec.kind} on ${typeof route === 'function' ? 'matching calls' : route}${dataSource ? ` (${dataSource})` : ''}`;
    return faults.add({ kind: spec.kind, times: spec.times, description, matches: (call) => routeMatches(call) && (dataSource === undefined || call.dataSource === dataSource) });
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const method = req.method ?? 'GET';
    const entry = log.start(method, url.pathname + url.search, safeHeaders(req.headers, LOGGED_HEADERS));
    const requestId = randomUUID();
    entry.requestId = requestId;
    entries.set(res, { entry, requestId });
    try {
      const presented = bearerToken(req.headers);
      entry.auth = presented === undefined ? 'missing' : presented === token ? 'valid' : 'invalid';
      if (entry.auth !== 'valid') throw notionErrors.unauthorized();

      const version = req.headers['notion-version'];
      if (version === undefined || version === '') throw notionErrors.missingVersion();
      if (version !== NOTION_VERSION) throw notionErrors.unsupportedVersion(String(version), NOTION_VERSION);

      if (limiter) {
        const decision = limiter.take(token);
        if (!decision.allowed) return void replyError(res, notionErrors.rateLimited(), { 'retry-after': decision.retryAfterSeconds });
      }

      const matched = matchRoute(method, url.pathname);
      if (!matched) throw notionErrors.invalidUrl();
      entry.route = matched.route;

      let body: unknown;
      if (matched.readsBody) {
        const read = await readBody(req, maxBodyBytes);
        if (read.kind === 'aborted') return;
        if (read.kind === 'too_large') throw notionErrors.bodyTooLarge(maxBodyBytes);
        if (read.text.trim() !== '') {
          const parsed = parseJson(read.text);
          if (!parsed.ok) throw notionErrors.invalidJson();
          body = parsed.value;
          entry.body = body;
        }
      }

      const call: NotionCall = { route: matched.route, method, path: url.pathname, dataSource: dataSourceKeyOf(workspace, matched, body), body };
      const fault = faults.take(call);
      if (fault !== undefined) {
        entry.fault = fault;
        if (fault === 429) return void replyError(res, notionErrors.rateLimited(), { 'retry-after': 1 });
        if (fault === 500) throw notionErrors.internal();
        if (fault === 503) throw notionErrors.unavailable();
        if (fault === 'hang') return void faults.hold(res);
        if (fault === 'reset') return void res.socket?.destroy();
        if (fault === 'throw') throw new Error(`injected fault: the ${matched.route} handler throws`);
      }

      const filterProperties = [...url.searchParams.getAll('filter_properties'), ...url.searchParams.getAll('filter_properties[]')];
      const result = runRoute({ workspace, botName, filterProperties }, matched, body);
      if (fault === 'lose-response') return void res.socket?.destroy();
      reply(res, 200, result);
    } catch (error) {
      if (error instanceof NotionError) return void replyError(res, error);
      throw error; // the crash guard answers 500 and records it
    }
  };

  const reset = () => {
    seed();
    faults.clear();
    log.clear();
    limiter?.reset();
  };

  const control = {
    injectFaultFromJson: (spec: Record<string, unknown>) => {
      if (typeof spec.route !== 'string') throw new Error(`Notion stand-in fault: "route" must be a string: one of ${NOTION_ROUTES.join(', ')} or '*'`);
      if (!isFaultKind(spec.kind)) throw new Error(`Notion stand-in fault: "kind" must be one of ${FAULT_KINDS.map((k) => JSON.stringify(k)).join(', ')} (got ${JSON.stringify(spec.kind)})`);
      if (spec.times !== undefined && typeof spec.times !== 'number') throw new Error('Notion stand-in fault: "times" must be a number');
      if (spec.dataSource !== undefined && typeof spec.dataSource !== 'string') throw new Error('Notion stand-in fault: "dataSource" must be a string');
      return injectFault({ route: spec.route as NotionRoute | '*', kind: spec.kind, times: spec.times as number | undefined, dataSource: spec.dataSource as NotionDatabaseKey | undefined });
    },
    pendingFaults: () => faults.pending(),
    clearFaults: () => faults.clear(),
    requests: () => log.all(),
    clearRequests: () => log.clear(),
    reset,
    extra: {
      pages: ([key]: string[]) => {
        if (!(NOTION_DATABASE_KEYS as readonly (string | undefined)[]).includes(key)) throw new Error(`no data source "${String(key)}" (keys: ${NOTION_DATABASE_KEYS.join(', ')})`);
        return { pages: workspace.rows(key as NotionDatabaseKey, { includeTrashed: true }) };
      },
    },
  };

  const server = await startHttpServer({
    name: 'Notion stand-in',
    port: options.port,
    host: options.host,
    handle: async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://standin.invalid');
      if (isControlPath(url.pathname)) return handleControlRequest(req, res, url.pathname, control);
      return handleApi(req, res, url);
    },
    onCrash: (res) => replyError(res, notionErrors.internal()),
  });

  const byKey = <T>(pick: (ids: StandinIds) => T) => Object.fromEntries(NOTION_DATABASE_KEYS.map((k) => [k, pick(ids[k])])) as Record<NotionDatabaseKey, T>;

  return {
    url: server.url,
    token,
    dataSourceIds: byKey((i) => i.dataSource),
    databaseIds: byKey((i) => i.database),
    stop: () => {
      faults.releaseHeld();
      return server.stop();
    },
    reset,
    injectFault,
    clearFaults: () => faults.clear(),
    requests: () => log.all(),
    crashes: () => server.crashes(),
    pages: (key, opts) => workspace.rows(key, opts),
    page: (id) => {
      const normalized = normalizeId(id);
      const page = normalized === undefined ? undefined : workspace.pages.get(normalized);
      return page ? workspace.rowOf(page) : undefined;
    },
    insertPage: (key, values) => workspace.rowOf(workspace.insertSimple(key, values)),
    renameProperty: (key, from, to) => workspace.renameProperty(key, from, to),
  };
}
