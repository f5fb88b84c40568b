/**
 * Kestra client — operations: webhooks, executions, polling, search, children, logs, flows,
 * health/version. Shapes follow Kestra 1.x (see helpers/clients/kestra/schemas.ts).
 */
import { test, expect } from '../support/unit-test.js';
import {
  KestraHttpError, KestraTimeoutError, KestraUsageError, KestraValidationError, parentExecutionIdOf, type Execution, type KestraProgressEvent,
} from '../../helpers/clients/kestra/index.js';
import { FAMILY_LIMIT, familyOf } from '../../helpers/clients/kestra/children.js';
import { webhookPath, WEBHOOK_HANDLERS } from '../../helpers/spec/index.js';
import {
  BASIC, JSON_HEADERS, WEBHOOK_KEY, execution, mockKestra, paged, pathIs, query, state, subflowChild,
} from '../support/kestra-client-fakes.js';

async function caught(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

const SIGNUP = WEBHOOK_HANDLERS.signup;
const HOOK = webhookPath(SIGNUP, WEBHOOK_KEY);

test.describe('fireWebhook', () => {
  test('200: POSTs the JSON body to the dotted-namespace route without credentials, returns the execution', async () => {
    const k = mockKestra();
    const response = { id: 'w1', namespace: SIGNUP.namespace, flowId: SIGNUP.flowId, flowRevision: 2, tenantId: 'main', state: state('CREATED'), trigger: { id: 'webhook', type: 'io.kestra.plugin.core.trigger.Webhook' }, outputs: null, labels: [], url: 'http://localhost:8080/ui/main/executions/christmas.handlers/signup-handler/w1' };
    k.pool.intercept({ path: HOOK, method: 'POST' }).reply(200, response, JSON_HEADERS);
    const res = await k.client.fireWebhook(SIGNUP.namespace, SIGNUP.flowId, WEBHOOK_KEY, { email: 'lengobaosang+t1@gmail.com', first_name: 'Sang' });
    expect(res.status).toBe(200);
    expect(res.execution).toMatchObject({ id: 'w1', state: { current: 'CREATED' }, outputs: {}, labels: [] });
    const [call] = k.calls();
    expect(call?.path).toBe('/api/v1/main/executions/webhook/christmas.handlers/signup-handler/' + WEBHOOK_KEY);
    expect(JSON.parse(String(call?.body))).toEqual({ email: 'lengobaosang+t1@gmail.com', first_name: 'Sang' });
    expect(call?.headers?.['content-type']).toBe('application/json');
    expect(call?.headers?.authorization).toBeUndefined();
  });

  test('withAuth sends the credentials; a string body is sent as-is (for malformed-payload tests)', async () => {
    const k = mockKestra({ apiMode: 'tenant' });
    k.pool.intercept({ path: HOOK, method: 'POST' }).reply(204, '');
    await k.client.fireWebhook(SIGNUP.namespace, SIGNUP.flowId, WEBHOOK_KEY, '{"email": ', { withAuth: true });
    expect(k.calls()[0]).toMatchObject({ body: '{"email": ', headers: expect.objectContaining({ authorization: BASIC }) });
  });

  test('204 (trigger conditions not met) is a result without execution', async () => {
    const k = mockKestra();
    k.pool.intercept({ path: HOOK, method: 'POST' }).reply(204, '');
    expect(await k.client.fireWebhook(SIGNUP.namespace, SIGNUP.flowId, WEBHOOK_KEY, {})).toEqual({ status: 204 });
  });

  test('404 (wrong key or flow) is a KestraHttpError whose URL has the key redacted', async () => {
    const k = mockKestra();
    k.pool.intercept({ path: HOOK, method: 'POST' }).reply(404, { message: 'Webhook not found', _links: { self: { href: HOOK } } }, JSON_HEADERS);
    k.pool.intercept({ path: pathIs('/api/v1/main/executions/search'), method: 'GET' }).reply(200, paged([]), JSON_HEADERS);
    const err = await caught(k.client.fireWebhook(SIGNUP.namespace, SIGNUP.flowId, WEBHOOK_KEY, {}));
    expect(err).toBeInstanceOf(KestraHttpError);
    expect(err).toMatchObject({ status: 404, method: 'POST', url: 'http://kestra.test:8080/api/v1/main/executions/webhook/christmas.handlers/signup-handler/***' });
    expect(err.message).toBe('POST http://kestra.test:8080/api/v1/main/executions/webhook/christmas.handlers/signup-handler/*** → HTTP 404: Webhook not found');
    expect(err.message + JSON.stringify(err)).not.toContain(WEBHOOK_KEY);
    expect(k.calls().filter((c) => c.method === 'POST')).toHaveLength(1);
  });

  test('tenantless: the older /api/v1/executions/webhook/... route', async () => {
    const k = mockKestra();
    const path = webhookPath(SIGNUP, WEBHOOK_KEY, { tenantless: true });
    k.pool.intercept({ path, method: 'POST' }).reply(204, '');
    await k.client.fireWebhook(SIGNUP.namespace, SIGNUP.flowId, WEBHOOK_KEY, {}, { tenantless: true });
    expect(k.calls().map((c) => c.path)).toEqual(['/api/v1/executions/webhook/christmas.handlers/signup-handler/' + WEBHOOK_KEY]);
  });

  test('empty arguments are refused before any request', async () => {
    const k = mockKestra();
    await expect(k.client.fireWebhook(SIGNUP.namespace, SIGNUP.flowId, '', {})).rejects.toThrow(KestraUsageError);
    expect(k.calls()).toHaveLength(0);
  });
});

test.describe('getExecution', () => {
  test('returns the typed execution; labels normalised; extra fields kept', async () => {
    const k = mockKestra();
    k.pool.intercept({ path: '/api/v1/main/executions/exec1', method: 'GET' })
      .reply(200, execution({ labels: { team: 'growth' }, scheduleDate: '2025-12-02T10:30:00Z', futureField: 42 }), JSON_HEADERS);
    const e = await k.client.getExecution('exec1');
    expect(e.labels).toEqual([{ key: 'team', value: 'growth' }]);
    expect(e.taskRunList[0]).toMatchObject({ taskId: 'validate', state: { current: 'SUCCESS' }, outputs: { ok: true } });
    expect(e.inputs).toEqual({ email: 'lengobaosang+t1@gmail.com' });
    expect(e.outputs).toEqual({});
    expect(e.scheduleDate).toBe('2025-12-02T10:30:00Z');
    expect(e.futureField).toBe(42);
    expect(k.calls()[0]?.headers?.authorization).toBe(BASIC);
  });

  test('ids are URL-encoded in the path', async () => {
    const k = mockKestra();
    k.pool.intercept({ path: '/api/v1/main/executions/a%2Fb', method: 'GET' }).reply(200, execution({ id: 'a/b' }), JSON_HEADERS);
    expect((await k.client.getExecution('a/b')).id).toBe('a/b');
  });
});

test.describe('waitForTerminal', () => {
  test('polls with backoff until a terminal state, reporting progress', async () => {
    const k = mockKestra();
    const path = '/api/v1/main/executions/exec1';
    k.pool.intercept({ path, method: 'GET' }).reply(200, execution({ state: state('CREATED') }), JSON_HEADERS);
    k.pool.intercept({ path, method: 'GET' }).reply(200, execution({ state: state('RUNNING', ['CREATED', 'RUNNING']) }), JSON_HEADERS).times(2);
    k.pool.intercept({ path, method: 'GET' }).reply(200, execution({ state: state('WARNING', ['CREATED', 'RUNNING', 'WARNING']) }), JSON_HEADERS);
    const seen: KestraProgressEvent[] = [];
    const done = await k.client.waitForTerminal('exec1', { deadlineMs: 10_000, onProgress: (e) => seen.push(e) });
    expect(done.state.current).toBe('WARNING');
    expect(done.state.histories.map((h) => h.state)).toEqual(['CREATED', 'RUNNING', 'WARNING']);
    expect(k.clock.slept).toEqual([100, 200, 400]);
    expect(seen.map((e) => (e.type === 'poll' ? `poll:${e.state}` : e.type))).toEqual(['poll:CREATED', 'poll:RUNNING', 'poll:RUNNING', 'terminal']);
    // The client-level listener sees them too.
    expect(k.events.filter((e) => e.type === 'poll')).toHaveLength(3);
  });

  test('backoff is capped (2 s by default)', async () => {
    const k = mockKestra();
    const path = '/api/v1/main/executions/exec1';
    k.pool.intercept({ path, method: 'GET' }).reply(200, execution(), JSON_HEADERS).times(7);
    k.pool.intercept({ path, method: 'GET' }).reply(200, execution({ state: state('SUCCESS') }), JSON_HEADERS);
    await k.client.waitForTerminal('exec1', { deadlineMs: 60_000 });
    expect(k.clock.slept).toEqual([100, 200, 400, 800, 1600, 2000, 2000]);
  });

  test('a 404 right after the webhook means "not stored yet" and is polled through', async () => {
    const k = mockKestra({ apiMode: 'tenant' });
    const path = '/api/v1/main/executions/exec1';
    k.pool.intercept({ path, method: 'GET' }).reply(404, { message: 'Not Found' }, JSON_HEADERS);
    k.pool.intercept({ path, method: 'GET' }).reply(200, execution({ state: state('SUCCESS') }), JSON_HEADERS);
    expect((await k.client.waitForTerminal('exec1', { deadlineMs: 5_000 })).state.current).toBe('SUCCESS');
  });

  test('deadline exceeded: a KestraTimeoutError naming the execution, its last state and the deadline', async () => {
    const k = mockKestra();
    const path = '/api/v1/main/executions/exec1';
    k.pool.intercept({ path, method: 'GET' }).reply(200, execution(), JSON_HEADERS).persist();
    const err = await caught(k.client.waitForTerminal('exec1', { deadlineMs: 1_000 }));
    expect(err).toBeInstanceOf(KestraTimeoutError);
    expect(err).toMatchObject({ executionId: 'exec1', lastState: 'RUNNING', deadlineMs: 1_000 });
    expect(err.message).toBe('execution exec1 did not reach a terminal state within 1000ms (last state: RUNNING, 5 polls)');
    expect(k.clock.slept).toEqual([100, 200, 400, 300]); // the last sleep is cut to the deadline
  });

  test('other errors end the wait at once', async () => {
    const k = mockKestra();
    k.pool.intercept({ path: '/api/v1/main/executions/exec1', method: 'GET' }).reply(403, { message: 'Forbidden' }, JSON_HEADERS);
    await expect(k.client.waitForTerminal('exec1')).rejects.toMatchObject({ status: 403 });
  });
});

test.describe('searchExecutions', () => {
  test('uses the Kestra 1.x filters[...] syntax', async () => {
    const k = mockKestra();
    const match = {
      namespace: 'christmas', flowId: 'send-email', state: state('CREATED'), labels: [{ key: 'sequence', value: 'noshow' }],
      trigger: { id: 'schedule', type: 'io.kestra.plugin.core.flow.Subflow', variables: { executionId: 'p1', taskRunId: 't' } },
    };
    k.pool.intercept({ path: pathIs('/api/v1/main/executions/search'), method: 'GET' })
      .reply(200, paged([execution({ ...match, id: 'c1' })], 1), JSON_HEADERS);
    const res = await k.client.searchExecutions({
      namespace: 'christmas', flowId: 'send-email', state: ['CREATED', 'QUEUED'], labels: { sequence: 'noshow' },
      parent: 'p1', size: 50, page: 2, sort: 'state.startDate:desc',
    });
    expect(Object.fromEntries(query(k.calls()[0]?.fullUrl ?? ''))).toEqual({
      'filters[namespace][EQUALS]': 'christmas',
      'filters[flowId][EQUALS]': 'send-email',
      'filters[state][IN]': 'CREATED,QUEUED',
      'filters[labels][EQUALS][sequence]': 'noshow',
      'filters[triggerExecutionId][EQUALS]': 'p1',
      page: '2',
      size: '50',
      sort: 'state.startDate:desc',
    });
    expect(res).toEqual({ results: [expect.objectContaining({ id: 'c1' })], total: 1 });
    expect(k.calls()).toHaveLength(1);
  });

  test('a server that ignores filters[...] is detected once; the legacy parameters are used from then on', async () => {
    const k = mockKestra();
    const rows = [execution({ id: 'a', flowId: 'send-email', namespace: 'christmas' }), execution({ id: 'b', flowId: 'other', namespace: 'christmas.tasks' })];
    k.pool.intercept({ path: pathIs('/api/v1/main/executions/search'), method: 'GET' }).reply(200, paged(rows, 2), JSON_HEADERS).times(3);
    const first = await k.client.searchExecutions({ namespace: 'christmas', flowId: 'send-email', state: 'RUNNING' });
    expect(first.results.map((e) => e.id)).toEqual(['a']);
    await k.client.searchExecutions({ flowId: 'send-email' });
    expect(k.calls().map((c) => decodeURIComponent(c.search))).toEqual([
      '?page=1&size=25&filters[namespace][EQUALS]=christmas&filters[flowId][EQUALS]=send-email&filters[state][EQUALS]=RUNNING',
      '?page=1&size=25&namespace=christmas&flowId=send-email&state=RUNNING',
      '?page=1&size=25&flowId=send-email',
    ]);
    expect(k.events.filter((e) => e.type === 'search-syntax')).toHaveLength(1);
  });
});

test.describe('findChildren', () => {
  const SEARCH = '/api/v1/main/executions/search';
  function searchByParent(k: ReturnType<typeof mockKestra>, parent: string, rows: unknown[], page = 1, total = rows.length) {
    k.pool.intercept({
      path: (p: string) => pathIs(SEARCH)(p) && query(p).get('filters[triggerExecutionId][EQUALS]') === parent && query(p).get('page') === String(page),
      method: 'GET',
    }).reply(200, paged(rows, total), JSON_HEADERS);
  }

  test('finds the Subflow children of a parent through trigger.variables.executionId, ordered by scheduleDate', async () => {
    const k = mockKestra();
    const flowTriggered = execution({ id: 'ft', trigger: { id: 'on-done', type: 'io.kestra.plugin.core.trigger.Flow', variables: { executionId: 'P', namespace: 'christmas.handlers', flowId: 'x', state: 'SUCCESS' } } });
    searchByParent(k, 'P', [
      subflowChild('c3', 'P', '2025-12-04T10:30:00Z'),
      subflowChild('c2', 'P', '2025-12-02T10:30:00Z'),
      flowTriggered,
    ]);
    const children = await k.client.findChildren('P');
    expect(children.map((c) => [c.id, c.state.current, c.scheduleDate])).toEqual([
      ['c2', 'CREATED', '2025-12-02T10:30:00Z'],
      ['c3', 'CREATED', '2025-12-04T10:30:00Z'],
    ]);
    expect(children.every((c) => parentExecutionIdOf(c) === 'P')).toBe(true);
    // via: 'any' also returns executions started by a Flow trigger.
    searchByParent(k, 'P', [flowTriggered]);
    expect((await k.client.findChildren('P', { via: 'any' })).map((c) => c.id)).toEqual(['ft']);
  });

  test('follows every page', async () => {
    const k = mockKestra();
    const page1 = Array.from({ length: 100 }, (_, i) => subflowChild(`c${String(i).padStart(3, '0')}`, 'P', `2025-12-02T10:${String(i % 60).padStart(2, '0')}:00Z`));
    searchByParent(k, 'P', page1, 1, 101);
    searchByParent(k, 'P', [subflowChild('c100', 'P', '2025-12-09T00:00:00Z')], 2, 101);
    expect(await k.client.findChildren('P')).toHaveLength(101);
    expect(k.calls().map((c) => query(c.fullUrl).get('size'))).toEqual(['100', '100']);
  });

  function searchByCorrelation(k: ReturnType<typeof mockKestra>, root: string, rows: unknown[]) {
    k.pool.intercept({
      path: (p: string) => pathIs(SEARCH)(p) && query(p).get('filters[labels][EQUALS][system.correlationId]') === root && query(p).get('page') === '1',
      method: 'GET',
    }).reply(200, paged(rows), JSON_HEADERS);
  }

  test('descendants of a root: one search on its system.correlationId, the tree rebuilt with the same parent checks', async () => {
    const k = mockKestra();
    const family = (e: Record<string, unknown>) => ({ ...e, labels: [{ key: 'system.correlationId', value: 'R' }] });
    searchByCorrelation(k, 'R', [
      family(execution({ id: 'R' })),
      family(subflowChild('g1', 'c1', '2025-12-02T11:00:00Z')),
      family(subflowChild('c2', 'R', '2025-12-03T10:00:00Z')),
      family(subflowChild('c1', 'R', '2025-12-02T10:00:00Z')),
      // a Flow-trigger run of R and an execution whose parent is outside the tree are not descendants
      family(execution({ id: 'ft', trigger: { id: 'on-done', type: 'io.kestra.plugin.core.trigger.Flow', variables: { executionId: 'R', namespace: 'christmas.handlers', flowId: 'x', state: 'SUCCESS' } } })),
      family(subflowChild('stray', 'elsewhere', '2025-12-01T00:00:00Z')),
    ]);
    const all = await k.client.findChildren('R', { descendants: true });
    expect(all.map((e) => `${e.id}<${parentExecutionIdOf(e)}`)).toEqual(['c1<R', 'c2<R', 'g1<c1']);
    expect(k.calls().map((c) => Object.fromEntries(query(c.fullUrl)))).toEqual([
      { page: '1', size: '100', 'filters[labels][EQUALS][system.correlationId]': 'R' },
    ]);
  });

  test('familyOf stands for the walk only when the root is among the rows and none were cut off', () => {
    const row = (e: object) => e as unknown as Execution;
    const root = row(execution({ id: 'R' }));
    const child = row(subflowChild('c1', 'R', '2025-12-02T10:00:00Z'));
    expect([...familyOf('R', [root, child])!.entries()]).toEqual([['R', [child]]]);
    expect(familyOf('R', [child]), 'R absent: not a root, its correlation id names another execution').toBeUndefined();
    const many = Array.from({ length: FAMILY_LIMIT }, (_, i) => row(subflowChild(`c${i}`, 'R', '2025-12-02T10:00:00Z')));
    expect(familyOf('R', [root, ...many.slice(0, FAMILY_LIMIT - 1)])?.get('R')).toHaveLength(FAMILY_LIMIT - 1);
    expect(familyOf('R', [root, ...many]), 'more rows than one family search reads').toBeUndefined();
  });

  test('descendants of an execution that is not a root (absent from its correlation search): grandchildren too, level by level, without loops', async () => {
    const k = mockKestra();
    searchByCorrelation(k, 'P', []);
    searchByParent(k, 'P', [subflowChild('c1', 'P', '2025-12-02T10:00:00Z'), subflowChild('c2', 'P', '2025-12-03T10:00:00Z')]);
    searchByParent(k, 'c1', [subflowChild('g1', 'c1', '2025-12-02T11:00:00Z')]);
    searchByParent(k, 'c2', [subflowChild('P', 'c2', '2025-12-01T00:00:00Z')]); // a cycle must not loop
    searchByParent(k, 'g1', []);
    const all = await k.client.findChildren('P', { descendants: true });
    expect(all.map((e) => `${e.id}<${parentExecutionIdOf(e)}`)).toEqual(['c1<P', 'c2<P', 'g1<c1']);
  });

  test('waitForChildren polls until the expected number of children is visible', async () => {
    const k = mockKestra();
    searchByParent(k, 'P', []);
    searchByParent(k, 'P', [subflowChild('c1', 'P', '2025-12-02T10:00:00Z')]);
    searchByParent(k, 'P', [subflowChild('c1', 'P', '2025-12-02T10:00:00Z'), subflowChild('c2', 'P', '2025-12-03T10:00:00Z')]);
    const seen: KestraProgressEvent[] = [];
    const children = await k.client.waitForChildren('P', { atLeast: 2, deadlineMs: 5_000, onProgress: (e) => seen.push(e) });
    expect(children.map((c) => c.id)).toEqual(['c1', 'c2']);
    expect(seen.filter((e) => e.type === 'children').map((e) => (e as { found: number }).found)).toEqual([0, 1, 2]);
  });

  test('waitForChildren times out with the count it saw', async () => {
    const k = mockKestra();
    k.pool.intercept({ path: pathIs(SEARCH), method: 'GET' }).reply(200, paged([subflowChild('c1', 'P', '2025-12-02T10:00:00Z')]), JSON_HEADERS).persist();
    await expect(k.client.waitForChildren('P', { atLeast: 4, deadlineMs: 500 }))
      .rejects.toThrow('execution P: expected at least 4 child execution(s) within 500ms, found 1');
  });
});

test.describe('getLogs', () => {
  test('GET /logs/{executionId}?minLevel=…, typed and level-filtered', async () => {
    const k = mockKestra();
    const log = (level: string, message: string) => ({ namespace: 'christmas', flowId: 'send-email', executionId: 'e1', taskId: 'send', taskRunId: 'tr', attemptNumber: 1, timestamp: '2025-12-01T10:00:01.123Z', level, thread: 'worker', message });
    k.pool.intercept({ path: '/api/v1/main/logs/e1?minLevel=WARN', method: 'GET' })
      .reply(200, [log('WARN', 'Notion template missing: using fallback copy'), log('ERROR', 'Resend 422'), log('INFO', 'ignored by the client too')], JSON_HEADERS);
    const logs = await k.client.getLogs('e1', { minLevel: 'WARN' });
    expect(logs.map((l) => `${l.level} ${l.message}`)).toEqual(['WARN Notion template missing: using fallback copy', 'ERROR Resend 422']);
  });

  test('an unknown log level is a shape error naming the field', async () => {
    const k = mockKestra();
    k.pool.intercept({ path: '/api/v1/main/logs/e1', method: 'GET' })
      .reply(200, [{ namespace: 'n', flowId: 'f', timestamp: 't', level: 'VERBOSE', message: 'x' }], JSON_HEADERS);
    await expect(k.client.getLogs('e1')).rejects.toThrow('GET /api/v1/main/logs/e1: [0].level expected one of TRACE|DEBUG|INFO|WARN|ERROR, got "VERBOSE"');
  });
});

const FLOW_A = 'id: send-email\nnamespace: christmas\ntasks:\n  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n';
const FLOW_B = '---\nid: helper\nnamespace: christmas\ntasks: []\n';

test.describe('flows', () => {
  test('getFlowSource asks for ?source=true', async () => {
    const k = mockKestra();
    k.pool.intercept({ path: '/api/v1/main/flows/christmas/send-email?source=true', method: 'GET' })
      .reply(200, { id: 'send-email', namespace: 'christmas', revision: 4, source: FLOW_A, tasks: [] }, JSON_HEADERS);
    const flow = await k.client.getFlowSource('christmas', 'send-email');
    expect(flow).toMatchObject({ id: 'send-email', revision: 4, source: FLOW_A });
  });

  test('validateFlows returns the violations (1.0/1.1 `constraints` and newer `errors`)', async () => {
    const k = mockKestra();
    k.pool.intercept({ path: '/api/v1/main/flows/validate', method: 'POST' }).reply(200, [
      { index: 0, flow: 'send-email', namespace: 'christmas', outdated: false, deprecationPaths: [], warnings: [], infos: [] },
      { index: 1, flow: 'helper', namespace: 'christmas', constraints: 'tasks[0].type: must not be null\ntasks[0].id: must match "^[a-zA-Z0-9][a-zA-Z0-9_-]*"', warnings: ['deprecated property'] },
      { index: 2, errors: [{ detail: 'must not be null', pointer: '/tasks/0/message', path: 'tasks[log].message' }] },
    ], JSON_HEADERS);
    const res = await k.client.validateFlows([FLOW_A, FLOW_B, 'id: x\nnamespace: christmas\ntasks: []']);
    expect(res.map((r) => [r.valid, r.violations])).toEqual([
      [true, []],
      [false, ['tasks[0].type: must not be null', 'tasks[0].id: must match "^[a-zA-Z0-9][a-zA-Z0-9_-]*"']],
      [false, ['tasks[log].message: must not be null']],
    ]);
    expect(res[1]?.warnings).toEqual(['deprecated property']);
    const [call] = k.calls();
    expect(call?.headers?.['content-type']).toBe('application/x-yaml');
    expect(String(call?.body).split('\n---\n')).toHaveLength(3);
  });

  test('validateFlows refuses a flow Kestra would cut at a line starting with ---', async () => {
    const k = mockKestra();
    await expect(k.client.validateFlows([`${FLOW_A}description: |\n  a\n---\n  b\n`])).rejects.toThrow(KestraUsageError);
    expect(k.calls()).toHaveLength(0);
  });

  test('deployNamespace (per-flow): validates, then PUTs existing and POSTs new flows; never the bulk endpoints', async () => {
    const k = mockKestra();
    k.pool.intercept({ path: '/api/v1/main/flows/validate', method: 'POST' })
      .reply(200, [{ index: 0, flow: 'send-email', namespace: 'christmas' }, { index: 1, flow: 'helper', namespace: 'christmas' }], JSON_HEADERS);
    k.pool.intercept({ path: '/api/v1/main/flows/christmas/send-email', method: 'GET' }).reply(200, { id: 'send-email', namespace: 'christmas', revision: 3 }, JSON_HEADERS);
    k.pool.intercept({ path: '/api/v1/main/flows/christmas/send-email', method: 'PUT' }).reply(200, { id: 'send-email', namespace: 'christmas', revision: 4, source: FLOW_A }, JSON_HEADERS);
    k.pool.intercept({ path: '/api/v1/main/flows/christmas/helper', method: 'GET' }).reply(404, { message: 'Not Found' }, JSON_HEADERS);
    k.pool.intercept({ path: '/api/v1/main/flows', method: 'POST' }).reply(200, { id: 'helper', namespace: 'christmas', revision: 1 }, JSON_HEADERS);

    const res = await k.client.deployNamespace('christmas', [FLOW_A, FLOW_B], { delete: false });
    expect(res.flows).toEqual([
      { id: 'send-email', namespace: 'christmas', revision: 4, action: 'updated' },
      { id: 'helper', namespace: 'christmas', revision: 1, action: 'created' },
    ]);
    const calls = k.calls();
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'POST /api/v1/main/flows/validate',
      'GET /api/v1/main/flows/christmas/send-email',
      'PUT /api/v1/main/flows/christmas/send-email',
      'GET /api/v1/main/flows/christmas/helper',
      'POST /api/v1/main/flows',
    ]);
    expect(calls.find((c) => c.method === 'POST' && c.path === '/api/v1/main/flows')?.body).toBe(FLOW_B.replace(/^---\n/, '').trim());
    expect(calls.some((c) => /\/flows\/bulk|\/flows\/christmas$/.test(c.path))).toBe(false);
    expect(k.events.filter((e) => e.type === 'deploy')).toHaveLength(2);
  });

  test('deployNamespace (namespace-bulk): one POST /flows/{namespace}?delete=false', async () => {
    const k = mockKestra();
    k.pool.intercept({ path: '/api/v1/main/flows/validate', method: 'POST' }).reply(200, [{ index: 0 }, { index: 1 }], JSON_HEADERS);
    k.pool.intercept({ path: '/api/v1/main/flows/christmas?delete=false', method: 'POST' })
      .reply(200, [{ id: 'send-email', namespace: 'christmas', revision: 5 }, { id: 'helper', namespace: 'christmas', revision: 1 }], JSON_HEADERS);
    const helper = FLOW_B.replace(/^---\n/, '');
    const res = await k.client.deployNamespace('christmas', [FLOW_A, helper], { strategy: 'namespace-bulk' });
    expect(res.flows.map((f) => `${f.id}@${f.revision}:${f.action}`)).toEqual(['send-email@5:upserted', 'helper@1:upserted']);
    const bulk = k.calls()[1];
    expect(bulk?.search).toBe('?delete=false');
    expect(bulk?.headers?.['content-type']).toBe('application/x-yaml');
  });

  test('deployNamespace deploys nothing when a flow is invalid', async () => {
    const k = mockKestra();
    k.pool.intercept({ path: '/api/v1/main/flows/validate', method: 'POST' })
      .reply(200, [{ index: 0 }, { index: 1, constraints: 'tasks: must not be empty' }], JSON_HEADERS);
    const err = await caught(k.client.deployNamespace('christmas', [FLOW_A, FLOW_B]));
    expect(err).toBeInstanceOf(KestraValidationError);
    expect(err.message).toBe('1 flow(s) of christmas failed validation, nothing deployed — christmas.helper: tasks: must not be empty');
    expect(k.calls()).toHaveLength(1);
  });

  test('deployNamespace refuses delete=true, flows of another namespace, duplicates, and --- with namespace-bulk', async () => {
    const k = mockKestra();
    await expect(k.client.deployNamespace('christmas', [FLOW_A], { delete: true } as never)).rejects.toThrow(/never deletes flows/);
    await expect(k.client.deployNamespace('christmas.handlers', [FLOW_A])).rejects.toThrow('flow send-email is in namespace christmas, not christmas.handlers');
    await expect(k.client.deployNamespace('christmas', [FLOW_A, FLOW_A])).rejects.toThrow(/appears twice/);
    await expect(k.client.deployNamespace('christmas', [`${FLOW_A}description: a --- b\n`], { strategy: 'namespace-bulk' })).rejects.toThrow(/contains "---"/);
    await expect(k.client.deployNamespace('christmas', ['id: a\nnamespace: christmas\n---\nid: b\nnamespace: christmas'])).rejects.toThrow(/2 YAML documents/);
    await expect(k.client.deployNamespace('christmas', ['namespace: christmas\ntasks: []'])).rejects.toThrow(/no string "id"/);
    expect(k.calls()).toHaveLength(0);
  });
});

