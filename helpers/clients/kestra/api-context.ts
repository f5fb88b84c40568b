/**
 * The shared machinery behind every operation: parsed base URLs, credentials registered with the
 * redactor, the transport, the tenant-mode resolver and the `api()` helper
 * (route → request → JSON → zod).
 */
import { z } from 'zod';
import { KESTRA_TENANT } from '../../spec/endpoints.js';
import { KestraUsageError } from './errors.js';
import { HttpTransport, type SendSpec } from './http.js';
import { parseJsonBody } from './parse.js';
import type { Clock } from './poll.js';
import { fanOut, type ProgressListener } from './progress.js';
import { resolveBasicAuth } from './credentials.js';
import { Redactor } from '../redact.js';
import { DEFAULT_RETRY } from './retry.js';
import { assertTenant, routes } from './routes.js';
import { pagedResultsSchema } from './schemas.js';
import { ApiModeResolver, type ProbeOutcome } from './tenant.js';
import type { KestraClientOptions } from './types.js';

export interface ApiContext {
  tenant: string;
  base: URL;
  management: URL | undefined;
  redactor: Redactor;
  transport: HttpTransport;
  resolver: ApiModeResolver;
  emit: ProgressListener;
  clock: Clock;
  /** Sends on the tenant (or detected) route and validates the JSON answer. */
  api<S extends z.ZodType>(schema: S, build: (prefix: string) => SendSpec): Promise<z.output<S>>;
}

export function requireText(value: string, what: string): void {
  if (typeof value !== 'string' || value.trim() === '') throw new KestraUsageError(`${what} must be a non-empty string`);
}

function parseHttpUrl(raw: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new KestraUsageError(`${what} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new KestraUsageError(`${what} must be http(s), got ${url.protocol}`);
  url.search = '';
  url.hash = '';
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}

const ProbeSchema = pagedResultsSchema(z.unknown());

export function createContext(options: KestraClientOptions): ApiContext {
  const tenant = options.tenant ?? KESTRA_TENANT;
  assertTenant(tenant);
  const base = parseHttpUrl(options.baseUrl, 'baseUrl');
  const management = options.managementUrl ? parseHttpUrl(options.managementUrl, 'managementUrl') : undefined;
  if (management) {
    management.username = '';
    management.password = '';
  }

  const { authorization, redactor } = resolveBasicAuth(base, options.auth);

  const emit = fanOut(options.onProgress);
  const clock: Clock = {
    sleep: options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
    now: options.now ?? Date.now,
  };
  const transport = new HttpTransport({
    baseUrl: base,
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    timeoutMs: options.timeoutMs ?? 30_000,
    retry: { ...DEFAULT_RETRY, ...options.retry },
    ...(authorization ? { authorization } : {}),
    redactor,
    emit,
    sleep: clock.sleep,
    now: clock.now,
    random: options.random ?? Math.random,
  });

  /** `GET {prefix}/executions/search?page=1&size=1` must answer a PagedResults when the API lives there. */
  const probe = async (prefix: string): Promise<ProbeOutcome> => {
    try {
      const res = await transport.send({
        method: 'GET', path: routes.executionSearch(prefix), query: new URLSearchParams({ page: '1', size: '1' }),
        retryClass: 'idempotent', acceptStatuses: [404],
      });
      if (res.status === 404) return 'missing';
      parseJsonBody(ProbeSchema, res, redactor);
      return 'ok';
    } catch {
      return 'inconclusive';
    }
  };
  const forced = options.apiMode && options.apiMode !== 'auto' ? options.apiMode : undefined;
  const resolver = new ApiModeResolver(tenant, probe, emit, forced);

  return {
    tenant,
    base,
    management,
    redactor,
    transport,
    resolver,
    emit,
    clock,
    api: (schema, build) => resolver.run(async (prefix) => parseJsonBody(schema, await transport.send(build(prefix)), redactor)),
  };
}
