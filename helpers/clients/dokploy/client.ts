/**
 * A small Dokploy API client — just what the deploy gate needs.
 *
 *   const dokploy = createDokployClient({ baseUrl: 'https://dokploy.example.com', apiKey });
 *   const done = await dokploy.deployAndWait(composeId, { timeoutMs: 15 * 60_000 });
 *
 * API (Dokploy exposes its tRPC procedures as REST under /api, key in the `x-api-key` header):
 *   POST /api/compose.deploy                {composeId, title?, description?}
 *        → queues a deployment; answers `{success, message, composeId}` (self-hosted), `true`
 *          (cloud) or nothing on older versions — never the deployment's id.
 *   GET  /api/deployment.allByCompose?composeId=…
 *        → the compose's deployments, newest first: {deploymentId, title, status, createdAt,
 *          startedAt?, finishedAt?, errorMessage?, …}; status "running" | "done" | "error".
 * So deployAndWait lists the deployments first, triggers, then waits for a deployment that was
 * not in the first list and follows it until it is no longer "running".
 *
 * Guarantees: responses are zod-validated (one DokployResponseShapeError naming endpoint and
 * problem); the API key never appears in an error or progress event; GETs are retried on network
 * errors, 5xx and 429 (bounded); compose.deploy is never retried (a retry could deploy twice).
 */
import { request, type Dispatcher } from 'undici';
import { oneLine, Redactor } from '../redact.js';
import {
  DokployDeploymentFailedError, DokployError, DokployHttpError, DokployNetworkError, DokployResponseShapeError,
  DokployTimeoutError, DokployUsageError,
} from './errors.js';
import { DeploymentListSchema, ErrorBodySchema, type Deployment } from './schemas.js';

