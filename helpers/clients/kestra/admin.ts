/**
 * The few Kestra calls the gate and the smoke need that the shared client (helpers/clients/kestra) does
 * not make — on purpose: that client never deletes. They live here, on the client's own transport
 * (http.ts: Basic auth, redaction, retries, error types) and parser, behind their own allow-list:
 *
 *   GET    /api/v1/{tenant}/flows/{namespace}                  the flows of ONE namespace (FlowController#listFlowsByNamespace)
 *   GET    /api/v1/{tenant}/flows/distinct-namespaces?q=       namespaces containing q (FlowController#listDistinctNamespaces)
 *   DELETE /api/v1/{tenant}/flows/{namespace}/{id}             ONE flow (FlowController#deleteFlow) — campaign namespaces only
 *   DELETE /api/v1/{tenant}/executions/{executionId}/kill      ONE execution (ExecutionController#kill): 202 requested —
 *                                                              an ended execution too, since isOnKillCascade defaults
 *                                                              to true (its waiting subflows are killed); 404 unknown;
 *                                                              409 only with isOnKillCascade=false, never sent here
 * Never: `/flows/bulk`, `/flows/delete/by-query|by-ids`, `/executions/kill/by-query|by-ids`,
 * `POST /flows/{namespace}` (deletes unlisted flows unless delete=false) — `assertAdminRoute` refuses
 * them, whatever the arguments.
 *
 * Campaign namespaces are `christmas` and its children (`christmas.*`): nothing outside them can
 * be deleted through this module.
 */
import { resolveBasicAuth } from './credentials.js';
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { KestraUsageError } from './errors.js';
import { HttpTransport, type RawResponse } from './http.js';
import { parseJsonBody } from './parse.js';
import { DEFAULT_RETRY } from './retry.js';
import { KESTRA_TENANT, NAMESPACES } from '../../spec/index.js';

export interface KestraAdminOptions {
  baseUrl: string;
  auth?: { username: string; password: string };
  /** Default `main`. */
  tenant?: string;
  /** `tenant` (default, Kestra ≥ 0.23) or `tenantless` (`/api/v1/…`). */
  apiMode?: 'tenant' | 'tenantless';
  dispatcher?: Dispatcher;
  /** Per request. Default 30 000. */
  timeoutMs?: number;
}

export interface DeployedFlowRef {
  namespace: string;
  id: string;
  revision?: number;
  disabled?: boolean;
}

export type KillOutcome = 'requested' | 'already-finished' | 'not-found';

export interface KestraAdmin {
  listFlows(namespace: string): Promise<DeployedFlowRef[]>;
  /** Namespaces whose name contains `query`; `null` when the server has no such route. */
  distinctNamespaces(query: string): Promise<string[] | null>;
  /**
   * Every flow in the campaign namespaces: those the server lists (distinct-namespaces) plus
   * `knownNamespaces`, each listed on its own. Sorted by namespace, then id.
   */
  campaignFlows(knownNamespaces: Iterable<string>): Promise<DeployedFlowRef[]>;
  /** Deletes ONE flow of a campaign namespace; false when it did not exist. */
  deleteFlow(namespace: string, id: string): Promise<boolean>;
  killExecution(executionId: string): Promise<KillOutcome>;
}

export function isCampaignNamespace(namespace: string): boolean {
  return namespace === NAMESPACES.root || namespace.startsWith(`${NAMESPACES.root}.`);
}

const P = '/api/v1(?:/[a-z0-9][a-z0-9_-]*)?';
const SEG = '[^/]+';
/** Path segments of FlowController / ExecutionController that are operations, never a namespace, flow or execution id. */
const RESERVED = new Set([
  'bulk', 'validate', 'import', 'graph', 'source', 'search', 'distinct-namespaces', 'delete', 'disable', 'enable', 'export',
  'by-query', 'by-ids', 'kill', 'webhook', 'trigger', 'restart', 'replay', 'resume', 'pause', 'namespaces', 'flows',
]);

/** Throws KestraUsageError unless (method, path) is one of the routes in this module's header. */
export function assertAdminRoute(method: string, path: string): void {
  const refuse = (why: string): never => {
    throw new KestraUsageError(`${method} ${path} refused: ${why}`);
  };
  if (/\/(bulk|by-query|by-ids)(\/|$)/.test(path)) refuse('bulk and by-query/by-ids endpoints are never called');
  const segs = (p: string) => p.split('/').slice(-2).map((s) => decodeURIComponent(s));
  if (method === 'GET' && new RegExp(`^${P}/flows/distinct-namespaces$`).test(path)) return;
  if (method === 'GET' && new RegExp(`^${P}/flows/${SEG}$`).test(path)) {
    const [, ns] = segs(path);
    if (RESERVED.has(ns!)) refuse(`"${ns}" is an operation, not a namespace`);
    return;
  }
  if (method === 'DELETE' && new RegExp(`^${P}/flows/${SEG}/${SEG}$`).test(path)) {
    const [ns, id] = segs(path);
    if (RESERVED.has(ns!) || RESERVED.has(id!)) refuse('not a single flow');
    if (!isCampaignNamespace(ns!)) refuse(`namespace ${ns} is not a campaign namespace (${NAMESPACES.root} or ${NAMESPACES.root}.*)`);
    return;
  }
  if (method === 'DELETE' && new RegExp(`^${P}/executions/${SEG}/kill$`).test(path)) {
    const [id] = segs(path);
    if (RESERVED.has(id!)) refuse('not a single execution');
    return;
  }
  refuse('not a route this module may call');
}

