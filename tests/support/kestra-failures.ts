/**
 * The errors the Kestra client really raises when the infrastructure misbehaves — produced by the
 * real client (helpers/clients/kestra) against a loopback server that answers 503 / 429 / "still RUNNING",
 * and against a closed port. The report's categories are tested against exactly these messages
 * (tests/unit/report-categories.spec.ts, fixtures/report/report-fixture.spec.ts).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

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

const ALL_KINDS: readonly KestraFailureKind[] = ['timeout', 'childrenTimeout', 'requestTimeout', 'http503', 'http500', 'http429', 'refused'];

/**
 * One real error per kind of infrastructure trouble asked for (all by default; ~100 ms). The client
 * loads on first use: a fixture worker that needs one kind pays for no more.
 */
export async function realKestraFailures<K extends KestraFailureKind = KestraFailureKind>(kinds: readonly K[] = ALL_KINDS as readonly K[]): Promise<Record<K, Error>> {
  const { createKestraClient } = await import('../../helpers/clients/kestra/index.js');
  const server = await startServer();
  const port = (server.address() as AddressInfo).port;
  const options = { apiMode: 'tenant' as const, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 }, timeoutMs: 2_000 };
  const kestra = createKestraClient({ baseUrl: `http://127.0.0.1:${port}`, ...options });
  const poll = { initialDelayMs: 5, maxDelayMs: 5 };
  const live: Record<Exclude<KestraFailureKind, 'refused'>, () => Promise<unknown>> = {
    timeout: () => kestra.waitForTerminal('4XaZrunning', { deadlineMs: 30, ...poll }),
    childrenTimeout: () => kestra.waitForChildren('4XaZparent', { atLeast: 3, deadlineMs: 30, ...poll }),
    requestTimeout: () => createKestraClient({ baseUrl: `http://127.0.0.1:${port}`, ...options, timeoutMs: 40 }).getExecution('hang'),
    http503: () => kestra.getExecution('e503'),
    http500: () => kestra.getExecution('e500'),
    http429: () => kestra.getExecution('e429'),
  };
  try {
    const errors = Object.fromEntries(await Promise.all(
      kinds.filter((k): k is K & keyof typeof live => k !== 'refused').map(async (k) => [k, await caught(live[k]())] as const),
    )) as Record<K, Error>;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if ((kinds as readonly KestraFailureKind[]).includes('refused')) {
      // The same port, now closed: nothing listens there.
      const closed = createKestraClient({ baseUrl: `http://127.0.0.1:${port}`, ...options });
      (errors as Record<KestraFailureKind, Error>).refused = await caught(closed.getExecution('any'));
    }
    return errors;
  } finally {
    server.close();
  }
}
