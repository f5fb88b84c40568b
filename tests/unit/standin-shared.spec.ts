/**
 * The HTTP pieces both stand-ins are built from: the token bucket, fault injection, body reading,
 * the crash guard and prompt shutdown, and the rule that Authorization is never recorded.
 */
import { test, expect } from '../support/unit-test.js';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { bearerToken } from '../../helpers/standins/http/auth.js';
import { isJsonObject, parseJson, readBody } from '../../helpers/standins/http/body.js';
import { FaultInjector } from '../../helpers/standins/http/faults.js';
import { TokenBucketLimiter } from '../../helpers/standins/http/rate-limiter.js';
import { RequestLog, safeHeaders } from '../../helpers/standins/http/request-log.js';
import { sendJson } from '../../helpers/standins/http/respond.js';
import { startHttpServer } from '../../helpers/standins/http/server.js';

test.describe('token bucket', () => {
  test('allows a burst, then refuses with a whole-second Retry-After, then refills at the average rate', () => {
    let now = 0;
    const limiter = new TokenBucketLimiter({ perSecond: 2, burst: 3 }, () => now);
    expect([1, 2, 3].map(() => limiter.take('token').allowed)).toEqual([true, true, true]);
    const refused = limiter.take('token');
    expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 1, remaining: 0 });
    now += 499;
    expect(limiter.take('token').allowed).toBe(false);
    now += 1;
    expect(limiter.take('token').allowed).toBe(true);
  });

  test('keeps one bucket per key, and reset() refills them all', () => {
    const limiter = new TokenBucketLimiter({ perSecond: 1, burst: 1 }, () => 0);
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
    limiter.reset();
    expect(limiter.take('a').allowed).toBe(true);
  });

  test('a fractional rate gives a longer Retry-After', () => {
    const limiter = new TokenBucketLimiter({ perSecond: 0.25, burst: 1 }, () => 0);
    limiter.take('k');
    expect(limiter.take('k')).toMatchObject({ allowed: false, retryAfterSeconds: 4 });
  });

  test('reports limit, remaining and seconds to full, for ratelimit-* headers', () => {
    const limiter = new TokenBucketLimiter({ perSecond: 2, burst: 2 }, () => 0);
    expect(limiter.take('k')).toEqual({ allowed: true, limit: 2, remaining: 1, resetSeconds: 1 });
  });

  test('rejects a nonsensical configuration, naming the field', () => {
    expect(() => new TokenBucketLimiter({ perSecond: 0 })).toThrow(/rateLimit\.perSecond/);
    expect(() => new TokenBucketLimiter({ perSecond: 1, burst: 0.5 })).toThrow(/rateLimit\.burst/);
  });
});

test.describe('fault injector', () => {
  test('fails the next N matching calls and then stops, counting what it did', () => {
    const faults = new FaultInjector<{ route: string }>();
    const fault = faults.add({ kind: 503, times: 2, description: 'query', matches: (c) => c.route === 'query' });
    expect(faults.take({ route: 'other' })).toBeUndefined();
    expect(faults.take({ route: 'query' })).toBe(503);
    expect(fault.remaining).toBe(1);
    expect(faults.take({ route: 'query' })).toBe(503);
    expect(faults.take({ route: 'query' })).toBeUndefined();
    expect(fault).toMatchObject({ remaining: 0, triggered: 2 });
  });

  test('rules apply in the order they were added; clear() withdraws one; a throwing matcher matches nothing', () => {
    const faults = new FaultInjector<{ route: string }>();
    const first = faults.add({ kind: 500, description: 'first', matches: () => true });
    faults.add({ kind: 'hang', description: 'broken', matches: () => {
      throw new Error('boom');
    } });
    faults.add({ kind: 503, description: 'second', matches: () => true });
    first.clear();
    expect(faults.take({ route: 'x' })).toBe(503);
    expect(faults.pending().map((f) => f.description)).toEqual(['broken']);
  });

  test('rejects a bad spec, naming the field', () => {
    const faults = new FaultInjector<unknown>();
    expect(() => faults.add({ kind: 503, times: 0, description: 'q', matches: () => true })).toThrow(/times must be/);
    expect(() => faults.add({ kind: 404 as never, description: 'q', matches: () => true })).toThrow(/kind must be one of/);
  });
});