const FlowRefSchema = z.looseObject({
  id: z.string(),
  namespace: z.string(),
  revision: z.number().nullish(),
  disabled: z.boolean().nullish(),
  deleted: z.boolean().nullish(),
});

function requireText(value: string, what: string): void {
  if (typeof value !== 'string' || value.trim() === '' || value.includes('/')) throw new KestraUsageError(`${what} must be a non-empty string without "/" (got "${String(value)}")`);
}

export function createKestraAdmin(options: KestraAdminOptions): KestraAdmin {
  const base = new URL(options.baseUrl);
  const { authorization, redactor } = resolveBasicAuth(base, options.auth);
  const tenant = options.tenant ?? KESTRA_TENANT;
  const prefix = options.apiMode === 'tenantless' ? '/api/v1' : `/api/v1/${tenant}`;
  const enc = encodeURIComponent;

  // The client's transport and parser, behind this module's allow-list: 2 attempts (one retry on
  // a network error or a 5xx / 429), since these calls run in a nightly job that retries itself.
  const transport = new HttpTransport({
    baseUrl: base,
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    timeoutMs: options.timeoutMs ?? 30_000,
    retry: { ...DEFAULT_RETRY, attempts: 2 },
    ...(authorization ? { authorization } : {}),
    redactor,
    emit: () => {},
    sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
    now: Date.now,
    random: Math.random,
    assertRoute: assertAdminRoute,
  });

  async function send(method: 'GET' | 'DELETE', path: string, query?: URLSearchParams, accept: readonly number[] = []): Promise<RawResponse> {
    return transport.send({ method, path, ...(query ? { query } : {}), retryClass: 'idempotent', acceptStatuses: accept });
  }

  const parse = <S extends z.ZodType>(schema: S, res: RawResponse): z.output<S> => parseJsonBody(schema, res, redactor);

  const admin: KestraAdmin = {
    async listFlows(namespace) {
      requireText(namespace, 'namespace');
      const path = `${prefix}/flows/${enc(namespace)}`;
      return parse(z.array(FlowRefSchema), await send('GET', path))
        .filter((f) => f.deleted !== true && f.namespace === namespace)
        .map((f) => ({ namespace: f.namespace, id: f.id, ...(f.revision != null ? { revision: f.revision } : {}), ...(f.disabled != null ? { disabled: f.disabled } : {}) }));
    },
    async distinctNamespaces(query) {
      const path = `${prefix}/flows/distinct-namespaces`;
      const res = await send('GET', path, new URLSearchParams({ q: query }), [404, 405]);
      if (res.status === 404 || res.status === 405) return null;
      // A server without this route may read "distinct-namespaces" as a namespace and list its (no) flows: [].
      const list = parse(z.array(z.union([z.string(), FlowRefSchema])), res);
      return list.filter((n): n is string => typeof n === 'string');
    },
    async campaignFlows(knownNamespaces) {
      const listed = (await admin.distinctNamespaces(NAMESPACES.root)) ?? [];
      const namespaces = [...new Set([...knownNamespaces, ...listed])].filter(isCampaignNamespace).sort();
      const flows: DeployedFlowRef[] = [];
      for (const ns of namespaces) flows.push(...(await admin.listFlows(ns)));
      return flows.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.id.localeCompare(b.id));
    },
    async deleteFlow(namespace, id) {
      requireText(namespace, 'namespace');
      requireText(id, 'flow id');
      if (!isCampaignNamespace(namespace)) throw new KestraUsageError(`refusing to delete ${namespace}.${id}: not a campaign namespace`);
      const { status } = await send('DELETE', `${prefix}/flows/${enc(namespace)}/${enc(id)}`, undefined, [404]);
      return status !== 404;
    },
    async killExecution(executionId) {
      requireText(executionId, 'execution id');
      const { status } = await send('DELETE', `${prefix}/executions/${enc(executionId)}/kill`, undefined, [404, 409]);
      return status === 404 ? 'not-found' : status === 409 ? 'already-finished' : 'requested';
    },
  };
  return admin;
}
