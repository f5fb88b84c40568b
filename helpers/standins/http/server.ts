/**
 * A real `node:http` server on a free port (127.0.0.1 by default) with a crash guard: a handler
 * that throws or rejects gets the service's 500 body and the server keeps serving; a malformed
 * HTTP request gets a bare 400 and never reaches the handler. `stop()` cuts every open socket —
 * keep-alive and hung ones included — so it returns promptly.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface HttpServerOptions {
  /** Used in error messages, e.g. 'Notion stand-in'. */
  name: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1; use 0.0.0.0 to let a container reach the stand-in. */
  host?: string;
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** Answers an unexpected exception in the service's own 500 shape (only called before headers are sent). */
  onCrash: (res: ServerResponse, error: unknown) => void;
}

export interface RunningServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  /** Closes the server and every socket; resolves when it is closed. Safe to call twice. */
  stop(): Promise<void>;
  /** Exceptions the crash guard caught, newest last (for tests that prove nothing crashed). */
  crashes(): unknown[];
}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningServer> {
  const sockets = new Set<Socket>();
  const crashes: unknown[] = [];
  const server = createServer((req, res) => {
    Promise.resolve()
      .then(() => options.handle(req, res))
      .catch((error: unknown) => {
        crashes.push(error);
        if (res.headersSent || res.destroyed) {
          res.destroy();
          return;
        }
        try {
          options.onCrash(res, error);
        } catch {
          res.destroy();
        }
      });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(new Error(`${options.name}: cannot listen on ${host}:${options.port ?? 0} — ${error.message}`));
    server.once('error', onError);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

  let stopping: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    crashes: () => [...crashes],
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
      return stopping;
    },
  };
}
