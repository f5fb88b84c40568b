/**
 * The Kestra stand-in's REST API: Kestra 1.x's paths, shapes and status codes, basic auth with the
 * webhook paths open, the flows API (create/update/get/validate/bulk), search, logs, and bad input
 * answered the way the real server answers it — never a crash. Also: the harness's own Kestra
 * client (helpers/clients/kestra) runs against it unchanged.
 */
import { test as base, expect } from '../support/unit-test.js';
import { createKestraClient } from '../../helpers/clients/kestra/index.js';
import { repositoryFlows } from '../../helpers/kestra-model/repository-flows.js';
import { allStandinFixtureFlows, standinFixtureFlow } from '../support/kestra-standin-flows.js';
import { parseFlow } from '../../helpers/standins/kestra/flow.js';
import {
  SUPPORTED_INPUT_TYPES, SUPPORTED_TASK_PROPERTIES, SUPPORTED_TASK_TYPES, SUPPORTED_TRIGGER_TYPES, unsupportedFeatures,
} from '../../helpers/standins/kestra/support.js';
import { FlowValidationError, secretEnv, startKestraStandin, type KestraStandin } from '../../helpers/standins/kestra/index.js';

const AUTH = { username: 'admin@kestra.test', password: 'Passw0rd-test' };
const BASIC = `Basic ${Buffer.from(`${AUTH.username}:${AUTH.password}`).toString('base64')}`;
const HOOK_KEY = 'hook-key-123';
const RAW_KEY = 'raw-key-456';
const API = '/api/v1/main';

const test = base.extend<{ kestra: KestraStandin }>({
  kestra: async ({}, use) => {
    const kestra = await startKestraStandin({
      flows: allStandinFixtureFlows(),
      env: secretEnv({ HOOK_KEY, RAW_KEY }),
      auth: AUTH,
      startAt: new Date('2025-12-01T09:00:00Z'),
      retryDelayScale: 0.001,
      maxBodyBytes: 64 * 1024,
    });
    await use(kestra);
    expect(kestra.crashes(), 'the stand-in never crashes').toEqual([]);
    await kestra.stop();
  },
});

async function call(kestra: KestraStandin, method: string, path: string, opts: { body?: string; contentType?: string; auth?: string | false } = {}) {
  const headers: Record<string, string> = {};
  if (opts.auth !== false) headers.authorization = opts.auth ?? BASIC;
  if (opts.contentType) headers['content-type'] = opts.contentType;
  const res = await fetch(`${kestra.url}${path}`, { method, headers, ...(opts.body !== undefined ? { body: opts.body } : {}) });
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, headers: res.headers };
}

const yaml = (id: string, extra = '') => `id: ${id}\nnamespace: standin.api\n${extra}tasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hello\n`;

async function fire(kestra: KestraStandin, flowId: string, key: string, body: unknown = {}) {
  const res = await call(kestra, 'POST', `${API}/executions/webhook/standin.test/${flowId}/${key}`, { body: JSON.stringify(body), contentType: 'application/json', auth: false });
  return res.json.id as string;
}

test.describe('basic auth (Kestra ≥ 0.24, open-urls)', () => {
  test('an API call without credentials is 401 with an empty body and WWW-Authenticate: Basic realm="Kestra"', async ({ kestra }) => {
    const res = await call(kestra, 'GET', `${API}/executions/search`, { auth: false });
    expect(res.status).toBe(401);
    expect(res.text).toBe('');
    expect(res.headers.get('www-authenticate')).toBe('Basic realm="Kestra"');
  });

  test('wrong credentials are 401 too; right ones pass', async ({ kestra }) => {
    expect((await call(kestra, 'GET', `${API}/executions/search`, { auth: `Basic ${Buffer.from('admin@kestra.test:nope').toString('base64')}` })).status).toBe(401);
    expect((await call(kestra, 'GET', `${API}/executions/search`)).status).toBe(200);
  });

  test('webhooks (both path styles), /api/v1/configs, /health and /ping need no credentials', async ({ kestra }) => {
    for (const path of [`${API}/executions/webhook/standin.test/raw-webhook/${RAW_KEY}`, `/api/v1/executions/webhook/standin.test/raw-webhook/${RAW_KEY}`]) {
      expect((await call(kestra, 'POST', path, { body: '{}', contentType: 'application/json', auth: false })).status).toBe(200);
    }
    expect((await call(kestra, 'GET', '/api/v1/configs', { auth: false })).status).toBe(200);
    expect((await call(kestra, 'GET', '/health', { auth: false })).json).toMatchObject({ status: 'UP' });
    expect((await call(kestra, 'GET', '/ping', { auth: false })).text).toBe('pong');
  });
});

