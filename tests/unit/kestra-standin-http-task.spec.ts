/**
 * The stand-in's HTTP Request task on redirects, which it follows itself (http-task.ts): the way a
 * browser's fetch and Kestra's HTTP client (Apache HttpClient 5, DefaultRedirectStrategy) do —
 * 301/302 after a POST and 303 become a GET without the body, 307/308 keep method and body, a hop to
 * another origin drops Authorization; with followRedirects false the 3xx itself is the answer.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, expect } from '../support/unit-test.js';
import { runHttpRequest, type HttpTaskRequest } from '../../helpers/standins/kestra/http-task.js';

interface Seen {
  method: string;
  path: string;
  body: string;
  authorization?: string;
  contentType?: string;
}

/** A loopback server: /to/<status>?next=<url> redirects, /loop redirects to itself, anything else echoes what it received. */
async function startServer(seen: Seen[]): Promise<{ server: Server; url: string }> {
  const server = createServer(async (req: IncomingMessage, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const url = new URL(req.url ?? '/', 'http://x');
    seen.push({ method: req.method!, path: url.pathname, body, authorization: req.headers.authorization, contentType: req.headers['content-type'] });
    if (url.pathname === '/loop') {
      res.writeHead(307, { location: '/loop' });
      return void res.end();
    }
    const redirect = /^\/to\/(\d{3})$/.exec(url.pathname);
    if (redirect) {
      res.writeHead(Number(redirect[1]), { location: url.searchParams.get('next') ?? '/end' });
      return void res.end();
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`${req.method} ${body}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const post = (uri: string, extra: Partial<HttpTaskRequest> = {}): HttpTaskRequest => ({
  uri, method: 'POST', body: '{"a":1}', contentType: 'application/json', headers: { authorization: 'Bearer t' },
  allowFailed: false, timeoutMs: 5_000, followRedirects: true, ...extra,
});

test('redirects: 302 after POST and 303 become a GET without body; 307 and 308 keep both; 3xx answered as is when not followed', async () => {
  const seen: Seen[] = [];
  const { server, url } = await startServer(seen);
  try {
    for (const status of [301, 302, 303]) {
      seen.length = 0;
      const out = await runHttpRequest(post(`${url}/to/${status}`));
      expect([out.code, out.body], `${status}`).toEqual([200, 'GET ']);
      expect(seen[1], `${status}`).toMatchObject({ method: 'GET', path: '/end', body: '', authorization: 'Bearer t', contentType: undefined });
    }
    for (const status of [307, 308]) {
      seen.length = 0;
      const out = await runHttpRequest(post(`${url}/to/${status}`));
      expect([out.code, out.body], `${status}`).toEqual([200, 'POST {"a":1}']);
      expect(seen[1], `${status}`).toMatchObject({ method: 'POST', path: '/end', contentType: 'application/json' });
    }
    seen.length = 0;
    const unfollowed = await runHttpRequest(post(`${url}/to/302`, { followRedirects: false }));
    expect([unfollowed.code, unfollowed.headers.location]).toEqual([302, ['/end']]);
    expect(seen).toHaveLength(1);
  } finally {
    server.close();
  }
});

test('redirects: a hop to another origin drops Authorization; a loop ends in a failed request', async () => {
  const seen: Seen[] = [];
  const first = await startServer(seen);
  const other = await startServer(seen);
  try {
    const out = await runHttpRequest(post(`${first.url}/to/307?next=${encodeURIComponent(`${other.url}/end`)}`));
    expect(out.code).toBe(200);
    expect(seen.map((s) => s.authorization)).toEqual(['Bearer t', undefined]);
    seen.length = 0;
    await expect(runHttpRequest(post(`${first.url}/loop`))).rejects.toThrow(/redirect count exceeded/);
    expect(seen).toHaveLength(21); // the request and 20 redirects, as fetch allows
  } finally {
    first.server.close();
    other.server.close();
  }
});
