/**
 * Every route the client may call, and the guard that refuses any other.
 *
 * Kestra ≥ 0.23 (and 1.x) serves the API under `/api/v1/{tenant}/…` (OSS tenant: `main`); older
 * servers under `/api/v1/…`. Routes read from kestra-io/kestra `webserver/.../controllers/api/`:
 *   ExecutionController  @Controller("/api/v1/{tenant}/executions")
 *     GET  /{executionId} · GET /search · POST /webhook/{namespace}/{id}/{key} · POST /{executionId}/replay
 *   LogController        @Controller("/api/v1/{tenant}/logs")       GET /{executionId}?minLevel=
 *   FlowController       @Controller("/api/v1/{tenant}/flows")
 *     GET {namespace}/{id}?source=true · PUT {namespace}/{id} · POST (create) · POST validate
 *     POST {namespace}?delete=   ← `delete` DEFAULTS TO TRUE server-side: unlisted flows are deleted
 *     POST bulk                  ← tenant-wide: with delete=true and no namespace it deletes EVERY flow
 *   MiscController       @Controller("/api/v1")  GET /configs (tenant-less in every version)
 *
 * The guard is an allow-list: `/flows/bulk`, any DELETE, and `POST /flows/{namespace}` without
 * `delete=false` cannot be sent through this client.
 */
import { KestraUsageError } from './errors.js';

export type ApiMode = 'tenant' | 'tenantless';

const TENANT_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;

export function assertTenant(tenant: string): void {
  if (!TENANT_PATTERN.test(tenant)) throw new KestraUsageError(`tenant "${tenant}" is not a Kestra tenant id (${TENANT_PATTERN})`);
}

export function apiPrefix(mode: ApiMode, tenant: string): string {
  return mode === 'tenant' ? `/api/v1/${tenant}` : '/api/v1';
}

const enc = encodeURIComponent;

/** Paths relative to the server root (the base URL's own path is prepended by the transport). */
export const routes = {
  execution: (prefix: string, id: string) => `${prefix}/executions/${enc(id)}`,
  executionSearch: (prefix: string) => `${prefix}/executions/search`,
  /** A new execution cloned from this one, run from the start (ExecutionController#replay). */
  executionReplay: (prefix: string, id: string) => `${prefix}/executions/${enc(id)}/replay`,
  /** The namespace stays dotted in ONE segment (SPEC §9, §10.2). */
  webhook: (prefix: string, namespace: string, flowId: string, key: string) =>
    `${prefix}/executions/webhook/${enc(namespace)}/${enc(flowId)}/${enc(key)}`,
  executionLogs: (prefix: string, executionId: string) => `${prefix}/logs/${enc(executionId)}`,
  flow: (prefix: string, namespace: string, id: string) => `${prefix}/flows/${enc(namespace)}/${enc(id)}`,
  flowCreate: (prefix: string) => `${prefix}/flows`,
  flowValidate: (prefix: string) => `${prefix}/flows/validate`,
  /** JSON Schema of a flow, one definition per installed plugin (PluginController#schemas). */
  flowSchema: () => '/api/v1/plugins/schemas/flow',
  /** Per-namespace bulk upsert. Only ever sent with `delete=false` (see assertSafeRoute). */
  namespaceFlows: (prefix: string, namespace: string) => `${prefix}/flows/${enc(namespace)}`,
  configs: () => '/api/v1/configs',
  health: () => '/health',
} as const;

/** DELETE passes assertSafeRoute never; only admin.ts's own allow-list lets one through. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

const P = '/api/v1(?:/[^/]+)?';
const SEG = '[^/]+';
const RESERVED_FLOW_SEGMENTS = 'bulk|validate|import|graph|source|search|distinct-namespaces|delete|disable|enable|export';

interface Allowed {
  method: string;
  pattern: RegExp;
  check?: (query: URLSearchParams) => string | undefined;
}

const ALLOWED: readonly Allowed[] = [
  { method: 'GET', pattern: /^\/api\/v1\/configs$/ },
  { method: 'GET', pattern: /^\/api\/v1\/plugins\/schemas\/flow$/ },
  { method: 'GET', pattern: /^(?:\/.*)?\/health$/ },
  { method: 'GET', pattern: new RegExp(`^${P}/executions/search$`) },
  { method: 'GET', pattern: new RegExp(`^${P}/executions/${SEG}$`) },
  { method: 'POST', pattern: new RegExp(`^${P}/executions/webhook/${SEG}/${SEG}/${SEG}$`) },
  { method: 'POST', pattern: new RegExp(`^${P}/executions/${SEG}/replay$`) },
  { method: 'GET', pattern: new RegExp(`^${P}/logs/${SEG}$`) },
  { method: 'GET', pattern: new RegExp(`^${P}/flows/${SEG}/${SEG}$`) },
  { method: 'PUT', pattern: new RegExp(`^${P}/flows/${SEG}/${SEG}$`) },
  { method: 'POST', pattern: new RegExp(`^${P}/flows$`) },
  { method: 'POST', pattern: new RegExp(`^${P}/flows/validate$`) },
  {
    method: 'POST',
    pattern: new RegExp(`^${P}/flows/(?!(?:${RESERVED_FLOW_SEGMENTS})$)${SEG}$`),
    check: (q) => (q.get('delete') === 'false' ? undefined : 'the per-namespace flow upload deletes unlisted flows unless delete=false'),
  },
];

/**
 * Throws KestraUsageError unless (method, path) is one of the routes above. `path` is the route
 * path (without the base URL's own prefix).
 */
export function assertSafeRoute(method: string, path: string, query: URLSearchParams = new URLSearchParams()): void {
  if (/\/flows\/bulk\/?$/.test(path)) {
    throw new KestraUsageError(`${method} ${path} refused: the tenant-wide bulk endpoint can delete every flow; this client never calls it`);
  }
  const candidates = ALLOWED.filter((a) => a.method === method && a.pattern.test(path));
  if (candidates.length === 0) throw new KestraUsageError(`${method} ${path} refused: not a route this client is allowed to call`);
  // Ambiguous paths (a namespace called "flows"…) must satisfy every route they could be.
  const problem = candidates.map((c) => c.check?.(query)).find((p) => p !== undefined);
  if (problem) throw new KestraUsageError(`${method} ${path} refused: ${problem}`);
}