test.describe('executions', () => {
  test('GET /executions/{id} serves the execution JSON (ids, labels, taskRunList, state with ISO duration)', async ({ kestra }) => {
    const id = await fire(kestra, 'raw-webhook', RAW_KEY, { email: 'a@b.c' });
    await kestra.settle();
    const res = await call(kestra, 'GET', `${API}/executions/${id}`);
    expect(res.status).toBe(200);
    // Kestra's JacksonMapper writes no null fields (NON_NULL): parentId is absent, not null
    expect(res.json).not.toHaveProperty('parentId');
    expect(res.json).toMatchObject({
      id, tenantId: 'main', namespace: 'standin.test', flowId: 'raw-webhook', flowRevision: 1, originalId: id, deleted: false,
      state: { current: 'SUCCESS', duration: 'PT0S', startDate: '2025-12-01T09:00:00Z', endDate: '2025-12-01T09:00:00Z' },
      trigger: { id: 'hook', type: 'io.kestra.plugin.core.trigger.Webhook' },
    });
    expect(res.json.taskRunList.map((t: { taskId: string }) => t.taskId)).toEqual(['read_body', 'log_it']);
  });

  test('an unknown execution is 404 with Micronaut\'s JSON error', async ({ kestra }) => {
    const res = await call(kestra, 'GET', `${API}/executions/doesNotExist`);
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ message: 'Not Found', _links: { self: { href: `${API}/executions/doesNotExist` } } });
  });

  test('search filters by namespace, flowId, state and labels (filters[...] syntax) and pages with a total', async ({ kestra }) => {
    for (let i = 0; i < 3; i++) await fire(kestra, 'raw-webhook', RAW_KEY);
    kestra.run('standin.test', 'branches', { choice: 'a', go: true });
    await kestra.settle();
    const q = (params: string) => call(kestra, 'GET', `${API}/executions/search?${params}`);
    const byFlow = await q('page=1&size=2&filters[namespace][EQUALS]=standin.test&filters[flowId][EQUALS]=raw-webhook&filters[state][IN]=SUCCESS,WARNING');
    expect(byFlow.json.total).toBe(3);
    expect(byFlow.json.results).toHaveLength(2);
    expect((await q('page=2&size=2&filters[flowId][EQUALS]=raw-webhook')).json.results).toHaveLength(1);
    expect((await q('filters[labels][EQUALS][owner]=harness')).json.total).toBe(3);
    expect((await q('filters[labels][EQUALS][owner]=nobody')).json.total).toBe(0);
    expect((await q('filters[state][EQUALS]=FAILED')).json.total).toBe(0);
  });

  test('search finds the children of a parent (triggerExecutionId) and tells children from main executions (childFilter)', async ({ kestra }) => {
    const parent = kestra.run('standin.test', 'parent', { n: 2 });
    await kestra.settle();
    const children = await call(kestra, 'GET', `${API}/executions/search?filters[triggerExecutionId][EQUALS]=${parent.id}`);
    expect(children.json.total).toBe(2);
    const states = children.json.results.map((e: { state: { current: string } }) => e.state.current).sort();
    expect(states).toEqual(['CREATED', 'SUCCESS']);
    expect((await call(kestra, 'GET', `${API}/executions/search?filters[childFilter][EQUALS]=CHILD`)).json.total).toBe(2);
    expect((await call(kestra, 'GET', `${API}/executions/search?filters[childFilter][EQUALS]=MAIN`)).json.total).toBe(1);
  });

  test('search on the system.correlationId label finds a root and its Subflow children, as Kestra matches labels (system ones too)', async ({ kestra }) => {
    // QueryFilterFormatBinder (webserver/.../converters, 1.x) makes filters[labels][EQUALS][k]=v one
    // LABELS filter, first value per key; PostgresExecutionRepositoryService#findLabelCondition
    // (1.2.x–1.3) matches it by `value -> 'labels' @> [{key, value}]` over every label.
    const root = kestra.run('standin.test', 'parent', { n: 2 });
    const other = kestra.run('standin.test', 'parent', { n: 1 });
    await kestra.settle();
    const ids = async (params: string) => ((await call(kestra, 'GET', `${API}/executions/search?size=100&${params}`)).json.results as { id: string }[]).map((e) => e.id).sort();
    const children = await ids(`filters[triggerExecutionId][EQUALS]=${root.id}`);
    expect(children).toHaveLength(2);
    const family = `filters[labels][EQUALS][system.correlationId]=${root.id}`;
    expect(await ids(family)).toEqual([root.id, ...children].sort());
    expect(await ids(`${family}&filters[labels][EQUALS][kind]=waited`), 'two labels: both must match').toHaveLength(1);
    expect(await ids(`${family}&filters[labels][EQUALS][system.correlationId]=${other.id}`), 'a repeated key: its first value').toEqual([root.id, ...children].sort());
    expect(await ids(`filters[labels][EQUALS][system.correlationId]=${children[0]}`), 'a child names no family: it carries the root\'s id').toEqual([]);
    expect(await ids(`filters[labels][NOT_EQUALS][system.correlationId]=${root.id}`)).toEqual((await ids(`filters[labels][EQUALS][system.correlationId]=${other.id}`)));
  });

  test('the legacy flat parameters are still answered (namespace is a prefix match)', async ({ kestra }) => {
    await fire(kestra, 'raw-webhook', RAW_KEY);
    await kestra.settle();
    expect((await call(kestra, 'GET', `${API}/executions/search?namespace=standin&state=SUCCESS&labels=owner:harness`)).json.total).toBe(1);
  });

  test('search sorts (sort=state.startDate:desc by default) and refuses a bad page, state or filter', async ({ kestra }) => {
    await fire(kestra, 'raw-webhook', RAW_KEY);
    await kestra.clock.advance({ hours: 1 });
    const later = await fire(kestra, 'raw-webhook', RAW_KEY);
    await kestra.settle();
    expect((await call(kestra, 'GET', `${API}/executions/search?sort=state.startDate:desc`)).json.results[0].id).toBe(later);
    expect((await call(kestra, 'GET', `${API}/executions/search?sort=state.startDate:asc`)).json.results[1].id).toBe(later);
    expect((await call(kestra, 'GET', `${API}/executions/search?page=0`)).status).toBe(422);
    expect((await call(kestra, 'GET', `${API}/executions/search?filters[state][IN]=DONE`)).status).toBe(422);
    expect((await call(kestra, 'GET', `${API}/executions/search?filters[colour][EQUALS]=red`)).status).toBe(422);
  });

  // ExecutionController#replay (@Post "/{executionId}/replay") → ExecutionService#replay: a new id, the
  // original's inputs, labels and trigger (Execution#childExecution), parentId = the original, the next attempt.
  test('POST /executions/{id}/replay runs the flow again as a new execution cloned from the original', async ({ kestra }) => {
    const id = await fire(kestra, 'raw-webhook', RAW_KEY, { email: 'a@b.c' });
    await kestra.settle();
    const original = (await call(kestra, 'GET', `${API}/executions/${id}`)).json;
    const res = await call(kestra, 'POST', `${API}/executions/${id}/replay`);
    expect(res.status).toBe(200);
    expect(res.json.id).not.toBe(id);
    expect(res.json).toMatchObject({ flowId: 'raw-webhook', parentId: id, originalId: id, inputs: original.inputs, labels: original.labels, trigger: original.trigger, metadata: { attemptNumber: 2 } });
    await kestra.settle();
    const replayed = (await call(kestra, 'GET', `${API}/executions/${res.json.id}`)).json;
    expect(replayed.state.current).toBe('SUCCESS');
    expect(replayed.taskRunList.map((t: { taskId: string }) => t.taskId)).toEqual(['read_body', 'log_it']);
    // a replay of the replay keeps the chain's first execution as originalId
    expect((await call(kestra, 'POST', `${API}/executions/${res.json.id}/replay`)).json).toMatchObject({ parentId: res.json.id, originalId: id, metadata: { attemptNumber: 3 } });
    // inputs are the original's, not the flow's defaults
    const withInputs = kestra.run('standin.test', 'branches', { choice: 'b', go: true });
    await kestra.settle();
    const replayOfRun = await call(kestra, 'POST', `${API}/executions/${withInputs.id}/replay`);
    expect(replayOfRun.json.inputs).toEqual({ choice: 'b', go: true });
    expect((await call(kestra, 'POST', `${API}/executions/doesNotExist/replay`)).status).toBe(404);
    expect((await call(kestra, 'GET', `${API}/executions/${id}/replay`)).status).toBe(405);
    const fromTask = await call(kestra, 'POST', `${API}/executions/${id}/replay?taskRunId=${original.taskRunList[1].id}`);
    expect([fromTask.status, fromTask.json.message]).toEqual([501, 'Kestra stand-in: replay from a task run or of another flow revision is not modelled']);
  });

  test('GET /logs/{executionId} lists the execution\'s logs, with minLevel', async ({ kestra }) => {
    const id = await fire(kestra, 'raw-webhook', RAW_KEY, { email: 'a@b.c' });
    await kestra.settle();
    const all = await call(kestra, 'GET', `${API}/logs/${id}`);
    expect(all.status).toBe(200);
    expect(all.json.length).toBeGreaterThan(1);
    const warn = await call(kestra, 'GET', `${API}/logs/${id}?minLevel=WARN`);
    expect(warn.json).toEqual([expect.objectContaining({ level: 'WARN', taskId: 'log_it', executionId: id, namespace: 'standin.test', flowId: 'raw-webhook', message: 'received a@b.c' })]);
    expect((await call(kestra, 'GET', `${API}/logs/${id}?minLevel=LOUD`)).status).toBe(422);
  });
});

