/**
 * The Kestra REST API the harness uses, with Kestra 1.x's paths, shapes and status codes
 * (webserver/.../controllers/api/{ExecutionController,FlowController,LogController,MiscController}.java,
 * webserver/.../controllers/ErrorController.java for error bodies — Micronaut JsonError:
 * `{message, _links: {self: {href, templated}}, _embedded?: {errors: [{message, path?}]}}`).
 *
 *   GET|POST|PUT /api/v1/{tenant}/executions/webhook/{namespace}/{flowId}/{key}   open (no auth)
 *        200 WebhookResponse · 404 "Flow not found" / "Webhook not found" (also: extra path, trailing /)
 *        409 disabled flow · when the trigger's `inputs:` cannot be rendered/validated: 409 on the
 *        pinned 1.1–1.3 releases, 422 EMPTY body from 1.4 (Kestra PR #16871; the compose pin
 *        decides, kestra-model/pinned-version.ts) · 405 other methods
 *   GET  /api/v1/{tenant}/executions/{id}                        404 when unknown
 *   DELETE /api/v1/{tenant}/executions/{id}/kill?isOnKillCascade=   202 (an ended execution too, cascade
 *        defaulting to true) · 409 ended and isOnKillCascade=false · 404 unknown (kill.ts)
 *   GET  /api/v1/{tenant}/executions/search                      filters[...] syntax (+ legacy flat params)
 *   GET  /api/v1/{tenant}/logs/{executionId}?minLevel=
 *   POST /api/v1/{tenant}/flows                                  YAML; duplicate → 422
 *   GET|PUT|DELETE /api/v1/{tenant}/flows/{namespace}/{id}       GET ?source=true adds `source`
 *   GET  /api/v1/{tenant}/flows/{namespace}                      the namespace's flows
 *   GET  /api/v1/{tenant}/flows/distinct-namespaces?q=           namespaces starting with q (flow-queries.ts)
 *   GET  /api/v1/{tenant}/flows/search?q=&namespace=&page=&size=&sort=   PagedResults of flows (flow-queries.ts)
 *   POST /api/v1/{tenant}/flows/validate                         multi-doc YAML → [{index, flow, namespace, constraints, …}]
 *   POST /api/v1/{tenant}/flows/{namespace}?delete=              YAML split on "---"; delete DEFAULTS TO TRUE
 *   POST /api/v1/{tenant}/flows/bulk?delete=&namespace=          tenant-wide; delete DEFAULTS TO TRUE
 *   GET  /api/v1/configs  ·  GET /health  ·  GET /ping            open
 * The tenant-less `/api/v1/executions/…`, `/api/v1/logs/…`, `/api/v1/flows/…` are served as tenant
 * `main` (TenantAliasingRooter). Every other `/api/v1/**` needs HTTP Basic credentials when auth
 * is on: 401, empty body, `WWW-Authenticate: Basic realm="Kestra"`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { parseJson as parseJacksonJson } from '../../kestra-model/pebble/json.js';
import { isMap } from '../../kestra-model/pebble/values.js';
import { readBody } from '../http/body.js';
import { sendEmpty } from '../http/respond.js';
import type { KestraEngine } from './engine.js';
import type { ExecutionRecord } from './records.js';
import { distinctNamespaces, FlowQueryError, searchFlows } from './flow-queries.js';
import type { KillableEngine } from './kill.js';
import { formatViolations, parseFlow, type FlowDef } from './flow.js';
import { FlowNotFoundError, FlowValidationError, FlowStore, TENANT } from './flow-store.js';
import { LOG_LEVELS, logLevelRank, STATE_TYPES, type LogLevel, type StateType } from './model.js';
import { toJson } from '../../kestra-model/pebble/json.js';
import { pinnedKestraVersion, webhookInputRefusalStatus } from '../../kestra-model/pinned-version.js';

export interface ApiOptions {
  engine: KillableEngine;
  auth: { username: string; password: string } | false;
  maxBodyBytes: number;
  version: string;
  /** Test-only routes (`/__standin/…`), tried before anything else. Return false when not handled. */
  control: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: { message: string; path?: string }[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function sendJsonText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.writableEnded || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Kestra/Micronaut JSON: Jackson-like numbers, ISO instants. */
export function sendKestraJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendJsonText(res, status, toJson(body), headers);
}

