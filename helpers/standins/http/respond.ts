/** Writing JSON responses. Every stand-in answer goes through here, so none is ever written twice. */
import type { ServerResponse } from 'node:http';

export type Headers = Record<string, string | number>;

/** Sends `body` as JSON; a no-op (returning false) when the response was already sent or the socket is gone. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Headers = {}): boolean {
  if (res.headersSent || res.writableEnded || res.destroyed) return false;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
  return true;
}

export function sendEmpty(res: ServerResponse, status: number, headers: Headers = {}): boolean {
  if (res.headersSent || res.writableEnded || res.destroyed) return false;
  res.writeHead(status, { 'content-length': 0, ...headers });
  res.end();
  return true;
}