test.describe('flows API (FlowController)', () => {
  test('POST /flows creates from YAML (revision 1); the same id again is 422', async ({ kestra }) => {
    const created = await call(kestra, 'POST', `${API}/flows`, { body: yaml('hello'), contentType: 'application/x-yaml' });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ id: 'hello', namespace: 'standin.api', revision: 1, source: yaml('hello') });
    const again = await call(kestra, 'POST', `${API}/flows`, { body: yaml('hello'), contentType: 'application/x-yaml' });
    expect(again.status).toBe(422);
    expect(again.json.message).toContain('Flow id already exists');
  });

  test('PUT /flows/{ns}/{id} updates (a new revision only when the source changed); an unknown flow is 404', async ({ kestra }) => {
    await call(kestra, 'POST', `${API}/flows`, { body: yaml('hello'), contentType: 'application/x-yaml' });
    const same = await call(kestra, 'PUT', `${API}/flows/standin.api/hello`, { body: yaml('hello'), contentType: 'application/x-yaml' });
    expect(same.json.revision).toBe(1);
    const changed = await call(kestra, 'PUT', `${API}/flows/standin.api/hello`, { body: yaml('hello', 'description: changed\n'), contentType: 'application/x-yaml' });
    expect(changed.json.revision).toBe(2);
    expect((await call(kestra, 'PUT', `${API}/flows/standin.api/nope`, { body: yaml('nope'), contentType: 'application/x-yaml' })).status).toBe(404);
    expect((await call(kestra, 'PUT', `${API}/flows/standin.api/hello`, { body: yaml('other'), contentType: 'application/x-yaml' })).status).toBe(422);
  });

  test('GET /flows/{ns}/{id}?source=true returns the flow with its source; without it no source; unknown is 404', async ({ kestra }) => {
    const withSource = await call(kestra, 'GET', `${API}/flows/standin.test/branches?source=true`);
    expect(withSource.json).toMatchObject({ id: 'branches', namespace: 'standin.test', revision: 1, source: standinFixtureFlow('branches') });
    expect(withSource.json.tasks).toHaveLength(2);
    expect((await call(kestra, 'GET', `${API}/flows/standin.test/branches`)).json.source).toBeUndefined();
    expect((await call(kestra, 'GET', `${API}/flows/standin.test/missing`)).status).toBe(404);
  });

  test('POST /flows/validate answers one entry per document; constraints only for invalid ones', async ({ kestra }) => {
    const body = `${yaml('good')}---\nid: bad\nnamespace: standin.api\ntasks: []\n`;
    const res = await call(kestra, 'POST', `${API}/flows/validate`, { body, contentType: 'application/x-yaml' });
    expect(res.status).toBe(200);
    expect(res.json).toHaveLength(2);
    expect(res.json[0]).toMatchObject({ index: 0, flow: 'good', namespace: 'standin.api', outdated: false, deprecationPaths: [], warnings: [], infos: [] });
    expect(res.json[0].constraints).toBeUndefined();
    expect(res.json[1]).toMatchObject({ index: 1, flow: 'bad', constraints: 'tasks: must not be empty' });
  });

  test('POST /flows/{namespace} upserts the flows AND DELETES the namespace\'s other flows unless delete=false (Kestra\'s default is true)', async ({ kestra }) => {
    await call(kestra, 'POST', `${API}/flows`, { body: yaml('a'), contentType: 'application/x-yaml' });
    await call(kestra, 'POST', `${API}/flows`, { body: yaml('b'), contentType: 'application/x-yaml' });
    const keep = await call(kestra, 'POST', `${API}/flows/standin.api?delete=false`, { body: yaml('c'), contentType: 'application/x-yaml' });
    expect(keep.json.map((f: { id: string }) => f.id)).toEqual(['c']);
    expect(kestra.flows().filter((f) => f.namespace === 'standin.api').map((f) => f.id)).toEqual(['a', 'b', 'c']);
    await call(kestra, 'POST', `${API}/flows/standin.api`, { body: yaml('c'), contentType: 'application/x-yaml' });
    expect(kestra.flows().filter((f) => f.namespace === 'standin.api').map((f) => f.id)).toEqual(['c']);
    expect(kestra.flows().some((f) => f.namespace === 'standin.test'), 'other namespaces untouched').toBe(true);
    expect((await call(kestra, 'POST', `${API}/flows/other.ns`, { body: yaml('d'), contentType: 'application/x-yaml' })).status).toBe(422);
  });

  test('POST /flows/bulk is tenant-wide: with delete (default true) and no namespace it deletes every unlisted flow', async ({ kestra }) => {
    const res = await call(kestra, 'POST', `${API}/flows/bulk`, { body: yaml('only'), contentType: 'application/x-yaml' });
    expect(res.status).toBe(200);
    expect(kestra.flows().map((f) => `${f.namespace}.${f.id}`)).toEqual(['standin.api.only']);
  });

  test('flow YAML with another content type is 415; invalid YAML or an invalid flow is 422 naming the problem', async ({ kestra }) => {
    expect((await call(kestra, 'POST', `${API}/flows`, { body: yaml('x'), contentType: 'application/json' })).status).toBe(415);
    const broken = await call(kestra, 'POST', `${API}/flows`, { body: 'id: [unclosed', contentType: 'application/x-yaml' });
    expect(broken.status).toBe(422);
    expect(broken.json.message).toMatch(/^Invalid entity: Illegal flow source/);
    const noUri = await call(kestra, 'POST', `${API}/flows`, { body: 'id: x\nnamespace: standin.api\ntasks:\n  - id: r\n    type: io.kestra.plugin.core.http.Request\n', contentType: 'application/x-yaml' });
    expect(noUri.status).toBe(422);
    expect(noUri.json._embedded.errors).toEqual([{ message: 'must not be null', path: 'tasks[0].uri' }]);
  });
});