export function sendJsonError(res: ServerResponse, req: IncomingMessage, error: HttpError): void {
  const body: Record<string, unknown> = { message: error.message, _links: { self: { href: req.url ?? '/', templated: false } } };
  if (error.errors.length > 0) body._embedded = { errors: error.errors };
  sendKestraJson(res, error.status, body, error.headers);
}

const notFound = (detail?: string) => new HttpError(404, detail ? `Not Found: ${detail}` : 'Not Found', detail ? [] : [{ message: 'Page Not Found' }]);
const methodNotAllowed = (method: string, path: string, allowed: string[]) =>
  new HttpError(405, 'Method Not Allowed', [{ message: `Method [${method}] not allowed for URI [${path}]. Allowed methods: [${allowed.join(', ')}]` }], { allow: allowed.join(', ') });
const invalidEntity = (violations: { path: string; message: string }[]) =>
  new HttpError(422, `Invalid entity: ${formatViolations(violations)}`, violations.map((v) => ({ message: v.message, ...(v.path ? { path: v.path } : {}) })));
const illegalArgument = (message: string) => new HttpError(422, `Illegal argument: ${message}`);

const YAML_TYPES = ['application/x-yaml', 'application/yaml', 'text/yaml', 'application/yml'];

function mediaType(req: IncomingMessage): string {
  return String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

function requireYaml(req: IncomingMessage): void {
  const type = mediaType(req);
  if (!YAML_TYPES.includes(type)) {
    throw new HttpError(415, 'Unsupported Media Type', [{ message: `Content Type [${type || 'none'}] not allowed. Allowed types: [application/x-yaml]` }]);
  }
}

async function bodyText(req: IncomingMessage, limit: number): Promise<string | undefined> {
  const read = await readBody(req, limit);
  if (read.kind === 'aborted') return undefined;
  if (read.kind === 'too_large') {
    throw new HttpError(413, 'Request Entity Too Large', [{ message: `The content length [${read.bytes}] exceeds the maximum allowed content length [${read.limitBytes}]` }]);
  }
  return read.text;
}

function credentialsMatch(header: string | undefined, auth: { username: string; password: string }): boolean {
  const match = /^\s*basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return false;
  const given = Buffer.from(Buffer.from(match[1]!, 'base64').toString('utf8'));
  const expected = Buffer.from(`${auth.username}:${auth.password}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Path segments, each percent-decoded (a namespace stays dotted in one segment). */
function segments(pathname: string): string[] | undefined {
  try {
    return pathname.split('/').slice(1).map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

const TENANTLESS_RESOURCES = new Set(['executions', 'logs', 'flows']);

export function createApiHandler(opts: ApiOptions) {
  const { engine } = opts;

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://standin.local');
    } catch {
      return void sendJsonError(res, req, notFound());
    }
    try {
      if (await opts.control(req, res, url)) return;
      const path = url.pathname;
      if (path === '/health' || path.startsWith('/health/')) {
        if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed(method, path, ['GET', 'HEAD']);
        return void sendKestraJson(res, 200, { status: 'UP', name: 'kestra-standin' });
      }
      if (path === '/ping') {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 4 });
        return void res.end('pong');
      }
      if (path === '/api/v1/configs') {
        if (method !== 'GET') throw methodNotAllowed(method, path, ['GET']);
        return void sendKestraJson(res, 200, {
          uuid: 'kestra-standin',
          version: opts.version,
          edition: 'OSS',
          commitId: 'standin',
          commitDate: '2025-01-01T00:00:00Z',
          isCustomDashboardsEnabled: false,
          isTaskRunEnabled: false,
          isAnonymousUsageEnabled: false,
          isBasicAuthEnabled: opts.auth !== false,
          url: null,
        });
      }
      const segs = segments(path);
      if (!segs || segs[0] !== 'api' || segs[1] !== 'v1') throw notFound();
      let rest = segs.slice(2);
      // TenantAliasingRooter: /api/v1/executions/… is /api/v1/main/executions/…
      if (rest[0] !== undefined && TENANTLESS_RESOURCES.has(rest[0])) rest = [TENANT, ...rest];
      const [tenant, resource, ...tail] = rest;
      const isWebhook = resource === 'executions' && tail[0] === 'webhook';

      if (!isWebhook && opts.auth !== false && !credentialsMatch(req.headers.authorization, opts.auth)) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="Kestra"', 'content-length': 0 });
        return void res.end();
      }
      if (tenant !== TENANT) throw notFound();

      if (resource === 'executions') {
        if (isWebhook) return await webhook(req, res, method, tail.slice(1), url, path);
        if (tail.length === 1 && tail[0] === 'search') {
          if (method !== 'GET') throw methodNotAllowed(method, path, ['GET']);
          return void sendKestraJson(res, 200, searchExecutions(engine, url.searchParams));
        }
        if (tail.length === 2 && tail[0] !== '' && tail[1] === 'kill') {
          if (method !== 'DELETE') throw methodNotAllowed(method, path, ['DELETE']);
          const answer = engine.kill(tail[0]!, url.searchParams.get('isOnKillCascade') !== 'false');
          if (answer === 'not-found') throw notFound();
          if (answer === 'already-terminated') throw new HttpError(409, 'Cannot kill execution: execution is already terminated.');
          return void sendEmpty(res, 202);
        }
        if (tail.length === 2 && tail[0] !== '' && tail[1] === 'replay') {
          // ExecutionController#replay (@Post "/{executionId}/replay"): returns the new execution; null → 404.
          if (method !== 'POST') throw methodNotAllowed(method, path, ['POST']);
          if (url.searchParams.has('taskRunId') || url.searchParams.has('revision')) {
            throw new HttpError(501, 'Kestra stand-in: replay from a task run or of another flow revision is not modelled');
          }
          const replay = engine.replay(tail[0]!);
          if (!replay) throw notFound();
          return void sendKestraJson(res, 200, replay.toJson(engine.clock.now()));
        }
        if (tail.length === 1 && tail[0] !== '') {
          if (method !== 'GET') throw methodNotAllowed(method, path, ['GET', 'DELETE']);
          const exec = engine.execution(tail[0]!);
          if (!exec) throw notFound();
          return void sendKestraJson(res, 200, exec.toJson(engine.clock.now()));
        }
        throw notFound();
      }
      if (resource === 'logs' && tail.length === 1 && tail[0] !== '') {
        if (method !== 'GET') throw methodNotAllowed(method, path, ['GET']);
        return void sendKestraJson(res, 200, executionLogs(engine.execution(tail[0]!), url.searchParams));
      }
      if (resource === 'flows') return await flows(req, res, method, tail, url, path);
      throw notFound();
    } catch (error) {
      if (error instanceof HttpError) return void sendJsonError(res, req, error);
      throw error;
    }
  };

  async function webhook(req: IncomingMessage, res: ServerResponse, method: string, parts: string[], url: URL, path: string): Promise<void> {
    // ExecutionController: exactly {namespace}/{id}/{key}; Webhook#evaluate refuses any further path or a trailing "/".
    if (parts.length !== 3 || parts.some((p) => p === '')) {
      await bodyText(req, opts.maxBodyBytes);
      throw notFound();
    }
    if (!['GET', 'POST', 'PUT'].includes(method)) throw methodNotAllowed(method, path, ['GET', 'POST', 'PUT']);
    const text = await bodyText(req, opts.maxBodyBytes);
    if (text === undefined) return;
    const [namespace, flowId, key] = parts as [string, string, string];
    const outcome = engine.webhook(namespace, flowId, key, {
      body: webhookBody(text),
      headers: headerLists(req.rawHeaders),
      parameters: parameterLists(url.searchParams),
    });
    switch (outcome.kind) {
      case 'flow-not-found':
        throw notFound('Flow not found');
      case 'webhook-not-found':
        throw notFound('Webhook not found');
      case 'flow-disabled':
        throw new HttpError(409, 'Illegal state: Cannot execute a disabled flow');
      case 'inputs-invalid':
        // The pinned release decides (kestra-model/pinned-version.ts): 1.1–1.3 answer 409; from 1.4
        // Webhook#evaluate turns WebhookInputRenderException into UNPROCESSABLE_ENTITY with no body.
        if (webhookInputRefusalStatus(pinnedKestraVersion()) === 422) return void sendEmpty(res, 422);
        throw new HttpError(409, `Illegal state: ${outcome.reason}`);
      case 'created':
        return void sendKestraJson(res, 200, outcome.response);
    }
  }

  async function flows(req: IncomingMessage, res: ServerResponse, method: string, tail: string[], url: URL, path: string): Promise<void> {
    const store = engine.flows;
    // POST /flows — create
    if (tail.length === 0) {
      if (method !== 'POST') throw methodNotAllowed(method, path, ['POST']);
      requireYaml(req);
      const source = await bodyText(req, opts.maxBodyBytes);
      if (source === undefined) return;
      return void sendKestraJson(res, 200, flowJson(withValidation(() => store.create(source)), true));
    }
    if (tail.length === 1 && tail[0] === 'validate') {
      if (method !== 'POST') throw methodNotAllowed(method, path, ['POST']);
      requireYaml(req);
      const body = await bodyText(req, opts.maxBodyBytes);
      if (body === undefined) return;
      // FlowController#validateFlows splits on a line starting with "---".
      const results = body.split(/\n+---\n*?/).map((source, index) => {
        const parsed = parseFlow(source);
        const item: Record<string, unknown> = { index, outdated: false, deprecationPaths: [], warnings: [], infos: [] };
        if (parsed.ok) {
          item.flow = parsed.flow.id;
          item.namespace = parsed.flow.namespace;
        } else {
          if (parsed.id !== undefined) item.flow = parsed.id;
          if (parsed.namespace !== undefined) item.namespace = parsed.namespace;
          item.constraints = formatViolations(parsed.violations);
        }
        return item;
      });
      return void sendKestraJson(res, 200, results);
    }
    if (tail.length === 1 && tail[0] === 'bulk') {
      if (method !== 'POST') throw methodNotAllowed(method, path, ['POST']);
      requireYaml(req);
      const body = await bodyText(req, opts.maxBodyBytes);
      if (body === undefined) return;
      const namespace = url.searchParams.get('namespace') ?? undefined;
      const allowChild = url.searchParams.get('allowNamespaceChild') === 'true';
      return void sendKestraJson(res, 200, bulkUpsert(store, body, {
        deleteOthers: url.searchParams.get('delete') !== 'false',
        ...(namespace !== undefined ? { namespace } : {}),
        allowChild,
      }).map((f) => flowJson(f, true)));
    }
    if (tail.length === 1 && (tail[0] === 'distinct-namespaces' || tail[0] === 'search')) {
      if (method !== 'GET') throw methodNotAllowed(method, path, ['GET']);
      if (tail[0] === 'distinct-namespaces') return void sendKestraJson(res, 200, distinctNamespaces(store, url.searchParams.get('q')));
      try {
        const found = searchFlows(store, url.searchParams);
        return void sendKestraJson(res, 200, { results: found.results.map((f) => flowJson(f, false)), total: found.total });
      } catch (error) {
        if (error instanceof FlowQueryError) throw illegalArgument(error.message);
        throw error;
      }
    }
    if (tail.length === 1 && tail[0] !== '') {
      const namespace = tail[0]!;
      if (method === 'GET') return void sendKestraJson(res, 200, store.list(namespace).map((f) => flowJson(f, false)));
      if (method !== 'POST') throw methodNotAllowed(method, path, ['GET', 'POST']);
      requireYaml(req);
      const body = await bodyText(req, opts.maxBodyBytes);
      if (body === undefined) return;
      // FlowController#updateFlowsInNamespaceFromYaml: `delete` defaults to true — unlisted flows of the namespace are DELETED.
      return void sendKestraJson(res, 200, bulkUpsert(store, body, { deleteOthers: url.searchParams.get('delete') !== 'false', namespace, allowChild: false, exactNamespace: true }).map((f) => flowJson(f, true)));
    }
    if (tail.length === 2 && tail[0] !== '' && tail[1] !== '') {
      const [namespace, id] = tail as [string, string];
      if (method === 'GET') {
        const flow = store.get(namespace, id);
        if (!flow) throw notFound();
        return void sendKestraJson(res, 200, flowJson(flow, url.searchParams.get('source') === 'true'));
      }
      if (method === 'PUT') {
        requireYaml(req);
        const source = await bodyText(req, opts.maxBodyBytes);
        if (source === undefined) return;
        try {
          return void sendKestraJson(res, 200, flowJson(withValidation(() => store.update(namespace, id, source)), true));
        } catch (error) {
          if (error instanceof FlowNotFoundError) throw notFound();
          throw error;
        }
      }
      if (method === 'DELETE') {
        if (!store.delete(namespace, id)) throw notFound();
        return void sendEmpty(res, 204);
      }
      throw methodNotAllowed(method, path, ['GET', 'PUT', 'DELETE']);
    }
    throw notFound();
  }
}

function withValidation<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof FlowValidationError) throw invalidEntity([...error.violations]);
    throw error;
  }
}

/** Kestra's split on "---", then validate ALL before writing ANY; then upsert; then (by default) delete the unlisted. */
function bulkUpsert(store: FlowStore, body: string, opts: { deleteOthers: boolean; namespace?: string; allowChild: boolean; exactNamespace?: boolean }): FlowDef[] {
  const sources = body.split('---').filter((s) => s.trim() !== '');
  const parsed = sources.map((source) => {
    const p = parseFlow(source);
    if (!p.ok) throw invalidEntity(p.violations);
    return p.flow;
  });
  if (opts.namespace !== undefined) {
    for (const flow of parsed) {
      const inside = flow.namespace === opts.namespace || (opts.allowChild && flow.namespace.startsWith(`${opts.namespace}.`));
      if (!inside) throw invalidEntity([{ path: 'flow.namespace', message: `flow ${flow.namespace}.${flow.id}: namespace must be ${opts.namespace}${opts.allowChild ? ' or one of its children' : ''}` }]);
    }
  }
  const saved = parsed.map((flow) => store.upsert(flow));
  if (opts.deleteOthers) {
    const kept = new Set(saved.map((f) => `${f.namespace}\u0000${f.id}`));
    const scope = opts.namespace === undefined
      ? store.list()
      : store.list().filter((f) => f.namespace === opts.namespace || (!opts.exactNamespace && opts.allowChild && f.namespace.startsWith(`${opts.namespace}.`)));
    for (const f of scope) if (!kept.has(`${f.namespace}\u0000${f.id}`)) store.delete(f.namespace, f.id);
  }
  return saved;
}

export function flowJson(flow: FlowDef, withSource: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { ...flow.definition };
  out.id = flow.id;
  out.namespace = flow.namespace;
  out.tenantId = TENANT;
  out.revision = flow.revision;
  out.disabled = flow.disabled;
  out.deleted = flow.deleted;
  out.labels = flow.labels;
  if (withSource) out.source = flow.source;
  return out;
}

/** `trigger.body`: a JSON object or array is parsed whatever the content type; anything else stays text; no body → absent. */
export function webhookBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    const value = parseJacksonJson(text);
    if (isMap(value) || Array.isArray(value)) return value;
  } catch {
    /* not JSON: the raw string */
  }
  return text;
}

/** Map<String, List<String>> of the request headers, names as sent. */
export function headerLists(raw: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    const existing = Object.keys(out).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
    (out[existing] ??= []).push(raw[i + 1]!);
  }
  return out;
}

export function parameterLists(params: URLSearchParams): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of params) (out[k] ??= []).push(v);
  return out;
}

// ------------------------------------------------------------------ logs

function executionLogs(exec: ExecutionRecord | undefined, params: URLSearchParams): unknown[] {
  if (!exec) return [];
  const minLevel = params.get('minLevel');
  if (minLevel !== null && !(LOG_LEVELS as readonly string[]).includes(minLevel)) {
    throw illegalArgument(`No enum constant org.slf4j.event.Level.${minLevel}`);
  }
  const taskRunId = params.get('taskRunId');
  const taskId = params.get('taskId');
  return exec.logs.filter(
    (l) => (minLevel === null || logLevelRank(l.level) >= logLevelRank(minLevel as LogLevel)) && (taskRunId === null || l.taskRunId === taskRunId) && (taskId === null || l.taskId === taskId),
  );
}

// ------------------------------------------------------------------ search

interface SearchQuery {
  namespace?: { op: string; value: string };
  flowId?: { op: string; value: string };
  states?: { op: 'IN' | 'NOT_IN'; values: StateType[] };
  labels: { op: 'EQUALS' | 'NOT_EQUALS'; key: string; value: string }[];
  triggerExecutionId?: string;
  childFilter?: 'CHILD' | 'MAIN';
  startDate: { op: string; value: Date }[];
}

const FILTER = /^filters\[([^\]]+)\]\[([^\]]+)\](?:\[([^\]]*)\])?$/;

function parseStates(raw: string): StateType[] {
  const states = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const s of states) if (!(STATE_TYPES as readonly string[]).includes(s)) throw illegalArgument(`No enum constant io.kestra.core.models.flows.State.Type.${s}`);
  return states as StateType[];
}

function parseDate(raw: string, name: string): Date {
  const d = new Date(raw);
  if (Number.isNaN(d.getTime())) throw illegalArgument(`${name}: '${raw}' is not an ISO-8601 date-time`);
  return d;
}

function parseSearch(params: URLSearchParams): SearchQuery {
  const q: SearchQuery = { labels: [], startDate: [] };
  const usesFilters = [...params.keys()].some((k) => k.startsWith('filters['));
  for (const [key, value] of params) {
    const m = FILTER.exec(key);
    if (m) {
      const [, field, op, sub] = m as unknown as [string, string, string, string | undefined];
      switch (field) {
        case 'namespace':
        case 'flowId':
          if (!['EQUALS', 'NOT_EQUALS', 'STARTS_WITH', 'CONTAINS', 'PREFIX', 'ENDS_WITH', 'REGEX'].includes(op)) throw illegalArgument(`operation ${op} is not allowed for field ${field}`);
          q[field] = { op, value };
          break;
        case 'state':
          if (op === 'EQUALS' || op === 'IN') q.states = { op: 'IN', values: parseStates(value) };
          else if (op === 'NOT_EQUALS' || op === 'NOT_IN') q.states = { op: 'NOT_IN', values: parseStates(value) };
          else throw illegalArgument(`operation ${op} is not allowed for field state`);
          break;
        case 'labels':
          if (op !== 'EQUALS' && op !== 'NOT_EQUALS') throw illegalArgument(`operation ${op} is not allowed for field labels`);
          // Kestra's QueryFilterFormatBinder keeps one value per nested key (values.getFirst()), and
          // the repository matches each pair by containment over ALL labels, system.* ones included.
          if (sub !== undefined) {
            if (!q.labels.some((l) => l.op === op && l.key === sub)) q.labels.push({ op, key: sub, value });
          }
          else for (const pair of value.split(',')) {
            const [k, ...v] = pair.split(':');
            if (k) q.labels.push({ op, key: k, value: v.join(':') });
          }
          break;
        case 'triggerExecutionId':
          if (op !== 'EQUALS') throw illegalArgument(`operation ${op} is not allowed for field triggerExecutionId`);
          q.triggerExecutionId = value;
          break;
        case 'childFilter':
          if (value !== 'CHILD' && value !== 'MAIN') throw illegalArgument(`childFilter must be CHILD or MAIN (got ${value})`);
          q.childFilter = value;
          break;
        case 'startDate':
          if (!['GREATER_THAN_OR_EQUAL_TO', 'GREATER_THAN', 'LESS_THAN_OR_EQUAL_TO', 'LESS_THAN', 'EQUALS'].includes(op)) throw illegalArgument(`operation ${op} is not allowed for field startDate`);
          q.startDate.push({ op, value: parseDate(value, 'startDate') });
          break;
        default:
          throw illegalArgument(`Unknown filter field '${field}' (the stand-in supports namespace, flowId, state, labels, triggerExecutionId, childFilter, startDate)`);
      }
    }
  }
  if (!usesFilters) {
    // Legacy flat parameters (deprecated in 1.x, still answered): namespace is a PREFIX match.
    const ns = params.get('namespace');
    if (ns !== null) q.namespace = { op: 'PREFIX', value: ns };
    const flowId = params.get('flowId');
    if (flowId !== null) q.flowId = { op: 'EQUALS', value: flowId };
    const states = params.getAll('state');
    if (states.length > 0) q.states = { op: 'IN', values: states.flatMap(parseStates) };
    for (const l of params.getAll('labels')) {
      const [k, ...v] = l.split(':');
      if (k) q.labels.push({ op: 'EQUALS', key: k, value: v.join(':') });
    }
    const trig = params.get('triggerExecutionId');
    if (trig !== null) q.triggerExecutionId = trig;
    const child = params.get('childFilter');
    if (child === 'CHILD' || child === 'MAIN') q.childFilter = child;
    const start = params.get('startDate');
    if (start !== null) q.startDate.push({ op: 'GREATER_THAN_OR_EQUAL_TO', value: parseDate(start, 'startDate') });
  }
  return q;
}

function textMatches(actual: string, f: { op: string; value: string }): boolean {
  switch (f.op) {
    case 'EQUALS':
      return actual === f.value;
    case 'NOT_EQUALS':
      return actual !== f.value;
    case 'STARTS_WITH':
      return actual.startsWith(f.value);
    case 'ENDS_WITH':
      return actual.endsWith(f.value);
    case 'CONTAINS':
      return actual.includes(f.value);
    case 'PREFIX':
      return actual === f.value || actual.startsWith(`${f.value}.`);
    case 'REGEX':
      try {
        return new RegExp(f.value).test(actual);
      } catch {
        return false;
      }
    default:
      return false;
  }
}

const SORT_KEYS: Record<string, (e: ExecutionRecord) => number | string> = {
  'state.startDate': (e) => e.state.startDate.getTime(),
  'state.endDate': (e) => e.state.endDate?.getTime() ?? Number.MAX_SAFE_INTEGER,
  'state.duration': (e) => (e.state.endDate?.getTime() ?? Date.now()) - e.state.startDate.getTime(),
  'state.current': (e) => e.state.current,
  id: (e) => e.id,
  namespace: (e) => e.flow.namespace,
  flowId: (e) => e.flow.id,
};

export function searchExecutions(engine: KestraEngine, params: URLSearchParams): { results: unknown[]; total: number } {
  const page = params.has('page') ? Number(params.get('page')) : 1;
  const size = params.has('size') ? Number(params.get('size')) : 10;
  if (!Number.isInteger(page) || page < 1) throw invalidEntity([{ path: 'searchExecutions.page', message: 'must be greater than or equal to 1' }]);
  if (!Number.isInteger(size) || size < 1) throw invalidEntity([{ path: 'searchExecutions.size', message: 'must be greater than or equal to 1' }]);
  const q = parseSearch(params);
  const sorts = params.getAll('sort').flatMap((s) => s.split(',')).filter(Boolean).map((s) => {
    const [field = '', dir = 'asc'] = s.split(':');
    const key = SORT_KEYS[field];
    if (!key) throw illegalArgument(`Invalid sort field '${field}'`);
    return { key, desc: dir.toLowerCase() === 'desc' };
  });
  if (sorts.length === 0) sorts.push({ key: SORT_KEYS['state.startDate']!, desc: true });

  // A triggerExecutionId search only ever matches that execution's children: start from the index.
  const candidates = q.triggerExecutionId !== undefined ? engine.childrenOf(q.triggerExecutionId) : engine.executions();
  const matches = candidates.filter((e) => {
    if (q.namespace && !textMatches(e.flow.namespace, q.namespace)) return false;
    if (q.flowId && !textMatches(e.flow.id, q.flowId)) return false;
    if (q.states) {
      const inside = q.states.values.includes(e.state.current);
      if (q.states.op === 'IN' ? !inside : inside) return false;
    }
    for (const l of q.labels) {
      const has = e.labels.some((x) => x.key === l.key && x.value === l.value);
      if (l.op === 'EQUALS' ? !has : has) return false;
    }
    if (q.triggerExecutionId !== undefined && e.parentExecutionId !== q.triggerExecutionId) return false;
    if (q.childFilter === 'CHILD' && e.parentExecutionId === undefined) return false;
    if (q.childFilter === 'MAIN' && e.parentExecutionId !== undefined) return false;
    for (const d of q.startDate) {
      const t = e.state.startDate.getTime();
      const v = d.value.getTime();
      const ok = d.op === 'GREATER_THAN_OR_EQUAL_TO' ? t >= v : d.op === 'GREATER_THAN' ? t > v : d.op === 'LESS_THAN' ? t < v : d.op === 'LESS_THAN_OR_EQUAL_TO' ? t <= v : t === v;
      if (!ok) return false;
    }
    return true;
  });
  matches.sort((a, b) => {
    for (const s of sorts) {
      const x = s.key(a);
      const y = s.key(b);
      if (x !== y) return (x < y ? -1 : 1) * (s.desc ? -1 : 1);
    }
    // ties (the virtual clock stands still): creation order, in the first sort's direction
    return sorts[0]!.desc ? b.seq - a.seq : a.seq - b.seq;
  });
  const now = engine.clock.now();
  const results = matches.slice((page - 1) * size, page * size).map((e) => e.toJson(now));
  return { results, total: matches.length };
}

