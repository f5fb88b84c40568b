/**
 * The Kestra stand-in's admin routes the smoke and the gate call — kill, distinct-namespaces and
 * flow search — with Kestra's status codes, through the harness's own admin client
 * (helpers/clients/kestra/admin.ts) where it has one, so `smoke:prod` can run offline on stack:local.
 */
import { test as base, expect } from '../support/unit-test.js';
import { validPayload } from '../../helpers/scenarios/payloads.js';
import { createKestraAdmin, type KestraAdmin } from '../../helpers/clients/kestra/admin.js';
import { kestraEmails, NAMESPACES } from '../../helpers/spec/index.js';
import { startLocalStack, type LocalStack } from '../../helpers/standins/stack.js';

const START = new Date('2025-12-01T12:00:00Z');

const test = base.extend<{ stack: LocalStack; admin: KestraAdmin }>({
  stack: async ({}, use) => {
    const stack = await startLocalStack({ startAt: START, retryDelayScale: 0.001 });
    await use(stack);
    expect(stack.kestra.crashes()).toEqual([]);
    await stack.stop();
  },
  admin: async ({ stack }, use) => {
    const auth = stack.credentials.kestra || undefined;
    await use(createKestraAdmin({ baseUrl: stack.kestra.url, ...(auth ? { auth } : {}) }));
  },
});