test.describe('supported subset (support.ts) — loud, never silent', () => {
  test('deploying a flow with an unsupported task type is refused, naming the feature', async ({ kestra }) => {
    const res = await call(kestra, 'POST', `${API}/flows`, {
      body: 'id: scripted\nnamespace: standin.api\ntasks:\n  - id: sh\n    type: io.kestra.plugin.scripts.shell.Commands\n    commands: [ls]\n',
      contentType: 'application/x-yaml',
    });
    expect(res.status).toBe(422);
    expect(res.json.message).toContain('tasks[0].type: task type `io.kestra.plugin.scripts.shell.Commands` is not supported by the Kestra stand-in');
    expect(() => kestra.deploy('id: s\nnamespace: a\ntasks:\n  - id: p\n    type: io.kestra.plugin.core.flow.Parallel\n    tasks: []\n')).toThrow(FlowValidationError);
  });

  test('unsupported properties, trigger types, input types and retry behaviours are each named', () => {
    const found = unsupportedFeatures({
      id: 'x', namespace: 'a', sla: [], concurrency: { limit: 1, behavior: 'QUEUE', cancelAfter: 'PT1H' },
      inputs: [{ id: 'f', type: 'FILE' }, { id: 's', type: 'STRING', minLength: 1 }],
      tasks: [
        { id: 'l', type: 'io.kestra.plugin.core.log.Log', message: 'm', workerGroup: { key: 'g' } },
        { id: 'r', type: 'io.kestra.plugin.core.http.Request', uri: 'u', options: { auth: {} }, retry: { type: 'constant', interval: 'PT1S', behavior: 'CREATE_NEW_EXECUTION' } },
        { id: 'i', type: 'io.kestra.plugin.core.flow.If', condition: 'c', then: [{ id: 'w', type: 'io.kestra.plugin.core.flow.WaitFor' }] },
      ],
      triggers: [{ id: 's', type: 'io.kestra.plugin.core.trigger.Schedule', cron: '* * * * *' }],
    });
    expect(found.map((f) => f.path)).toEqual([
      'sla', 'concurrency.cancelAfter', 'tasks[0].workerGroup', 'tasks[1].retry.behavior', 'tasks[1].options.auth', 'tasks[2].then[0].type', 'triggers[0].type', 'inputs[0].type', 'inputs[1].minLength',
    ]);
  });

  test('startKestraStandin refuses a flow it cannot run before taking a port', async () => {
    await expect(startKestraStandin({ flows: ['id: s\nnamespace: a\ntasks:\n  - id: p\n    type: io.kestra.plugin.core.flow.Pause\n'] })).rejects.toThrow(/flow #0: tasks\[0\]\.type: task type `io\.kestra\.plugin\.core\.flow\.Pause`/);
  });

  test('a Pebble function or filter the stand-in\'s engine lacks is refused at deploy, naming it', async ({ kestra }) => {
    const res = await call(kestra, 'POST', `${API}/flows`, {
      body: 'id: kv\nnamespace: standin.api\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: "{{ kv(\'counter\') }}"\n',
      contentType: 'application/x-yaml',
    });
    expect(res.status).toBe(422);
    expect(res.json.message).toContain('tasks[0].message: Pebble function `kv` is not supported by the Kestra stand-in');
  });

  test('every flow of this repository is inside the supported subset and valid', () => {
    for (const f of repositoryFlows()) {
      expect(unsupportedFeatures(f.definition), f.file).toEqual([]);
      const parsed = parseFlow(f.source);
      expect(parsed.ok ? [] : parsed.violations, f.file).toEqual([]);
    }
  });

  test('the lists the linter re-exports are consistent', () => {
    expect(SUPPORTED_TASK_TYPES).toContain('io.kestra.plugin.core.http.Request');
    expect(SUPPORTED_TRIGGER_TYPES).toEqual(['io.kestra.plugin.core.trigger.Webhook']);
    expect(SUPPORTED_INPUT_TYPES).toContain('SELECT');
    for (const type of SUPPORTED_TASK_TYPES) expect(SUPPORTED_TASK_PROPERTIES[type]).toEqual(expect.arrayContaining(['id', 'type', 'allowFailure']));
  });
});

test.describe('server endpoints and bad input', () => {
  test('GET /api/v1/configs answers the version and edition OSS', async ({ kestra }) => {
    const res = await call(kestra, 'GET', '/api/v1/configs', { auth: false });
    expect(res.json).toMatchObject({ version: expect.stringMatching(/^1\./), edition: 'OSS' });
  });

  test('an unknown route is 404 with Micronaut\'s JSON body; a wrong method on a known route is 405', async ({ kestra }) => {
    const unknown = await call(kestra, 'GET', `${API}/nothing/here`);
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ message: 'Not Found', _embedded: { errors: [{ message: 'Page Not Found' }] } });
    expect((await call(kestra, 'POST', `${API}/executions/search`)).status).toBe(405);
    expect((await call(kestra, 'GET', '/not-api')).status).toBe(404);
  });

  test('another tenant than main is 404 (OSS has one tenant)', async ({ kestra }) => {
    expect((await call(kestra, 'GET', '/api/v1/other/executions/search')).status).toBe(404);
  });

  test('an oversized body is 413 with Micronaut\'s message; the server keeps serving', async ({ kestra }) => {
    const res = await call(kestra, 'POST', `${API}/executions/webhook/standin.test/raw-webhook/${RAW_KEY}`, { body: 'x'.repeat(70 * 1024), contentType: 'text/plain', auth: false });
    expect(res.status).toBe(413);
    expect(res.json._embedded.errors[0].message).toMatch(/exceeds the maximum allowed content length \[65536\]/);
    expect((await call(kestra, 'GET', '/health')).status).toBe(200);
  });

  test('malformed JSON to a webhook is not an error: the body stays a raw string (Webhook#withBody)', async ({ kestra }) => {
    const res = await call(kestra, 'POST', `${API}/executions/webhook/standin.test/raw-webhook/${RAW_KEY}`, { body: '{"email":', contentType: 'application/json', auth: false });
    expect(res.status).toBe(200);
    expect(res.json.trigger.variables.body).toBe('{"email":');
  });

  // Pinned kestra/kestra:v1.3.16: 409 when the inputs cannot be rendered (422 only from 1.4, kestra-io/kestra#16871).
  test('malformed JSON where typed inputs need fields is 409 on the pinned 1.3 (the inputs cannot be rendered)', async ({ kestra }) => {
    const res = await call(kestra, 'POST', `${API}/executions/webhook/standin.test/typed-inputs/${HOOK_KEY}`, { body: '{"name":', contentType: 'application/json', auth: false });
    expect(res.status).toBe(409);
  });

  test('a battery of odd requests gets Kestra-shaped answers and never crashes the server', async ({ kestra }) => {
    expect((await call(kestra, 'OPTIONS', `${API}/executions/search`)).status).toBe(405);
    expect((await call(kestra, 'POST', `${API}/flows`, { body: '', contentType: 'application/x-yaml' })).status).toBe(422);
    expect((await call(kestra, 'POST', `${API}/flows`, { body: '- just\n- a list\n', contentType: 'application/x-yaml' })).status).toBe(422);
    expect((await call(kestra, 'PUT', `${API}/flows/a/b`, { body: '\u0000\u0001', contentType: 'application/x-yaml' })).status).toBe(404);
    expect((await call(kestra, 'GET', `${API}/executions/search?size=abc`)).status).toBe(422);
    expect((await call(kestra, 'GET', `${API}/executions/search?sort=bogus:desc`)).status).toBe(422);
    expect((await call(kestra, 'POST', `${API}/flows/validate`, { body: 'id: [', contentType: 'application/x-yaml' })).json[0].constraints).toMatch(/^Illegal flow source/);
    expect((await call(kestra, 'POST', '/__standin/clock/advance', { body: '{"to":"yesterday-ish"}', contentType: 'application/json', auth: false })).status).toBe(400);
    expect((await call(kestra, 'GET', '/__standin/nothing', { auth: false })).status).toBe(404);
    expect((await call(kestra, 'POST', `${API}/executions/webhook/standin.test/raw-webhook/${RAW_KEY}`, { body: '\uFFFD\uD800', contentType: 'application/json', auth: false })).status).toBe(200);
    expect((await call(kestra, 'GET', '/health')).status).toBe(200);
  });

  test('percent-encoded garbage in a path is a 404, not a crash', async ({ kestra }) => {
    expect((await call(kestra, 'GET', `${API}/executions/%E0%A4%A`)).status).toBe(404);
  });
});

