/**
 * A real HTTP server on loopback that answers like Kestra's flow endpoints, from recorded JSON in
 * fixtures/lint/server/ — for server-mode tests of the linter (not a mock of the linter's code).
 *   POST /api/v1/{tenant}/flows/validate → validate/<flow id>.json (a clean answer when none)
 *   GET  /api/v1/plugins/schemas/flow     → flow-schema.json
 *   GET  /api/v1/{tenant}/executions/search → an empty PagedResults (the route the Kestra client
 *        probes to tell the tenant API from the tenant-less one of versions before 0.23)
 * `tenantless`: the routes above without the `{tenant}` segment (and 404 with it).
 * With `credentials`, every request needs that basic-auth login (401 otherwise).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';

export interface RecordedKestra {
  url: string;
  /** Requests received, as `METHOD path`. */
  requests: string[];
  stop(): Promise<void>;
}

export async function startRecordedKestra(opts: { fixturesDir: string; credentials?: { username: string; password: string }; tenantless?: boolean }): Promise<RecordedKestra> {
  const requests: string[] = [];
  const send = (res: ServerResponse, status: number, body: string): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0]!;
      requests.push(`${req.method} ${path}`);
      if (opts.credentials) {
        const expected = `Basic ${Buffer.from(`${opts.credentials.username}:${opts.credentials.password}`).toString('base64')}`;
        if (req.headers.authorization !== expected) return send(res, 401, JSON.stringify({ message: 'Unauthorized' }));
      }
      const validate = opts.tenantless ? /^\/api\/v1\/flows\/validate$/ : /^\/api\/v1\/[a-z0-9_-]+\/flows\/validate$/;
      if (req.method === 'POST' && validate.test(path)) {
        const body = Buffer.concat(chunks).toString('utf8');
        const id = /^id:\s*["']?([^"'\s#]+)/m.exec(body)?.[1] ?? '';
        const namespace = /^namespace:\s*["']?([^"'\s#]+)/m.exec(body)?.[1] ?? '';
        const file = join(opts.fixturesDir, 'validate', `${id}.json`);
        if (existsSync(file)) return send(res, 200, readFileSync(file, 'utf8'));
        return send(res, 200, JSON.stringify([{ flow: id, namespace, index: 0, outdated: false, deprecationPaths: [], warnings: [], infos: [] }]));
      }
      const search = opts.tenantless ? /^\/api\/v1\/executions\/search$/ : /^\/api\/v1\/[a-z0-9_-]+\/executions\/search$/;
      if (req.method === 'GET' && search.test(path)) return send(res, 200, JSON.stringify({ results: [], total: 0 }));
      if (req.method === 'GET' && path === '/api/v1/plugins/schemas/flow') return send(res, 200, readFileSync(join(opts.fixturesDir, 'flow-schema.json'), 'utf8'));
      send(res, 404, JSON.stringify({ message: `Page Not Found: ${path}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
