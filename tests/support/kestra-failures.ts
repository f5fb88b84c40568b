/**
 * The errors the Kestra client really raises when the infrastructure misbehaves — produced by the
 * real client (helpers/clients/kestra) against a loopback server that answers 503 / 429 / "still RUNNING",
 * and against a closed port. The report's categories are tested against exactly these messages
 * (tests/unit/report-categories.spec.ts, fixtures/report/report-fixture.spec.ts).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createKestraClient } from '../../helpers/clients/kestra/index.js';

export type KestraFailureKind = 'timeout' | 'childrenTimeout' | 'requestTimeout' | 'http503' | 'http500' | 'http429' | 'refused';

function execution(id: string) {
  return {
    id,
    namespace: 'christmas.handlers',
    flowId: 'assessment-handler',
    flowRevision: 1,
    state: { current: 'RUNNING', histories: [{ state: 'RUNNING', date: new Date().toISOString() }], startDate: new Date().toISOString() },
    taskRunList: [],
    labels: [],
  };
}

function startServer(): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname.endsWith('/executions/search')) return send(200, { results: [], total: 0 });
    const id = url.pathname.split('/').pop() ?? '';
    if (id === 'e503') return send(503, { message: 'Service Unavailable' });
    if (id === 'e500') return send(500, { message: 'Internal Server Error' });
    if (id === 'e429') return send(429, { message: 'Too Many Requests' });
    if (id === 'hang') return; // never answers: the client's per-attempt timeout fires
    return send(200, execution(id));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function caught(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

/** One real error per kind of infrastructure trouble (takes ~100 ms). */
export async function realKestraFailures(): Promise<Record<KestraFailureKind, Error>> {
  const server = await startServer();
  const port = (server.address() as AddressInfo).port;
  const options = { apiMode: 'tenant' as const, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 }, timeoutMs: 2_000 };
  const kestra = createKestraClient({ baseUrl: `http://127.0.0.1:${port}`, ...options });
  const poll = { initialDelayMs: 5, maxDelayMs: 5 };
  try {
    const hanging = createKestraClient({ baseUrl: `http://127.0.0.1:${port}`, ...options, timeoutMs: 40 });
    const [timeout, childrenTimeout, requestTimeout, http503, http500, http429] = await Promise.all([
      caught(kestra.waitForTerminal('4XaZrunning', { deadlineMs: 30, ...poll })),
      caught(kestra.waitForChildren('4XaZparent', { atLeast: 3, deadlineMs: 30, ...poll })),
      caught(hanging.getExecution('hang')),
      caught(kestra.getExecution('e503')),
      caught(kestra.getExecution('e500')),
      caught(kestra.getExecution('e429')),
    ]);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const closed = createKestraClient({ baseUrl: `http://127.0.0.1:${port}`, ...options });
    const refused = await caught(closed.getExecution('any'));
    return { timeout, childrenTimeout, requestTimeout, http503, http500, http429, refused };
  } finally {
    server.close();
  }
}