test.describe('the harness Kestra client (helpers/clients/kestra) against the stand-in', () => {
  test('fires a webhook, waits for the terminal state, finds children, reads logs, version and health', async ({ kestra }) => {
    kestra.deploy(standinFixtureFlow('parent').replace('tasks:', 'triggers:\n  - id: hook\n    type: io.kestra.plugin.core.trigger.Webhook\n    key: parent-key\n    inputs:\n      n: "{{ trigger.body.n }}"\n\ntasks:'));
    const client = createKestraClient({ baseUrl: kestra.url, auth: AUTH, retry: { attempts: 1 } });
    const fired = await client.fireWebhook('standin.test', 'parent', 'parent-key', { n: 3 });
    expect(fired.status).toBe(200);
    const done = await client.waitForTerminal(fired.execution!.id, { deadlineMs: 5_000 });
    expect(done.state.current).toBe('SUCCESS');
    expect(done.outputs).toEqual({ doubled: 6 });
    const children = await client.waitForChildren(fired.execution!.id, { atLeast: 2, deadlineMs: 5_000 });
    expect(children).toHaveLength(2);
    expect(children.some((c) => c.state.current === 'CREATED' && c.scheduleDate === '2025-12-01T11:00:00Z')).toBe(true);
    expect((await client.getLogs(fired.execution!.id, { minLevel: 'INFO' })).length).toBeGreaterThan(0);
    expect((await client.version()).edition).toBe('OSS');
    expect((await client.health()).ok).toBe(true);
  });

  test('replays an execution through the client: a new execution with the same inputs', async ({ kestra }) => {
    const client = createKestraClient({ baseUrl: kestra.url, auth: AUTH, retry: { attempts: 1 } });
    const fired = await client.fireWebhook('standin.test', 'raw-webhook', RAW_KEY, { email: 'a@b.c' });
    const done = await client.waitForTerminal(fired.execution!.id, { deadlineMs: 5_000 });
    const replay = await client.replayExecution(done.id);
    expect(replay.id).not.toBe(done.id);
    const ended = await client.waitForTerminal(replay.id, { deadlineMs: 5_000 });
    expect([ended.state.current, ended.parentId, ended.inputs]).toEqual(['SUCCESS', done.id, done.inputs]);
  });

  test('deploys and validates flows through the client', async ({ kestra }) => {
    const client = createKestraClient({ baseUrl: kestra.url, auth: AUTH, retry: { attempts: 1 } });
    const result = await client.deployNamespace('standin.api', [yaml('from-client')]);
    expect(result.flows).toEqual([expect.objectContaining({ id: 'from-client', action: 'created' })]);
    const again = await client.deployNamespace('standin.api', [yaml('from-client', 'description: v2\n')]);
    expect(again.flows).toEqual([expect.objectContaining({ id: 'from-client', action: 'updated', revision: 2 })]);
    expect((await client.getFlowSource('standin.api', 'from-client')).source).toContain('description: v2');
  });
});