test.describe('health and version', () => {
  test('version() reads /api/v1/configs (tenant-less in every version)', async () => {
    const k = mockKestra();
    k.pool.intercept({ path: '/api/v1/configs', method: 'GET' })
      .reply(200, { uuid: 'u', version: '1.0.9', edition: 'OSS', commitId: 'abc1234', commitDate: '2025-11-20T10:00:00Z', isBasicAuthInitialized: true }, JSON_HEADERS);
    expect(await k.client.version()).toEqual({ version: '1.0.9', edition: 'OSS', commitId: 'abc1234', commitDate: '2025-11-20T10:00:00Z' });
  });

  test('health() asks the management port; DOWN (503) is an answer, not an error', async () => {
    const k = mockKestra({ managementUrl: 'http://kestra.test:8081' });
    k.mgmt.intercept({ path: '/health', method: 'GET' }).reply(200, { name: 'kestra', status: 'UP', details: {} }, JSON_HEADERS);
    k.mgmt.intercept({ path: '/health', method: 'GET' }).reply(503, { name: 'kestra', status: 'DOWN' }, JSON_HEADERS);
    expect(await k.client.health()).toEqual({ ok: true, status: 'UP', source: 'management' });
    expect(await k.client.health()).toEqual({ ok: false, status: 'DOWN', source: 'management' });
    expect(k.calls()).toHaveLength(2);
  });

  test('health() falls back to the API when the management port is unreachable or not configured', async () => {
    const k = mockKestra({ managementUrl: 'http://kestra.test:8081', retry: { attempts: 1 } });
    k.mgmt.intercept({ path: '/health', method: 'GET' }).replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    k.pool.intercept({ path: '/api/v1/configs', method: 'GET' }).reply(200, { version: '1.0.9' }, JSON_HEADERS);
    const h = await k.client.health();
    expect(h).toMatchObject({ ok: true, status: 'UP', source: 'api', version: '1.0.9' });
    expect(h.error).toContain('ECONNREFUSED');

    const plain = mockKestra({ retry: { attempts: 1 } });
    plain.pool.intercept({ path: '/api/v1/configs', method: 'GET' }).reply(502, 'Bad Gateway');
    expect(await plain.client.health()).toMatchObject({ ok: false, status: 'UNREACHABLE', source: 'api' });
  });
});
