/**
 * Tenant route (`/api/v1/{tenant}/…`, Kestra ≥ 0.23) or tenant-less route (`/api/v1/…`, older)?
 *
 * A 404 alone cannot tell: Kestra answers a missing execution (controller returns null) with the
 * same Micronaut 404 body as an unknown route. So the resolver starts on the tenant route and, the
 * first time a call answers 404 while the mode is still unknown, PROBES a route that always exists
 * when the API does: `GET {prefix}/executions/search?page=1&size=1`, which must answer a
 * PagedResults JSON.
 *  - tenant probe OK → tenant mode; the 404 was genuine and is rethrown;
 *  - tenant probe 404, tenant-less probe OK → tenant-less mode; the call is replayed there;
 *  - anything else (401, network, HTML…) → inconclusive: the original 404 is rethrown and the mode
 *    stays unknown (probed again next time).
 * A successful call settles tenant mode without probing. Once settled, the mode never changes.
 */
import { KestraHttpError } from './errors.js';
import { apiPrefix, type ApiMode } from './routes.js';
import type { ProgressListener } from './progress.js';

export type ProbeOutcome = 'ok' | 'missing' | 'inconclusive';

export class ApiModeResolver {
  private mode: ApiMode | undefined;
  private detecting: Promise<ApiMode | undefined> | undefined;

  constructor(
    private readonly tenant: string,
    private readonly probe: (prefix: string) => Promise<ProbeOutcome>,
    private readonly emit: ProgressListener,
    initial?: ApiMode,
  ) {
    this.mode = initial;
  }

  current(): ApiMode | undefined {
    return this.mode;
  }

  /** Runs `call` with the right prefix, detecting the mode when needed. */
  async run<T>(call: (prefix: string, mode: ApiMode) => Promise<T>): Promise<T> {
    if (this.mode) return call(apiPrefix(this.mode, this.tenant), this.mode);
    try {
      const result = await call(apiPrefix('tenant', this.tenant), 'tenant');
      this.settle('tenant', 'a tenant route answered');
      return result;
    } catch (err) {
      if (!(err instanceof KestraHttpError) || err.status !== 404 || this.mode) throw err;
      const detected = await this.detect();
      if (detected === 'tenantless') return call(apiPrefix('tenantless', this.tenant), 'tenantless');
      throw err;
    }
  }

  private detect(): Promise<ApiMode | undefined> {
    this.detecting ??= (async () => {
      const tenantProbe = await this.probe(apiPrefix('tenant', this.tenant));
      if (tenantProbe === 'ok') return this.settle('tenant', `probe of /api/v1/${this.tenant} answered`);
      if (tenantProbe === 'missing' && (await this.probe(apiPrefix('tenantless', this.tenant))) === 'ok') {
        return this.settle('tenantless', `/api/v1/${this.tenant}/… is 404 but /api/v1/… answers (Kestra < 0.23)`);
      }
      return undefined;
    })().finally(() => {
      this.detecting = undefined;
    });
    return this.detecting;
  }

  private settle(mode: ApiMode, reason: string): ApiMode {
    if (!this.mode) {
      this.mode = mode;
      this.emit({ type: 'api-mode', mode, reason });
    }
    return this.mode;
  }
}
