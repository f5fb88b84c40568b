/**
 * The Kestra stand-in's engine on small synthetic flows (fixtures/kestra-standin): one behaviour
 * per test, each naming the Kestra source it follows where that is not obvious.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test as base, expect } from '../support/unit-test.js';
import { allStandinFixtureFlows } from '../support/kestra-standin-flows.js';
import { resolveInputs } from '../../helpers/standins/kestra/inputs.js';
import type { InputDef } from '../../helpers/standins/kestra/flow.js';
import { secretEnv, startKestraStandin, type ExecutionJson, type KestraStandin } from '../../helpers/standins/kestra/index.js';

const START = new Date('2025-12-01T09:00:00Z');
const HOOK_KEY = 'hook-key-123';
const RAW_KEY = 'raw-key-456';

const test = base.extend<{ kestra: KestraStandin }>({
  kestra: async ({}, use) => {
    const kestra = await startKestraStandin({
      flows: allStandinFixtureFlows(),
      env: { ...secretEnv({ HOOK_KEY, RAW_KEY, API_TOKEN: 's3cr3t' }), ENV_TARGET_NAME: 'stand-in', ENV_MIXED_Case: 'lower' },
      auth: false,
      startAt: START,
      retryDelayScale: 0.001,
    });
    await use(kestra);
    expect(kestra.crashes(), 'the stand-in never crashes').toEqual([]);
    await kestra.stop();
  },
});

const WEBHOOK = '/api/v1/main/executions/webhook/standin.test';

async function post(kestra: KestraStandin, path: string, body: unknown, init: { contentType?: string; method?: string; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${kestra.url}${path}`, {
    method: init.method ?? 'POST',
    headers: { 'content-type': init.contentType ?? 'application/json', ...init.headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, text, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

async function runToEnd(kestra: KestraStandin, flowId: string, inputs: Record<string, unknown> = {}): Promise<ExecutionJson> {
  const started = kestra.run('standin.test', flowId, inputs);
  await kestra.settle();
  return kestra.execution(started.id)!;
}

function deployAndRun(kestra: KestraStandin, yaml: string, inputs: Record<string, unknown> = {}) {
  const flow = kestra.deploy(yaml);
  return runToEnd(kestra, flow.id, inputs);
}

const taskRun = (e: ExecutionJson, taskId: string) => e.taskRunList.find((t) => t.taskId === taskId);
const taskStates = (e: ExecutionJson) => Object.fromEntries(e.taskRunList.map((t) => [t.taskId, t.state.current]));
const historyOf = (s: { histories: { state: string }[] }) => s.histories.map((h) => h.state);
const runningAt = (e: ExecutionJson) => e.state.histories.find((h) => h.state === 'RUNNING')?.date;

/** A local HTTP server the HTTP Request task can call; `answer` decides each response. */
async function startTarget(answer: (req: IncomingMessage, body: string, n: number) => { status: number; body?: string; headers?: Record<string, string> } | 'hang') {
  const seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const a = answer(req, body, seen.length);
      if (a === 'hang') return;
      res.writeHead(a.status, { 'content-type': 'application/json', 'x-server': 'target', ...a.headers });
      res.end(a.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

const flow = (id: string, body: string) => `id: ${id}\nnamespace: standin.test\n${body}`;

test.describe('execution lifecycle', () => {
  test('a webhook answers with the execution CREATED; it then runs CREATED → RUNNING → SUCCESS with dated histories', async ({ kestra }) => {
    const res = await post(kestra, `${WEBHOOK}/typed-inputs/${HOOK_KEY}`, { name: 'abc', count: 2, flag: true, color: 'red' });
    expect(res.status).toBe(200);
    const state = res.json!.state as { current: string };
    expect(state.current).toBe('CREATED');
    await kestra.settle();
    const exec = kestra.execution(res.json!.id as string)!;
    expect(historyOf(exec.state)).toEqual(['CREATED', 'RUNNING', 'SUCCESS']);
    expect(exec.state.histories.every((h) => h.date === '2025-12-01T09:00:00Z')).toBe(true);
    expect(exec.state.endDate).toBe('2025-12-01T09:00:00Z');
    expect(exec.state.duration).toBe('PT0S');
  });

  test('task runs have their own CREATED → RUNNING → SUCCESS history and one attempt', async ({ kestra }) => {
    const exec = await runToEnd(kestra, 'branches', { choice: 'a', go: true });
    const run = taskRun(exec, 'when_true')!;
    expect(historyOf(run.state)).toEqual(['CREATED', 'RUNNING', 'SUCCESS']);
    expect(run.attempts).toHaveLength(1);
    expect(run.executionId).toBe(exec.id);
    expect(run.parentTaskRunId).toBe(taskRun(exec, 'check')!.id);
  });

  test('ids look like Kestra ids (IdUtils.create: a base-62 UUID, at most 22 characters)', async ({ kestra }) => {
    const exec = await runToEnd(kestra, 'branches', { choice: 'a', go: true });
    for (const id of [exec.id, ...exec.taskRunList.map((t) => t.id)]) expect(id).toMatch(/^[0-9A-Za-z]{1,22}$/);
  });
});

test.describe('inputs (FlowInputOutput / *Input.java)', () => {
  test('string values are read by the input type: INT "2" → 2, BOOLEAN "yes" → false (Boolean.parseBoolean), JSON default parsed', async ({ kestra }) => {
    const res = await post(kestra, `${WEBHOOK}/typed-inputs/${HOOK_KEY}`, { name: 'abc', count: '2', flag: 'yes', color: 'green' });
    expect(res.status).toBe(200);
    await kestra.settle();
    const exec = kestra.execution(res.json!.id as string)!;
    expect(exec.inputs).toEqual({ name: 'abc', count: 2, flag: false, color: 'green', payload: { a: 1 } });
    expect(exec.outputs).toEqual({ summary: 'abc 3 false green 1', next_count: 3 });
  });

  test('BOOLEAN accepts "TRUE" in any case as true', async ({ kestra }) => {
    const res = await post(kestra, `${WEBHOOK}/typed-inputs/${HOOK_KEY}`, { name: 'abc', count: 1, flag: 'TRUE', color: 'red' });
    await kestra.settle();
    expect(kestra.execution(res.json!.id as string)!.inputs.flag).toBe(true);
  });

  for (const [what, body] of [
    ['an INT that is not a whole number ("1.5")', { name: 'abc', count: '1.5', flag: true, color: 'red' }],
    ['an INT above max', { name: 'abc', count: 11, flag: true, color: 'red' }],
    ['a STRING that matches its validator only in part (full match required)', { name: 'abc1', count: 1, flag: true, color: 'red' }],
    ['a SELECT outside its values', { name: 'abc', count: 1, flag: true, color: 'blue' }],
    ['an input whose expression reads an undefined body field', { count: 1, flag: true, color: 'red' }],
  ] as const) {
    // The pinned kestra/kestra:v1.3.16 answers 409 when a webhook's inputs cannot be rendered or validated;
    // only 1.4+ answers 422 with an empty body (Webhook.java after kestra-io/kestra#16871; SPEC §5).
    test(`${what} refuses the webhook: 409 (pinned 1.3), no execution`, async ({ kestra }) => {
      const res = await post(kestra, `${WEBHOOK}/typed-inputs/${HOOK_KEY}`, body);
      expect(res.status).toBe(409);
      await kestra.settle();
      expect(kestra.executions()).toEqual([]);
    });
  }

  test('violations read like Kestra\'s: "Invalid input for `<id>`, <reason>, but received `<value>`"', () => {
    const result = resolveInputs(
      [
        { id: 'count', type: 'INT', required: true, max: 10, allowCustomValue: false },
        { id: 'name', type: 'STRING', required: true, allowCustomValue: false },
        { id: 'mail', type: 'STRING', required: true, validator: '[a-z]+@x', allowCustomValue: false },
      ],
      { count: '11', mail: 'A@x' },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.violations.map((v) => v.message)).toEqual([
      'Invalid input for `count`, it must be less than `10`, but received `11`',
      'Invalid input for `name`, missing required input, but received `null`',
      'Invalid input for `mail`, it must match the pattern `[a-z]+@x`, but received `A@x`',
    ]);
  });

  test('an optional SELECT accepts any value (SelectInput#validate checks `values` only when required)', () => {
    const result = resolveInputs([{ id: 's', type: 'SELECT', required: false, values: ['a'], allowCustomValue: false }], { s: 'zzz' });
    expect(result).toEqual({ ok: true, values: { s: 'zzz' } });
  });

  // core/src/main/java/io/kestra/core/runners/FlowInputOutput.java#parseType (1.x, search index):
  // `case SELECT, ENUM, STRING, EMAIL -> current.toString();` and
  // `case BOOLEAN -> current instanceof Boolean ? current : Boolean.valueOf(current.toString());` — a
  // non-string value is typed by its Java text, never refused for its class (issue 12 item 4).
  test('a non-string value for STRING, SELECT, EMAIL or BOOLEAN is typed with toString(), as FlowInputOutput#parseType does', () => {
    const defs = [
      { id: 's', type: 'STRING', required: true, allowCustomValue: false },
      { id: 'sel', type: 'SELECT', required: true, values: ['1', '2'], allowCustomValue: false },
      { id: 'b_num', type: 'BOOLEAN', required: true, allowCustomValue: false },
      { id: 'b_text', type: 'BOOLEAN', required: true, allowCustomValue: false },
    ] satisfies InputDef[];
    expect(resolveInputs(defs, { s: 42, sel: 2, b_num: 1, b_text: 'TRUE' })).toEqual({ ok: true, values: { s: '42', sel: '2', b_num: false, b_text: true } });
    expect(resolveInputs([{ id: 's', type: 'STRING', required: true, allowCustomValue: false }], { s: true })).toEqual({ ok: true, values: { s: 'true' } });
    // EMAIL: the text is then validated like any other ("42" is no address), not refused as a ClassCastException
    const email = resolveInputs([{ id: 'e', type: 'EMAIL', required: true, allowCustomValue: false }], { e: 42 });
    expect(email).toEqual({ ok: false, violations: [{ id: 'e', message: 'Invalid input for `e`, it must be a valid email address, but received `42`' }] });
    // SELECT: the text must still be one of the values
    expect(resolveInputs([{ id: 'sel', type: 'SELECT', required: true, values: ['1', '2'], allowCustomValue: false }], { sel: 3 }).ok).toBe(false);
  });

  test('a webhook trigger without `inputs:` gives the execution no inputs', async ({ kestra }) => {
    const res = await post(kestra, `${WEBHOOK}/raw-webhook/${RAW_KEY}`, { email: 'a@b.c' });
    await kestra.settle();
    expect(kestra.execution(res.json!.id as string)!.inputs).toEqual({});
  });
});

test.describe('webhook trigger (ExecutionController#webhook, Webhook.java)', () => {
  test('the trigger key is rendered (here from a secret) and trimmed before it is compared', async ({ kestra }) => {
    // raw-webhook's key is "  {{ secret('RAW_KEY') }}  "
    expect((await post(kestra, `${WEBHOOK}/raw-webhook/${RAW_KEY}`, {})).status).toBe(200);
  });

  test('a JSON object or array body is parsed whatever the content type; anything else stays text', async ({ kestra }) => {
    const asText = await post(kestra, `${WEBHOOK}/raw-webhook/${RAW_KEY}`, '{"email":"x@y.z"}', { contentType: 'text/plain' });
    const plain = await post(kestra, `${WEBHOOK}/raw-webhook/${RAW_KEY}`, 'hello there', { contentType: 'text/plain' });
    const list = await post(kestra, `${WEBHOOK}/raw-webhook/${RAW_KEY}`, '[1,2]', { contentType: 'application/octet-stream' });
    await kestra.settle();
    const values = (id: unknown) => taskRun(kestra.execution(id as string)!, 'read_body')!.outputs!.values as Record<string, string>;
    expect(values(asText.json!.id)).toMatchObject({ email: 'x@y.z', raw: '{"email":"x@y.z"}' });
    expect(values(plain.json!.id)).toMatchObject({ email: 'none', raw: 'hello there' });
    expect(values(list.json!.id)).toMatchObject({ raw: '[1,2]' });
  });

  test('trigger.headers and trigger.parameters are maps of lists', async ({ kestra }) => {
    const res = await post(kestra, `${WEBHOOK}/raw-webhook/${RAW_KEY}?q=7&q=8`, {}, { headers: { 'X-Agent': 'harness' } });
    const variables = (res.json!.trigger as { variables: { parameters: Record<string, string[]> } }).variables;
    expect(variables.parameters).toEqual({ q: ['7', '8'] });
    await kestra.settle();
    expect(taskRun(kestra.execution(res.json!.id as string)!, 'read_body')!.outputs!.values).toMatchObject({ agent: 'harness', q: '7' });
  });

  test('GET and PUT trigger the webhook too; DELETE is 405', async ({ kestra }) => {
    expect((await post(kestra, `${WEBHOOK}/raw-webhook/${RAW_KEY}`, undefined, { method: 'GET' })).status).toBe(200);
    expect((await post(kestra, `${WEBHOOK}/raw-webhook/${RAW_KEY}`, {}, { method: 'PUT' })).status).toBe(200);
    expect((await post(kestra, `${WEBHOOK}/raw-webhook/${RAW_KEY}`, undefined, { method: 'DELETE' })).status).toBe(405);
  });

  test('a wrong key is 404 "Webhook not found"; an unknown flow is 404 "Flow not found"', async ({ kestra }) => {
    const wrongKey = await post(kestra, `${WEBHOOK}/raw-webhook/not-the-key`, {});
    expect(wrongKey.status).toBe(404);
    expect(wrongKey.json!.message).toBe('Not Found: Webhook not found');
    const noFlow = await post(kestra, `${WEBHOOK}/no-such-flow/${RAW_KEY}`, {});
    expect(noFlow.status).toBe(404);
    expect(noFlow.json!.message).toBe('Not Found: Flow not found');
    await kestra.settle();
    expect(kestra.executions()).toEqual([]);
  });

  test('a trailing slash or an extra path segment is 404 (Webhook#evaluate refuses any path)', async ({ kestra }) => {
    expect((await post(kestra, `${WEBHOOK}/raw-webhook/${RAW_KEY}/`, {})).status).toBe(404);
    expect((await post(kestra, `${WEBHOOK}/raw-webhook/${RAW_KEY}/extra`, {})).status).toBe(404);
  });

  test('a disabled flow answers 409', async ({ kestra }) => {
    kestra.deploy(flow('off', 'disabled: true\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: x\ntriggers:\n  - id: w\n    type: io.kestra.plugin.core.trigger.Webhook\n    key: off-key\n'));
    const res = await post(kestra, `${WEBHOOK}/off/off-key`, {});
    expect(res.status).toBe(409);
    expect(res.json!.message).toBe('Illegal state: Cannot execute a disabled flow');
  });

  test('the tenant-less path /api/v1/executions/webhook/… is served as tenant main', async ({ kestra }) => {
    const res = await post(kestra, `/api/v1/executions/webhook/standin.test/raw-webhook/${RAW_KEY}`, {});
    expect(res.status).toBe(200);
    expect(res.json!.tenantId).toBe('main');
  });

  test('a root execution carries the flow labels and system.correlationId = its own id', async ({ kestra }) => {
    const res = await post(kestra, `${WEBHOOK}/raw-webhook/${RAW_KEY}`, {});
    expect(res.json!.labels).toEqual([
      { key: 'owner', value: 'harness' },
      { key: 'system.correlationId', value: res.json!.id },
    ]);
  });
});

test.describe('tasks', () => {
  test('HTTP Request sends method, body, content type and headers; outputs code, header lists and the body as TEXT', async ({ kestra }) => {
    const target = await startTarget(() => ({ status: 200, body: '{"greeting":"hi"}' }));
    try {
      const exec = await runToEnd(kestra, 'http-request', { base: target.url });
      expect(exec.state.current).toBe('SUCCESS');
      expect(target.seen[0]).toMatchObject({ method: 'POST', url: '/answer/200?q=1', body: '{"hello":"world"}' });
      expect(target.seen[0]!.headers['content-type']).toBe('application/json');
      expect(target.seen[0]!.headers['x-test']).toBe('standin http-request');
      const outputs = taskRun(exec, 'call')!.outputs!;
      expect(outputs.code).toBe(200);
      expect(outputs.body).toBe('{"greeting":"hi"}');
      expect((outputs.headers as Record<string, string[]>)['x-server']).toEqual(['target']);
      expect(taskRun(exec, 'after')!.outputs!.values).toEqual({ code: '200', greeting: 'hi', server: 'target' });
    } finally {
      await target.stop();
    }
  });

  test('a 4xx/5xx answer fails the task: "Failed http request with response code \'404\' and body: …" (HttpClient)', async ({ kestra }) => {
    const target = await startTarget(() => ({ status: 404, body: '{"error":"nope"}' }));
    try {
      const exec = await runToEnd(kestra, 'http-request', { base: target.url, status: 404 });
      expect(exec.state.current).toBe('FAILED');
      expect(taskStates(exec)).toEqual({ call: 'FAILED' });
      expect(kestra.logs(exec.id).find((l) => l.level === 'ERROR')!.message).toBe('Failed http request with response code \'404\' and body:\n{"error":"nope"}');
    } finally {
      await target.stop();
    }
  });

  test('options.allowFailed keeps the task SUCCESS with the error code in its outputs', async ({ kestra }) => {
    const target = await startTarget(() => ({ status: 503, body: 'down' }));
    try {
      const exec = await deployAndRun(kestra, flow('allow-failed', `tasks:\n  - id: call\n    type: io.kestra.plugin.core.http.Request\n    uri: ${target.url}/x\n    options:\n      allowFailed: true\n`));
      expect(exec.state.current).toBe('SUCCESS');
      expect(taskRun(exec, 'call')!.outputs).toMatchObject({ code: 503, body: 'down' });
    } finally {
      await target.stop();
    }
  });

  test('retry re-runs a failing task as new attempts (RETRYING between them) until it succeeds', async ({ kestra }) => {
    const target = await startTarget((_req, _body, n) => (n < 3 ? { status: 500, body: 'flaky' } : { status: 200, body: 'ok' }));
    try {
      const exec = await deployAndRun(kestra, flow('retried', `tasks:\n  - id: call\n    type: io.kestra.plugin.core.http.Request\n    uri: ${target.url}/x\n    retry:\n      type: constant\n      interval: PT1S\n      maxAttempts: 5\n`));
      expect(exec.state.current).toBe('SUCCESS');
      const run = taskRun(exec, 'call')!;
      expect(run.attempts.map((a) => a.state.current)).toEqual(['FAILED', 'FAILED', 'SUCCESS']);
      expect(historyOf(run.state)).toEqual(['CREATED', 'RUNNING', 'FAILED', 'RETRYING', 'RUNNING', 'FAILED', 'RETRYING', 'RUNNING', 'SUCCESS']);
      expect(target.seen).toHaveLength(3);
    } finally {
      await target.stop();
    }
  });

  test('retry stops after maxAttempts (the first attempt counts) and the task FAILS', async ({ kestra }) => {
    const target = await startTarget(() => ({ status: 500, body: 'always' }));
    try {
      const exec = await deployAndRun(kestra, flow('gives-up', `tasks:\n  - id: call\n    type: io.kestra.plugin.core.http.Request\n    uri: ${target.url}/x\n    retry:\n      type: exponential\n      interval: PT1S\n      maxInterval: PT10S\n      maxAttempts: 3\n`));
      expect(exec.state.current).toBe('FAILED');
      expect(target.seen).toHaveLength(3);
    } finally {
      await target.stop();
    }
  });

  test('timeout fails an attempt that runs too long', async ({ kestra }) => {
    const target = await startTarget(() => 'hang');
    try {
      const exec = await deployAndRun(kestra, flow('too-slow', `tasks:\n  - id: call\n    type: io.kestra.plugin.core.http.Request\n    uri: ${target.url}/x\n    timeout: PT0.1S\n`));
      expect(exec.state.current).toBe('FAILED');
      expect(kestra.logs(exec.id).some((l) => l.message === 'Timeout after PT0.1S')).toBe(true);
    } finally {
      await target.stop();
    }
  });

  test('allowFailure turns a failure into WARNING, the flow goes on and the execution ends WARNING', async ({ kestra }) => {
    const exec = await runToEnd(kestra, 'errors-and-exit', { mode: 'tolerate' });
    expect(exec.state.current).toBe('WARNING');
    expect(taskStates(exec)).toMatchObject({ tolerated: 'WARNING', carry_on: 'SUCCESS', last: 'SUCCESS' });
  });

  test('a WARN log changes no state', async ({ kestra }) => {
    const exec = await runToEnd(kestra, 'branches', { choice: 'b', go: true });
    expect(exec.state.current).toBe('SUCCESS');
    expect(taskStates(exec)).toMatchObject({ pick: 'SUCCESS', in_b: 'SUCCESS', b_warns: 'SUCCESS' });
    expect(kestra.logs(exec.id).some((l) => l.level === 'WARN' && l.taskId === 'b_warns')).toBe(true);
  });

  test('If runs `then` or `else` by TruthUtils and records evaluationResult (If.java)', async ({ kestra }) => {
    const yes = await runToEnd(kestra, 'branches', { choice: 'a', go: true });
    const no = await runToEnd(kestra, 'branches', { choice: 'a', go: false });
    expect(taskRun(yes, 'check')!.outputs).toEqual({ evaluationResult: true });
    expect(taskRun(no, 'check')!.outputs).toEqual({ evaluationResult: false });
    expect(yes.outputs.branch).toBe('then');
    expect(no.outputs.branch).toBe('else');
    expect(taskRun(no, 'when_true')).toBeUndefined();
  });

  test('an If whose condition is false and has no `else` ends SUCCESS', async ({ kestra }) => {
    const exec = await deployAndRun(kestra, flow('if-no-else', 'tasks:\n  - id: check\n    type: io.kestra.plugin.core.flow.If\n    condition: "{{ 1 == 2 }}"\n    then:\n      - id: t\n        type: io.kestra.plugin.core.log.Log\n        message: x\n'));
    expect(exec.state.current).toBe('SUCCESS');
    expect(taskStates(exec)).toEqual({ check: 'SUCCESS' });
  });

  test('Switch runs the matching case, else `defaults`, and outputs value/defaults (Switch.java)', async ({ kestra }) => {
    const a = await runToEnd(kestra, 'branches', { choice: 'a', go: true });
    const z = await runToEnd(kestra, 'branches', { choice: 'z', go: true });
    expect(taskRun(a, 'pick')!.outputs).toEqual({ value: 'a', defaults: false });
    expect(taskRun(a, 'case_a')!.state.current).toBe('SUCCESS');
    expect(taskRun(z, 'pick')!.outputs).toEqual({ value: 'z', defaults: true });
    expect(taskRun(z, 'fallback')!.state.current).toBe('SUCCESS');
  });

  test('a Switch with no matching case and no defaults FAILS with "No task found" (FlowableUtils#resolveState)', async ({ kestra }) => {
    const exec = await deployAndRun(kestra, flow('switch-nothing', 'tasks:\n  - id: pick\n    type: io.kestra.plugin.core.flow.Switch\n    value: "z"\n    cases:\n      a:\n        - id: t\n          type: io.kestra.plugin.core.log.Log\n          message: x\n'));
    expect(exec.state.current).toBe('FAILED');
    expect(kestra.logs(exec.id).find((l) => l.level === 'WARN')!.message).toMatch(/^No task found on flow 'standin\.test\.switch-nothing', task 'pick'/);
  });

  test('Fail fails only when its condition is truthy; errorMessage defaults to "Task failure"', async ({ kestra }) => {
    const exec = await deployAndRun(kestra, flow('fails', 'tasks:\n  - id: not_now\n    type: io.kestra.plugin.core.execution.Fail\n    condition: "{{ false }}"\n  - id: now\n    type: io.kestra.plugin.core.execution.Fail\n'));
    expect(taskStates(exec)).toEqual({ not_now: 'SUCCESS', now: 'FAILED' });
    expect(kestra.logs(exec.id).find((l) => l.level === 'ERROR')!.message).toBe('Task failure');
  });

  test('Exit ends the execution at once in its state; its parent task runs take it and later tasks never run (Exit.java)', async ({ kestra }) => {
    const success = await runToEnd(kestra, 'errors-and-exit', { mode: 'exit_success' });
    const warning = await runToEnd(kestra, 'errors-and-exit', { mode: 'exit_warning' });
    expect(success.state.current).toBe('SUCCESS');
    expect(warning.state.current).toBe('WARNING');
    expect(taskStates(warning)).toMatchObject({ route: 'WARNING', leave_warn: 'WARNING' });
    expect(taskRun(warning, 'last')).toBeUndefined();
  });

  // executor/src/main/java/io/kestra/executor/ExecutorService.java (1.x, search index): process() begins
  // `if (!executor.canBeProcessed() || executionService.isTerminated(flow, execution)) return executor;`, and the
  // flow's `outputs:` are rendered only in onEnd (via handleEnd) — never for an execution an Exit already
  // ended (Exit.java#update sets the execution's state). No "Flow completed" line either: onEnd logs it.
  test('an execution ended by Exit has no flow outputs and no "Flow completed" line; without Exit both are there (issue 12 item 1)', async ({ kestra }) => {
    const yaml = (id: string, exit: boolean) => flow(id, `inputs:\n  - id: n\n    type: INT\ntasks:\n  - id: v\n    type: io.kestra.plugin.core.output.OutputValues\n    values:\n      x: "{{ inputs.n * 2 }}"\n${exit ? '  - id: leave\n    type: io.kestra.plugin.core.execution.Exit\n    state: WARNING\n' : ''}outputs:\n  - id: doubled\n    type: INT\n    value: "{{ outputs.v.values.x }}"\n`);
    const exited = await deployAndRun(kestra, yaml('exit-outputs', true), { n: 3 });
    const plain = await deployAndRun(kestra, yaml('plain-outputs', false), { n: 3 });
    expect(exited.state.current).toBe('WARNING');
    expect(exited.outputs ?? {}).toEqual({});
    expect(kestra.logs(exited.id).filter((l) => l.message.startsWith('Flow completed'))).toEqual([]);
    expect(plain.state.current).toBe('SUCCESS');
    expect(plain.outputs).toEqual({ doubled: 6 });
    expect(kestra.logs(plain.id).filter((l) => l.message.startsWith('Flow completed')).length).toBe(1);
  });

  test('flow-level `errors` run when a task fails, and the execution stays FAILED', async ({ kestra }) => {
    const exec = await runToEnd(kestra, 'errors-and-exit', { mode: 'fail' });
    expect(exec.state.current).toBe('FAILED');
    expect(taskStates(exec)).toMatchObject({ boom: 'FAILED', route: 'FAILED', on_error: 'SUCCESS' });
    expect(taskRun(exec, 'last')).toBeUndefined();
  });

  test('runIf false makes the task SKIPPED; a disabled task gets no task run at all', async ({ kestra }) => {
    const exec = await runToEnd(kestra, 'errors-and-exit', { mode: 'tolerate' });
    expect(taskRun(exec, 'skipped')!.state.current).toBe('SKIPPED');
    expect(taskRun(exec, 'switched_off')).toBeUndefined();
  });

  test('flow outputs are rendered at the end and converted to their declared type', async ({ kestra }) => {
    const exec = await runToEnd(kestra, 'parent', { n: 4 });
    expect(exec.outputs).toEqual({ doubled: 8 });
  });

  test('a flow output that cannot be rendered FAILS the execution (ExecutorService: "Failed to render output values")', async ({ kestra }) => {
    const exec = await deployAndRun(kestra, flow('bad-output', 'tasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: x\noutputs:\n  - id: o\n    type: STRING\n    value: "{{ outputs.nothing.value }}"\n'));
    expect(exec.state.current).toBe('FAILED');
    expect(kestra.logs(exec.id).some((l) => l.message.startsWith('Failed to render output values: Unable to find `nothing`'))).toBe(true);
  });

  test('an undefined variable fails the task with Kestra\'s message (strict variables)', async ({ kestra }) => {
    const exec = await deployAndRun(kestra, flow('undefined-var', 'tasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: "{{ inputs.missing }}"\n'));
    expect(exec.state.current).toBe('FAILED');
    expect(kestra.logs(exec.id).find((l) => l.level === 'ERROR')!.message).toMatch(/^Unable to find `missing` used in the expression/);
  });

  test('secret() decodes SECRET_<NAME> (base64, name case-insensitive); a missing one fails "Cannot find secret for key"', async ({ kestra }) => {
    const exec = await deployAndRun(kestra, flow('secrets', 'tasks:\n  - id: ok\n    type: io.kestra.plugin.core.debug.Return\n    format: "{{ secret(\'api_token\') }}"\n  - id: missing\n    type: io.kestra.plugin.core.debug.Return\n    format: "{{ secret(\'NOPE\') }}"\n'));
    expect(taskRun(exec, 'ok')!.outputs).toEqual({ value: 's3cr3t' });
    expect(taskRun(exec, 'missing')!.state.current).toBe('FAILED');
    expect(kestra.logs(exec.id).find((l) => l.level === 'ERROR')!.message).toContain("Cannot find secret for key 'NOPE'.");
  });

  test('envs.<name> is ENV_<NAME> without its prefix, lower-cased; `vars` come back raw, never rendered twice', async ({ kestra }) => {
    const exec = await deployAndRun(kestra, flow('envs-vars', 'variables:\n  v: "{{ 1 + 1 }}"\ntasks:\n  - id: r\n    type: io.kestra.plugin.core.debug.Return\n    format: "{{ envs.target_name }}|{{ envs.mixed_case }}|{{ vars.v }}"\n'));
    expect(taskRun(exec, 'r')!.outputs).toEqual({ value: 'stand-in|lower|{{ 1 + 1 }}' });
  });

  test('now() and execution.startDate follow the stand-in clock', async ({ kestra }) => {
    const yaml = flow('clock-read', 'tasks:\n  - id: r\n    type: io.kestra.plugin.core.debug.Return\n    format: "{{ now() }}|{{ execution.startDate }}"\n');
    kestra.deploy(yaml);
    await kestra.clock.advance({ hours: 5 });
    const exec = await runToEnd(kestra, 'clock-read');
    const [now, start] = String(taskRun(exec, 'r')!.outputs!.value).split('|');
    expect(new Date(now!).toISOString()).toBe('2025-12-01T14:00:00.000Z');
    expect(start).toBe('2025-12-01T14:00:00Z');
  });

  test('pluginDefaults fill task properties (maps merged); the task\'s own value wins unless the default is forced', async ({ kestra }) => {
    const target = await startTarget(() => ({ status: 200, body: 'ok' }));
    try {
      const exec = await deployAndRun(kestra, flow('defaults', [
        'pluginDefaults:',
        '  - type: io.kestra.plugin.core.http',
        '    values:',
        '      method: PUT',
        '      headers:',
        '        X-Default: d',
        '  - type: io.kestra.plugin.core.http.Request',
        '    forced: true',
        '    values:',
        '      headers:',
        '        X-Forced: f',
        '        X-Own: forced-wins',
        'tasks:',
        '  - id: call',
        '    type: io.kestra.plugin.core.http.Request',
        `    uri: ${target.url}/x`,
        '    method: PATCH',
        '    headers:',
        '      X-Own: own',
        '',
      ].join('\n')));
      expect(exec.state.current).toBe('SUCCESS');
      expect(target.seen[0]!.method).toBe('PATCH');
      expect(target.seen[0]!.headers).toMatchObject({ 'x-default': 'd', 'x-forced': 'f', 'x-own': 'forced-wins' });
    } finally {
      await target.stop();
    }
  });
});

test.describe('subflows (Subflow.java, ExecutableUtils)', () => {
  test('wait: true gives the parent the child\'s typed outputs; the child\'s trigger links back to the parent', async ({ kestra }) => {
    const parent = await runToEnd(kestra, 'parent', { n: 21 });
    expect(parent.state.current).toBe('SUCCESS');
    const waited = taskRun(parent, 'wait_child')!.outputs!;
    expect(waited).toMatchObject({ state: 'SUCCESS', outputs: { doubled: 42 } });
    const child = kestra.execution(waited.executionId as string)!;
    expect(child.trigger).toEqual({
      id: 'wait_child',
      type: 'io.kestra.plugin.core.flow.Subflow',
      variables: { executionId: parent.id, namespace: 'standin.test', flowId: 'parent', flowRevision: 1 },
    });
    expect(child.inputs).toEqual({ n: 21, fail: false });
  });

  test('the child gets its own flow labels, the parent\'s system labels (correlationId) and the task labels — not the parent\'s others', async ({ kestra }) => {
    const parent = await runToEnd(kestra, 'parent', { n: 1 });
    const child = kestra.execution(taskRun(parent, 'wait_child')!.outputs!.executionId as string)!;
    expect(child.labels).toEqual([
      { key: 'role', value: 'child' },
      { key: 'system.correlationId', value: parent.id },
      { key: 'kind', value: 'waited' },
    ]);
  });

  test('wait: false with a scheduleDate: the task succeeds at once with {executionId, state}; the child waits CREATED until the clock reaches its date', async ({ kestra }) => {
    const parent = await runToEnd(kestra, 'parent', { n: 1 });
    const later = taskRun(parent, 'later_child')!.outputs!;
    expect(later).toEqual({ executionId: expect.any(String), state: 'CREATED' });
    const child = () => kestra.execution(later.executionId as string)!;
    expect(child().state.current).toBe('CREATED');
    expect(child().scheduleDate).toBe('2025-12-01T11:00:00Z');
    expect(await kestra.clock.advance({ minutes: 119 })).toEqual([]);
    expect(child().state.current).toBe('CREATED');
    expect(await kestra.clock.advance({ minutes: 1 })).toEqual([later.executionId]);
    expect(child().state.current).toBe('SUCCESS');
    // state.startDate stays the creation date (State#getStartDate is the first history); it RAN at 11:00
    expect(child().state.startDate).toBe('2025-12-01T09:00:00Z');
    expect(runningAt(child())).toBe('2025-12-01T11:00:00Z');
  });

  test('a failing child: allowFailure → WARNING, transmitFailed: false → SUCCESS; an input the child refuses FAILS the parent task and creates nothing', async ({ kestra }) => {
    const exec = await runToEnd(kestra, 'subflow-failures');
    expect(exec.state.current).toBe('FAILED');
    expect(taskStates(exec)).toEqual({ tolerated: 'WARNING', not_transmitted: 'SUCCESS', bad_input: 'FAILED' });
    expect(kestra.executions({ flowId: 'child' })).toHaveLength(2);
    expect(kestra.logs(exec.id).find((l) => l.taskId === 'bad_input' && l.level === 'ERROR')!.message).toContain('Invalid input for `n`, For input string: "abc"');
  });
});

test.describe('clock', () => {
  const twoSchedules = flow('two-schedules', [
    'tasks:',
    '  - id: late',
    '    type: io.kestra.plugin.core.flow.Subflow',
    '    namespace: standin.test',
    '    flowId: child',
    '    wait: false',
    '    scheduleDate: "{{ now() | dateAdd(3, \'HOURS\') }}"',
    '    inputs: { n: 3 }',
    '  - id: early',
    '    type: io.kestra.plugin.core.flow.Subflow',
    '    namespace: standin.test',
    '    flowId: child',
    '    wait: false',
    '    scheduleDate: "{{ now() | dateAdd(1, \'HOURS\') }}"',
    '    inputs: { n: 1 }',
    '',
  ].join('\n'));

  test('advance releases due executions in date order, each running with the clock at its own scheduleDate', async ({ kestra }) => {
    const parent = await deployAndRun(kestra, twoSchedules);
    const late = taskRun(parent, 'late')!.outputs!.executionId;
    const early = taskRun(parent, 'early')!.outputs!.executionId;
    expect(await kestra.clock.advance({ hours: 4 })).toEqual([early, late]);
    expect(runningAt(kestra.execution(early as string)!)).toBe('2025-12-01T10:00:00Z');
    expect(runningAt(kestra.execution(late as string)!)).toBe('2025-12-01T12:00:00Z');
    expect(kestra.clock.now().toISOString()).toBe('2025-12-01T13:00:00.000Z');
  });

  test('the test-only endpoint lists scheduled executions and advances the clock, answering what it released', async ({ kestra }) => {
    await deployAndRun(kestra, twoSchedules);
    const clock = await (await fetch(`${kestra.url}/__standin/clock`)).json();
    expect(clock).toMatchObject({ mode: 'virtual', now: '2025-12-01T09:00:00.000Z' });
    expect(clock.scheduled.map((s: { scheduleDate: string }) => s.scheduleDate)).toEqual(['2025-12-01T10:00:00.000Z', '2025-12-01T12:00:00.000Z']);
    const advanced = await post(kestra, '/__standin/clock/advance', { hours: 2 });
    expect(advanced.status).toBe(200);
    expect(advanced.json).toEqual({ now: '2025-12-01T11:00:00.000Z', released: [clock.scheduled[0].id] });
    const to = await post(kestra, '/__standin/clock/advance', { to: '2025-12-01T12:00:00Z' });
    expect(to.json!.released).toEqual([clock.scheduled[1].id]);
    expect((await post(kestra, '/__standin/clock/advance', { hours: -1 })).status).toBe(400);
    expect((await post(kestra, '/__standin/clock/advance', { hours: 1, minutes: 2 })).status).toBe(400);
    expect((await post(kestra, '/__standin/clock/advance', 'not json')).status).toBe(400);
  });

  test('POST /__standin/settle answers once nothing runs', async ({ kestra }) => {
    const started = kestra.run('standin.test', 'branches', { choice: 'a', go: true });
    const settle = await post(kestra, '/__standin/settle', undefined);
    expect(settle.status).toBe(200);
    expect(kestra.execution(started.id)!.state.current).toBe('SUCCESS');
  });

  test('real-time mode releases a scheduled execution when wall time passes', async () => {
    const kestra = await startKestraStandin({ flows: allStandinFixtureFlows(), auth: false, clock: 'real', env: secretEnv({ HOOK_KEY, RAW_KEY }) });
    try {
      kestra.deploy(flow('soon', 'tasks:\n  - id: s\n    type: io.kestra.plugin.core.flow.Subflow\n    namespace: standin.test\n    flowId: child\n    wait: false\n    scheduleDate: "{{ now() | dateAdd(300, \'MILLIS\') }}"\n    inputs: { n: 1 }\n'));
      kestra.run('standin.test', 'soon');
      await expect.poll(() => kestra.executions({ flowId: 'child' })[0]?.state.current, { message: 'the scheduled child runs once its date passes', timeout: 5_000 }).toBe('SUCCESS');
    } finally {
      await kestra.stop();
    }
  });
});

// Flow-level `concurrency`, as executor/src/main/java/io/kestra/executor/ExecutorService.java (1.x, search index)
// #processExecutionRunning applies it: with `limit` executions of the flow running, QUEUE → state QUEUED and
// the INFO line "Execution is queued due to concurrency limit exceeded, {n} running(s)"; CANCEL → CANCELLED;
// FAIL → FAILED ("Execution is FAILED due to concurrency limit exceeded"); under the limit → RUNNING. A queued
// execution is submitted when a running one of the same flow ends (the executor's end handling), oldest first.
test.describe('flow concurrency (ExecutorService#processExecutionRunning)', () => {
  /** A target that answers each request after `ms`, so the executions overlap. */
  async function slowTarget(ms: number) {
    const server: Server = createServer((req, res) => {
      req.resume();
      req.on('end', () => setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'), ms));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, stop: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
  }
  const limited = (id: string, behavior: string, url: string) =>
    flow(id, `concurrency:\n  limit: 1\n  behavior: ${behavior}\ntasks:\n  - id: call\n    type: io.kestra.plugin.core.http.Request\n    uri: ${url}/slow\n`);

  test('QUEUE: one runs, the others wait QUEUED (logged) and then run one at a time, in arrival order', async ({ kestra }) => {
    const target = await slowTarget(40);
    try {
      kestra.deploy(limited('queued', 'QUEUE', target.url));
      const ids = [0, 1, 2].map(() => kestra.run('standin.test', 'queued').id);
      await kestra.settle();
      const execs = ids.map((id) => kestra.execution(id)!);
      expect(execs.map((e) => e.state.current)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
      expect(historyOf(execs[0]!.state)).toEqual(['CREATED', 'RUNNING', 'SUCCESS']);
      expect(historyOf(execs[1]!.state)).toEqual(['CREATED', 'QUEUED', 'RUNNING', 'SUCCESS']);
      expect(historyOf(execs[2]!.state)).toEqual(['CREATED', 'QUEUED', 'RUNNING', 'SUCCESS']);
      expect(kestra.logs(ids[1]!).map((l) => l.message)).toContain('Execution is queued due to concurrency limit exceeded, 1 running(s)');
      // never two at once: each starts running after the previous one ended
      for (let i = 1; i < 3; i++) expect(new Date(runningAt(execs[i]!)!).getTime()).toBeGreaterThanOrEqual(new Date(execs[i - 1]!.state.endDate!).getTime());
    } finally {
      await target.stop();
    }
  });

  test('CANCEL ends the extra execution CANCELLED; FAIL ends it FAILED with Kestra\'s line; neither runs a task', async ({ kestra }) => {
    const target = await slowTarget(40);
    try {
      kestra.deploy(limited('cancelled', 'CANCEL', target.url));
      kestra.deploy(limited('failed', 'FAIL', target.url));
      const [c1, c2] = [0, 1].map(() => kestra.run('standin.test', 'cancelled').id);
      const [f1, f2] = [0, 1].map(() => kestra.run('standin.test', 'failed').id);
      await kestra.settle();
      expect([c1, c2, f1, f2].map((id) => kestra.execution(id!)!.state.current)).toEqual(['SUCCESS', 'CANCELLED', 'SUCCESS', 'FAILED']);
      expect(kestra.execution(c2!)!.taskRunList).toEqual([]);
      expect(kestra.execution(f2!)!.taskRunList).toEqual([]);
      expect(kestra.logs(f2!).map((l) => `${l.level} ${l.message}`)).toContain('ERROR Execution is FAILED due to concurrency limit exceeded');
    } finally {
      await target.stop();
    }
  });

  test('concurrency is validated like Concurrency.java: limit ≥ 1, behavior QUEUE | CANCEL | FAIL', async ({ kestra }) => {
    expect(() => kestra.deploy(flow('bad-limit', 'concurrency:\n  limit: 0\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: x\n'))).toThrow(/concurrency\.limit/);
    expect(() => kestra.deploy(flow('bad-behavior', 'concurrency:\n  limit: 1\n  behavior: WAIT\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: x\n'))).toThrow(/concurrency\.behavior/);
  });
});