test.describe('request bodies', () => {
  test('parseJson never throws and isJsonObject accepts only plain objects', () => {
    expect(parseJson('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJson('{nope').ok).toBe(false);
    expect([{}, [], null, 'x', 1].map(isJsonObject)).toEqual([true, false, false, false, false]);
  });

  test('readBody returns the text under the limit and drains (does not keep) a body over it', async () => {
    const seen: unknown[] = [];
    const server = await startHttpServer({
      name: 'body test',
      handle: async (req, res) => {
        const read = await readBody(req, 10);
        seen.push(read.kind === 'ok' ? read.text : read.kind);
        sendJson(res, 200, { kind: read.kind });
      },
      onCrash: (res) => sendJson(res, 500, {}),
    });
    try {
      const small = await fetch(server.url, { method: 'POST', body: 'hello' });
      const big = await fetch(server.url, { method: 'POST', body: 'x'.repeat(50) });
      expect(await small.json()).toEqual({ kind: 'ok' });
      expect(await big.json()).toEqual({ kind: 'too_large' });
      expect(seen).toEqual(['hello', 'too_large']);
    } finally {
      await server.stop();
    }
  });
});

test.describe('server', () => {
  test('a handler that throws gets the service 500 and the server keeps serving', async () => {
    let calls = 0;
    const server = await startHttpServer({
      name: 'crash test',
      handle: async (_req, res) => {
        calls += 1;
        if (calls === 1) throw new Error('handler bug');
        sendJson(res, 200, { ok: true });
      },
      onCrash: (res) => sendJson(res, 500, { error: 'internal' }),
    });
    try {
      const first = await fetch(server.url);
      expect(first.status).toBe(500);
      expect(await first.json()).toEqual({ error: 'internal' });
      const second = await fetch(server.url);
      expect(second.status).toBe(200);
      expect(server.crashes()).toHaveLength(1);
    } finally {
      await server.stop();
    }
  });

  test('malformed HTTP gets a bare 400 without reaching the handler', async () => {
    let reached = false;
    const server = await startHttpServer({ name: 'garbage test', handle: async (_req, res) => {
      reached = true;
      sendJson(res, 200, {});
    }, onCrash: () => {} });
    try {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(server.port, '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
        let data = '';
        socket.on('data', (d) => (data += d.toString()));
        socket.on('close', () => resolve(data));
        socket.on('error', reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 400/);
      expect(reached).toBe(false);
      expect((await fetch(server.url)).status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  test('listens on a free port by default and stop() closes a hung connection promptly', async () => {
    const server = await startHttpServer({ name: 'hang test', handle: async () => {}, onCrash: () => {} });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const hung = new Promise<string>((resolve) => {
      const req = httpRequest(server.url, (res) => resolve(`status ${res.statusCode}`));
      req.on('error', (e) => resolve(`error ${e.message}`));
      req.end();
    });
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await server.stop();
    await server.stop();
    expect(Date.now() - started).toBeLessThan(500);
    expect(await hung).toMatch(/^error /);
  });

  test('a taken port is an error naming the stand-in and the address', async () => {
    const first = await startHttpServer({ name: 'first', handle: async () => {}, onCrash: () => {} });
    try {
      await expect(startHttpServer({ name: 'Second stand-in', port: first.port, handle: async () => {}, onCrash: () => {} })).rejects.toThrow(
        new RegExp(`Second stand-in: cannot listen on 127\\.0\\.0\\.1:${first.port}`),
      );
    } finally {
      await first.stop();
    }
  });
});

test.describe('credentials', () => {
  test('safeHeaders never copies Authorization, even when asked to', () => {
    const headers = { authorization: 'Bearer secret', 'notion-version': '2025-09-03', cookie: 'c' };
    expect(safeHeaders(headers, ['authorization', 'Authorization', 'cookie', 'notion-version'])).toEqual({ 'notion-version': '2025-09-03' });
  });

  test('bearerToken reads the Bearer scheme case-insensitively and nothing else', () => {
    expect(bearerToken({ authorization: 'Bearer abc' })).toBe('abc');
    expect(bearerToken({ authorization: 'bearer abc' })).toBe('abc');
    expect(bearerToken({ authorization: 'Basic abc' })).toBeUndefined();
    expect(bearerToken({ authorization: 'Bearer' })).toBeUndefined();
    expect(bearerToken({})).toBeUndefined();
  });

  test('the request log returns copies, so a test cannot edit history', () => {
    const log = new RequestLog();
    log.start('GET', '/x', {});
    log.all()[0]!.status = 999;
    expect(log.all()[0]!.status).toBe(0);
  });
});
