/**
 * Server-level checks.
 *  - version(): `GET /api/v1/configs` (MiscController#getConfiguration, tenant-less in every
 *    version) → `version`, `commitId`, `commitDate`, `edition`.
 *  - health(): Micronaut management `GET {managementUrl}/health` (Kestra: port 8081;
 *    `{status: "UP"|"DOWN", …}`, 503 when DOWN). Without a management URL, or when it is
 *    unreachable, one API call (`/api/v1/configs`) stands in.
 */
import type { ApiContext } from './api-context.js';
import { KestraHttpError, KestraNetworkError } from './errors.js';
import { parseJsonBody } from './parse.js';
import { routes } from './routes.js';
import { ConfigsSchema, HealthSchema } from './schemas.js';
import type { KestraHealth, KestraVersionInfo } from './types.js';

export async function version(ctx: ApiContext): Promise<KestraVersionInfo> {
  const res = await ctx.transport.send({ method: 'GET', path: routes.configs(), retryClass: 'idempotent' });
  const c = parseJsonBody(ConfigsSchema, res, ctx.redactor);
  return {
    version: c.version,
    ...(c.commitId ? { commitId: c.commitId } : {}),
    ...(c.commitDate ? { commitDate: c.commitDate } : {}),
    ...(c.edition ? { edition: c.edition } : {}),
  };
}

export async function health(ctx: ApiContext): Promise<KestraHealth> {
  let managementError: string | undefined;
  if (ctx.management) {
    try {
      const res = await ctx.transport.send({
        method: 'GET', path: routes.health(), origin: ctx.management, retryClass: 'idempotent', acceptStatuses: [503],
      });
      const h = parseJsonBody(HealthSchema, res, ctx.redactor);
      return { ok: h.status === 'UP', status: h.status, source: 'management' };
    } catch (err) {
      if (!(err instanceof KestraNetworkError)) throw err;
      managementError = err.message;
    }
  }
  try {
    const v = await version(ctx);
    return { ok: true, status: 'UP', source: 'api', version: v.version, ...(managementError ? { error: managementError } : {}) };
  } catch (err) {
    if (err instanceof KestraNetworkError || (err instanceof KestraHttpError && err.status >= 500)) {
      return { ok: false, status: 'UNREACHABLE', source: 'api', error: [managementError, err.message].filter(Boolean).join(' | ') };
    }
    throw err;
  }
}
