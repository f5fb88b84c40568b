/**
 * Dokploy stand-in: a real HTTP server on 127.0.0.1 answering the two procedures the gate calls,
 * with Dokploy's shapes, so the client and the gate are tested over real HTTP.
 *
 *   const dokploy = await startDokployStandin({ outcome: 'done', runningPolls: 2 });
 *   createDokployClient({ baseUrl: dokploy.url, apiKey: dokploy.apiKey });
 *   dokploy.requests();   // every request, in order (the API key is recorded as present/absent only)
 *   await dokploy.stop();
 *
 * Routes (need `x-api-key`; a wrong or missing key → 401 {message: "Unauthorized"}, no `code`: Dokploy's
 * API handler refuses it before tRPC runs — apps/dokploy/pages/api/[...trpc].ts, v0.30.2):
 *   POST /api/compose.deploy              {composeId} → {success, message, composeId}; unknown id → 404
 *   GET  /api/deployment.allByCompose?composeId=…   newest first; unknown id → 200 [] (a plain
 *        `where composeId = …` query: packages/server/src/services/deployment.ts, v0.30.2)
 * Anything else → 404 {message: "Not found", code: "NOT_FOUND"}.
 *
 * Outcomes of a triggered deployment:
 *   'done' / 'error' / 'cancelled'   "running" for `runningPolls` list calls, then that status (+ errorMessage for error)
 *   'hang'             "running" forever
 *   'never-appears'    the deploy is accepted but no deployment record ever shows up
 * Seeded with fixtures/dokploy/deployments-by-compose.json (older deployments of the compose).
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { startHttpServer } from '../http/server.js';

export const DOKPLOY_STANDIN_API_KEY = 'dokploy_standin_key';
export const DOKPLOY_STANDIN_COMPOSE_ID = 'cmp_kestra_campaign';
const SEED = fileURLToPath(new URL('../../../fixtures/dokploy/deployments-by-compose.json', import.meta.url));

export type DokployStandinOutcome = 'done' | 'error' | 'cancelled' | 'hang' | 'never-appears';

export interface DokployStandinOptions {
  outcome?: DokployStandinOutcome;
  /** List calls that still see the new deployment "running" before it ends (default 1). */
  runningPolls?: number;
  errorMessage?: string;
  apiKey?: string;
  composeId?: string;
  /** Answer every request with this status (e.g. 500) instead. */
  failWith?: number;
}

export interface RecordedDokployRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  apiKey: 'valid' | 'invalid' | 'missing';
  body: unknown;
}

export interface DokployStandin {
  readonly url: string;
  readonly apiKey: string;
  readonly composeId: string;
  requests(): RecordedDokployRequest[];
  stop(): Promise<void>;
}

interface Row {
  deploymentId: string;
  title: string;
  description: string;
  status: string;
  composeId: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  errorMessage: string | null;
  logPath: string;
  polls: number;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startDokployStandin(options: DokployStandinOptions = {}): Promise<DokployStandin> {
  const apiKey = options.apiKey ?? DOKPLOY_STANDIN_API_KEY;
  const composeId = options.composeId ?? DOKPLOY_STANDIN_COMPOSE_ID;
  const outcome = options.outcome ?? 'done';
  const runningPolls = options.runningPolls ?? 1;
  const recorded: RecordedDokployRequest[] = [];
  const rows: Row[] = (JSON.parse(readFileSync(SEED, 'utf8')) as Row[]).map((r) => ({ ...r, composeId, polls: 0 }));
  let counter = 0;

  const server = await startHttpServer({
    name: 'Dokploy stand-in',
    onCrash: (res) => send(res, 500, { message: 'Internal server error', code: 'INTERNAL_SERVER_ERROR' }),
    handle: async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://dokploy.standin');
      const text = await readBody(req);
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      const presented = req.headers['x-api-key'];
      const key = presented === undefined ? 'missing' : presented === apiKey ? 'valid' : 'invalid';
      recorded.push({ method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), apiKey: key, body });

      if (options.failWith) return send(res, options.failWith, { message: `stand-in answers ${options.failWith}`, code: 'INTERNAL_SERVER_ERROR' });
      if (key !== 'valid') return send(res, 401, { message: 'Unauthorized' });

      if (req.method === 'POST' && url.pathname === '/api/compose.deploy') {
        const id = (body as { composeId?: unknown } | undefined)?.composeId;
        if (id !== composeId) return send(res, 404, { message: 'Compose not found', code: 'NOT_FOUND' });
        if (outcome !== 'never-appears') {
          counter += 1;
          const created = new Date(Date.now() + counter).toISOString();
          rows.unshift({
            deploymentId: `dpl_standin_${String(counter).padStart(4, '0')}`,
            title: (body as { title?: string }).title ?? 'Manual deployment',
            description: (body as { description?: string }).description ?? '',
            status: 'running',
            composeId,
            createdAt: created,
            startedAt: created,
            finishedAt: null,
            errorMessage: null,
            logPath: `/etc/dokploy/logs/kestra/${counter}.log`,
            polls: 0,
          });
        }
        return send(res, 200, { success: true, message: 'Deployment queued', composeId });
      }
      if (req.method === 'GET' && url.pathname === '/api/deployment.allByCompose') {
        if (url.searchParams.get('composeId') !== composeId) return send(res, 200, []);
        for (const row of rows) {
          if (row.status !== 'running') continue;
          row.polls += 1;
          if (outcome === 'hang' || row.polls <= runningPolls) continue;
          row.status = outcome === 'error' || outcome === 'cancelled' ? outcome : 'done';
          row.finishedAt = new Date().toISOString();
          if (outcome === 'error') row.errorMessage = options.errorMessage ?? 'service "kestra" failed to build: exit code 1';
        }
        return send(res, 200, rows.map(({ polls: _polls, ...row }) => ({ ...row, pid: null, applicationId: null, serverId: null })));
      }
      return send(res, 404, { message: 'Not found', code: 'NOT_FOUND' });
    },
  });

  return {
    url: server.url,
    apiKey,
    composeId,
    requests: () => recorded.map((r) => ({ ...r })),
    stop: () => server.stop(),
  };
}