async function kill(stack: LocalStack, id: string, query = '') {
  const auth = stack.credentials.kestra;
  const headers: Record<string, string> = auth ? { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` } : {};
  const res = await fetch(`${stack.kestra.url}/api/v1/main/executions/${id}/kill${query}`, { method: 'DELETE', headers });
  return { status: res.status, text: await res.text() };
}

async function noshowHandler(stack: LocalStack) {
  const res = await fetch(stack.webhooks.noshow, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(validPayload('noshow')) });
  expect(res.status).toBe(200);
  const { id } = (await res.json()) as { id: string };
  await stack.kestra.settle();
  return stack.kestra.execution(id)!;
}

/** The handler's scheduled send-email executions (its descendants share its correlation id). */
const sendsOf = (stack: LocalStack, handlerId: string) =>
  stack.kestra.executions({ flowId: 'send-email', label: { key: 'system.correlationId', value: handlerId } });

// Kestra ExecutionController#kill (webserver/src/main/java/io/kestra/webserver/controllers/api/ExecutionController.java,
// the same from 0.20 to 1.x): isOnKillCascade defaults to true, and "Always emit an EXECUTION_KILLED event when
// isOnKillCascade=true" — only `execution.getState().isTerminated() && !isOnKillCascade` is refused; then 202.
test.describe('DELETE /executions/{id}/kill', () => {
  test('killing a FINISHED handler answers 202 and, cascading, kills its scheduled sends: nothing goes out', async ({ stack, admin }) => {
    const handler = await noshowHandler(stack);
    expect(handler.state.current).toBe('SUCCESS');
    const scheduled = sendsOf(stack, handler.id);
    expect(scheduled.length).toBe(kestraEmails('noshow').length);
    expect(scheduled.every((e) => e.state.current === 'CREATED')).toBe(true);

    expect(await admin.killExecution(handler.id)).toBe('requested');
    for (const child of sendsOf(stack, handler.id)) {
      const after = stack.kestra.execution(child.id)!;
      expect(after.state.current).toBe('KILLED');
      expect(after.state.histories.map((h) => h.state)).toEqual(['CREATED', 'KILLING', 'KILLED']);
    }
    expect(stack.kestra.execution(handler.id)!.state.current, 'an ended execution keeps its state').toBe('SUCCESS');
    await stack.kestra.clock.advance({ days: 8 });
    expect(stack.resend.outbox()).toEqual([]);
    expect(stack.kestra.executions({ flowId: 'send-email' }).every((e) => e.state.current === 'KILLED')).toBe(true);
  });

  test('killing one scheduled send kills that one only; the others still go out', async ({ stack, admin }) => {
    const handler = await noshowHandler(stack);
    const [first, ...rest] = sendsOf(stack, handler.id).sort((a, b) => String(a.scheduleDate).localeCompare(String(b.scheduleDate)));
    expect((await kill(stack, first!.id)).status).toBe(202);
    expect(await admin.killExecution(first!.id), 'killing it again: ended, cascade on → 202').toBe('requested');
    await stack.kestra.clock.advance({ days: 8 });
    expect(stack.kestra.execution(first!.id)!.state.current).toBe('KILLED');
    expect(rest.map((e) => stack.kestra.execution(e.id)!.state.current)).toEqual(rest.map(() => 'SUCCESS'));
    expect(stack.resend.outbox()).toHaveLength(rest.length);
  });

  test('an ended execution with isOnKillCascade=false is 409; an unknown one is 404', async ({ stack, admin }) => {
    const handler = await noshowHandler(stack);
    const refused = await kill(stack, handler.id, '?isOnKillCascade=false');
    expect(refused.status).toBe(409);
    expect(JSON.parse(refused.text).message).toBe('Cannot kill execution: execution is already terminated.');
    expect(sendsOf(stack, handler.id).map((e) => e.state.current), 'a refused kill kills nothing').toEqual(kestraEmails('noshow').map(() => 'CREATED'));
    expect((await kill(stack, 'doesNotExist')).status).toBe(404);
    expect(await admin.killExecution('doesNotExist')).toBe('not-found');
  });
});

// FlowController#listDistinctNamespace → FlowRepositoryInterface#findDistinctNamespace(tenant, prefix): names STARTING with q.
test('GET /flows/distinct-namespaces lists the namespaces that have flows, filtered by prefix', async ({ stack, admin }) => {
  const all = [...new Set(stack.kestra.flows().map((f) => f.namespace))].sort();
  expect(all.length).toBeGreaterThan(1);
  expect(await admin.distinctNamespaces('')).toEqual(all);
  expect(await admin.distinctNamespaces(NAMESPACES.root)).toEqual(all.filter((n) => n.startsWith(NAMESPACES.root)));
  expect(await admin.distinctNamespaces('handlers')).toEqual([]);
  expect((await admin.campaignFlows([])).length).toBe(stack.kestra.flows().length);
});

// FlowController#find (GET /flows/search) → PagedResults; namespace = ns OR namespace LIKE 'ns.%' (AbstractJdbcFlowRepository#find).
test('GET /flows/search pages the flows of a namespace and its children, filters by q, sorts', async ({ stack }) => {
  const auth = stack.credentials.kestra;
  const headers: Record<string, string> = auth ? { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` } : {};
  const search = async (query: string) => {
    const res = await fetch(`${stack.kestra.url}/api/v1/main/flows/search?${query}`, { headers });
    return { status: res.status, json: (await res.json()) as { results?: { id: string; namespace: string }[]; total?: number; message?: string } };
  };
  const flows = stack.kestra.flows();
  const all = await search(`namespace=${NAMESPACES.root}&size=100`);
  expect(all.status).toBe(200);
  expect(all.json.total).toBe(flows.filter((f) => f.namespace === NAMESPACES.root || f.namespace.startsWith(`${NAMESPACES.root}.`)).length);
  const handlers = await search(`namespace=${NAMESPACES.root}.handlers&size=100`);
  expect(handlers.json.results!.every((f) => f.namespace === `${NAMESPACES.root}.handlers`)).toBe(true);
  expect(handlers.json.total).toBe(flows.filter((f) => f.namespace === `${NAMESPACES.root}.handlers`).length);
  const page2 = await search(`namespace=${NAMESPACES.root}&size=2&page=2&sort=id:desc`);
  const byIdDesc = flows.map((f) => f.id).sort().reverse();
  expect(page2.json.results!.map((f) => f.id)).toEqual(byIdDesc.slice(2, 4));
  expect((await search('q=SIGNUP')).json.results!.map((f) => f.id)).toEqual(['signup-handler']);
  expect((await search('page=0')).status).toBe(422);
});