export interface DokployClientOptions {
  /** The panel's URL, e.g. https://dokploy.example.com (a trailing /api is accepted). */
  baseUrl: string;
  apiKey: string;
  /** undici dispatcher (tests may pass one). Default: the global dispatcher. */
  dispatcher?: Dispatcher;
  /** Per request. Default 30 000. */
  requestTimeoutMs?: number;
  /** Attempts for GETs (network error, 5xx, 429). Default 3. */
  getAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export type DokployProgress =
  | { type: 'triggered'; composeId: string; knownDeployments: number }
  | { type: 'waiting-for-deployment'; composeId: string; elapsedMs: number }
  | { type: 'deployment'; composeId: string; deploymentId: string; status: string; elapsedMs: number };

export interface DeployAndWaitOptions {
  /** Give up after this long (from the trigger). Default 15 minutes. */
  timeoutMs?: number;
  /** Between status polls. Default 5 000. */
  pollIntervalMs?: number;
  /** Give up when no new deployment has appeared after this long. Default: min(timeoutMs, 10 minutes). */
  appearTimeoutMs?: number;
  /** Shown in Dokploy's deployment list. */
  title?: string;
  description?: string;
  onProgress?: (event: DokployProgress) => void;
}

export interface DeployOutcome {
  deployment: Deployment;
  durationMs: number;
}

export interface DokployClient {
  /** Without credentials. */
  readonly baseUrl: string;
  deployCompose(composeId: string, opts?: { title?: string; description?: string }): Promise<void>;
  deploymentsByCompose(composeId: string): Promise<Deployment[]>;
  deployAndWait(composeId: string, opts?: DeployAndWaitOptions): Promise<DeployOutcome>;
}

const DEFAULT_TIMEOUT_MS = 15 * 60_000;
const DEFAULT_POLL_MS = 5_000;
/** Dokploy runs one deployment at a time: ours may wait behind one already running. */
const DEFAULT_APPEAR_MS = 10 * 60_000;

function parseBase(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DokployUsageError(`Dokploy base URL "${raw}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new DokployUsageError(`Dokploy base URL must be http(s), got ${url.protocol}`);
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  url.pathname = url.pathname.replace(/\/+$/, '').replace(/\/api$/, '');
  return url;
}

function requireId(value: string, what: string): void {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]{1,128}$/.test(value)) throw new DokployUsageError(`${what} must be a Dokploy id (letters, digits, _ and -), got "${String(value)}"`);
}

function errorExcerpt(text: string): string {
  try {
    const parsed = ErrorBodySchema.safeParse(JSON.parse(text));
    if (parsed.success && parsed.data.message) return parsed.data.message;
  } catch {
    /* not JSON */
  }
  return text;
}

function hintFor(status: number): string | undefined {
  if (status === 401 || status === 403) return 'check DOKPLOY_API_KEY (sent as x-api-key) and that its user may deploy this compose';
  if (status === 404) return 'check DOKPLOY_URL (the panel URL; the API lives under /api) and DOKPLOY_COMPOSE_ID';
  return undefined;
}

function newest(deployments: readonly Deployment[]): Deployment | undefined {
  return [...deployments].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.createdAt.localeCompare(a.createdAt))[0];
}

export function createDokployClient(options: DokployClientOptions): DokployClient {
  if (!options.apiKey) throw new DokployUsageError('Dokploy API key is empty');
  const base = parseBase(options.baseUrl);
  const redactor = new Redactor();
  redactor.add(options.apiKey);
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const getAttempts = Math.max(1, options.getAttempts ?? 3);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;

  const urlFor = (procedure: string, query?: Record<string, string>) => {
    const url = new URL(base.toString());
    url.pathname = `${base.pathname.replace(/\/+$/, '')}/api/${procedure}`;
    url.search = query ? `?${new URLSearchParams(query).toString()}` : '';
    return url;
  };

  async function send(method: 'GET' | 'POST', procedure: string, opts: { query?: Record<string, string>; body?: unknown } = {}): Promise<string> {
    const url = urlFor(procedure, opts.query);
    const shown = redactor.url(url);
    const attempts = method === 'GET' ? getAttempts : 1;
    for (let attempt = 1; ; attempt++) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), requestTimeoutMs);
      timer.unref?.();
      let status: number;
      let text: string;
      try {
        const res = await request(url, {
          method,
          headers: {
            accept: 'application/json',
            'x-api-key': options.apiKey,
            'user-agent': 'kestra-campaign-harness',
            ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
          signal: controller.signal,
          ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
        });
        status = res.statusCode;
        text = await res.body.text();
      } catch (err) {
        const code = controller.signal.aborted ? 'REQUEST_TIMEOUT' : ((err as { code?: string }).code ?? 'NETWORK_ERROR');
        if (attempt < attempts) {
          await sleep(Math.min(4_000, 250 * 2 ** (attempt - 1)));
          continue;
        }
        throw new DokployNetworkError(method, shown, code, redactor.text(oneLine((err as Error).message ?? '', 160)));
      } finally {
        clearTimeout(timer);
      }
      if (status >= 200 && status < 300) return text;
      if ((status >= 500 || status === 429) && attempt < attempts) {
        await sleep(Math.min(4_000, 250 * 2 ** (attempt - 1)));
        continue;
      }
      throw new DokployHttpError(status, method, shown, redactor.text(oneLine(errorExcerpt(text), 240)), hintFor(status));
    }
  }

  async function deploymentsByCompose(composeId: string): Promise<Deployment[]> {
    requireId(composeId, 'compose id');
    const endpoint = '/api/deployment.allByCompose';
    const text = await send('GET', 'deployment.allByCompose', { query: { composeId } });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new DokployResponseShapeError('GET', endpoint, `not JSON: ${redactor.text(oneLine(text, 120))}`);
    }
    const parsed = DeploymentListSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new DokployResponseShapeError('GET', endpoint, `${issue?.path.join('.') || '(root)'} ${issue?.message ?? 'is invalid'}`);
    }
    return parsed.data;
  }

  async function deployCompose(composeId: string, opts: { title?: string; description?: string } = {}): Promise<void> {
    requireId(composeId, 'compose id');
    await send('POST', 'compose.deploy', {
      body: { composeId, ...(opts.title ? { title: opts.title } : {}), ...(opts.description ? { description: opts.description } : {}) },
    });
  }

  async function deployAndWait(composeId: string, opts: DeployAndWaitOptions = {}): Promise<DeployOutcome> {
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const pollMs = Math.max(1, opts.pollIntervalMs ?? DEFAULT_POLL_MS);
    const appearMs = Math.min(timeoutMs, opts.appearTimeoutMs ?? DEFAULT_APPEAR_MS);
    const report = opts.onProgress ?? (() => {});

    const before = new Set((await deploymentsByCompose(composeId)).map((d) => d.deploymentId));
    await deployCompose(composeId, { ...(opts.title ? { title: opts.title } : {}), ...(opts.description ? { description: opts.description } : {}) });
    const started = now();
    report({ type: 'triggered', composeId, knownDeployments: before.size });

    let followed: Deployment | undefined;
    for (;;) {
      const elapsed = now() - started;
      if (!followed && elapsed >= appearMs) {
        throw new DokployTimeoutError(
          `no new deployment of compose ${composeId} appeared within ${Math.round(appearMs / 1000)} s of compose.deploy — is the Dokploy queue stuck, or the compose id wrong?`,
          composeId, appearMs,
        );
      }
      if (followed && elapsed >= timeoutMs) {
        throw new DokployTimeoutError(
          `Dokploy deployment ${followed.deploymentId} of compose ${composeId} still "${followed.status}" after ${Math.round(timeoutMs / 1000)} s — timed out`,
          composeId, timeoutMs, followed.deploymentId, followed.status,
        );
      }
      await sleep(Math.min(pollMs, Math.max(1, (followed ? timeoutMs : appearMs) - elapsed)));
      const list = await deploymentsByCompose(composeId);
      const fresh = followed ? list.find((d) => d.deploymentId === followed!.deploymentId) : newest(list.filter((d) => !before.has(d.deploymentId)));
      if (!fresh) {
        if (followed) throw new DokployResponseShapeError('GET', '/api/deployment.allByCompose', `deployment ${followed.deploymentId} disappeared from the list`);
        report({ type: 'waiting-for-deployment', composeId, elapsedMs: now() - started });
        continue;
      }
      followed = fresh;
      report({ type: 'deployment', composeId, deploymentId: fresh.deploymentId, status: fresh.status, elapsedMs: now() - started });
      if (fresh.status === 'running') continue;
      if (fresh.status === 'done') return { deployment: fresh, durationMs: now() - started };
      throw new DokployDeploymentFailedError(composeId, fresh.deploymentId, fresh.status, fresh.errorMessage ? redactor.text(oneLine(fresh.errorMessage, 300)) : undefined, fresh.title ?? undefined);
    }
  }

  return { baseUrl: redactor.url(base).replace(/\/$/, ''), deployCompose, deploymentsByCompose, deployAndWait };
}

export { DokployError };
