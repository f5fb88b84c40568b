/**
 * The resend-send-email flow against a scripted Resend (a real HTTP server on loopback answering a
 * fixed sequence), on the Kestra stand-in: which answers are retried and which end the send at once.
 * Expectations from https://resend.com/docs/api-reference/errors — 429 rate_limit_exceeded and 409
 * concurrent_idempotent_requests ("Try the request again later") are transient; 409
 * invalid_idempotent_request ("Change your idempotency key or payload") and 422 can never succeed as sent.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '../support/unit-test.js';
import { secretEnv, startKestraStandin } from '../../helpers/standins/kestra/index.js';

interface Scripted {
  status: number;
  body: Record<string, unknown>;
}

async function scriptedResend(answers: Scripted[]): Promise<{ url: string; calls: () => number; close: () => Promise<void> }> {
  let calls = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const answer = answers[Math.min(calls, answers.length - 1)]!;
      calls++;
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls: () => calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const OK: Scripted = { status: 200, body: { id: '4ef9a417-02e9-4d39-ad75-9611e0fcc33c' } };
const err = (status: number, name: string, message: string): Scripted => ({ status, body: { statusCode: status, name, message } });
const CONCURRENT = err(409, 'concurrent_idempotent_requests', 'Same idempotency key used while original request is still in progress.');
const INVALID = err(409, 'invalid_idempotent_request', 'Same idempotency key used with a different request payload.');

async function send(answers: Scripted[]) {
  const resend = await scriptedResend(answers);
  const kestra = await startKestraStandin({ env: { ...secretEnv({ RESEND_API_KEY: 're_test' }), ENV_RESEND_API_URL: resend.url }, retryDelayScale: 0.001 });
  try {
    const started = kestra.run('christmas.tasks', 'resend-send-email', {
      to: 'lengobaosang@gmail.com', subject: 's', html: '<p>h</p>', idempotency_key: 'noshow-1-lengobaosang@gmail.com', sequence_type: 'noshow', email_number: 1,
    });
    await kestra.settle();
    const exec = kestra.execution(started.id)!;
    return { exec, calls: resend.calls(), logs: kestra.logs(exec.id).map((l) => l.message) };
  } finally {
    await kestra.stop();
    await resend.close();
  }
}

test('200 at once: one call, the id is the output', async () => {
  const { exec, calls } = await send([OK]);
  expect(exec.state.current).toBe('SUCCESS');
  expect(calls).toBe(1);
  expect(exec.outputs.resend_id).toBe(OK.body.id);
});

for (const [name, transient] of [['429 rate_limit_exceeded', err(429, 'rate_limit_exceeded', 'Too many requests.')], ['500', err(500, 'internal_server_error', 'x')], ['409 concurrent_idempotent_requests', CONCURRENT]] as const) {
  test(`${name} is transient: retried until Resend answers 200, and the id is the output`, async () => {
    const { exec, calls } = await send([transient, transient, OK]);
    expect(exec.state.current).toBe('SUCCESS');
    expect(calls).toBe(3);
    expect(exec.outputs.resend_id).toBe(OK.body.id);
  });
}

for (const [name, refusal] of [['409 invalid_idempotent_request', INVALID], ['422 validation_error', err(422, 'validation_error', 'Invalid `to` field.')], ['403 invalid_api_key', err(403, 'invalid_api_key', 'API key is invalid.')]] as const) {
  test(`${name} can never succeed: one call, no retry, FAILED naming the answer`, async () => {
    const { exec, calls, logs } = await send([refusal, OK]);
    expect(calls).toBe(1);
    expect(exec.state.current).toBe('FAILED');
    expect(logs.some((m) => m.includes(`HTTP ${refusal.status}`) && m.includes(String(refusal.body.name)))).toBe(true);
  });
}
