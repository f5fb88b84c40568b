/**
 * The gate's flow deploy (helpers/tools/gate/flows-deploy.ts) against the Kestra stand-in over real
 * HTTP, every request recorded: namespace by namespace in dependency order, one flow per request,
 * never `/flows/bulk`, never a per-namespace upload, and nothing deleted without --prune — with
 * --prune exactly the flows the repository does not hold, one DELETE each.
 */
import { expect, test } from '../support/unit-test.js';
import { repositoryFlows } from '../../helpers/kestra-model/repository-flows.js';
import { deployOrder, deployRepositoryFlows } from '../../helpers/tools/gate/flows-deploy.js';
import { createKestraClient } from '../../helpers/clients/kestra/index.js';
import { KestraUsageError } from '../../helpers/clients/kestra/errors.js';
import { assertAdminRoute, createKestraAdmin, isCampaignNamespace } from '../../helpers/clients/kestra/admin.js';
import { RecordingAgent } from '../../helpers/tools/smoke/local.js';
import { startKestraStandin, type KestraStandin } from '../../helpers/standins/kestra/index.js';

const EXTRA_FLOW = `id: leftover-experiment
namespace: christmas.tasks
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: left over from an experiment
`;
const OUTSIDE_FLOW = `id: unrelated
namespace: marketing.other
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: not ours
`;

let kestra: KestraStandin;
test.afterEach(async () => kestra?.stop());

function clients(standin: KestraStandin) {
  const agent = new RecordingAgent();
  const auth = standin.auth || undefined;
  return {
    agent,
    kestra: createKestraClient({ baseUrl: standin.url, ...(auth ? { auth } : {}), dispatcher: agent }),
    admin: createKestraAdmin({ baseUrl: standin.url, ...(auth ? { auth } : {}), dispatcher: agent }),
  };
}

const paths = (agent: RecordingAgent, method: string) => agent.recorded.filter((r) => r.method === method).map((r) => r.path);

test('deploys every repository flow, namespace by namespace, callees first, one flow per request', async () => {
  kestra = await startKestraStandin({ flows: false });
  const { agent, kestra: client, admin } = clients(kestra);
  const flows = repositoryFlows();
  const lines: string[] = [];
  const result = await deployRepositoryFlows(client, admin, flows, { prune: false, log: (l) => lines.push(l) });

  expect(result.deployed.map((d) => d.namespace)).toEqual(['christmas.tasks', 'christmas', 'christmas.handlers']);
  expect(result.deployed.flatMap((d) => d.flows.map((f) => f.action)).every((a) => a === 'created')).toBe(true);
  expect(kestra.flows().map((f) => `${f.namespace}.${f.id}`).sort()).toEqual(flows.map((f) => `${f.namespace}.${f.id}`).sort());
  expect(agent.recorded.some((r) => /\/flows\/bulk/.test(r.path)), 'never the tenant-wide bulk endpoint').toBe(false);
  expect(paths(agent, 'DELETE'), 'nothing deleted').toEqual([]);
  expect(paths(agent, 'POST').filter((p) => !/\/flows(\/validate)?$/.test(p.split('?')[0]!)), 'no per-namespace upload').toEqual([]);
  expect(paths(agent, 'POST').filter((p) => p.endsWith('/flows')).length, 'one create per flow').toBe(flows.length);
  expect(lines.at(-1)).toBe('no flow in the campaign namespaces outside the repository');

  // A second deploy updates in place.
  const again = await deployRepositoryFlows(client, admin, flows, { prune: false });
  expect(again.deployed.flatMap((d) => d.flows.map((f) => f.action)).every((a) => a === 'updated')).toBe(true);
});

test('a flow the repository does not hold is left in place without --prune, and only reported', async () => {
  kestra = await startKestraStandin({ flows: 'repository' });
  kestra.deploy(EXTRA_FLOW);
  const { agent, kestra: client, admin } = clients(kestra);
  const lines: string[] = [];
  const result = await deployRepositoryFlows(client, admin, repositoryFlows(), { prune: false, log: (l) => lines.push(l) });
  expect(result.unexpected.map((f) => `${f.namespace}.${f.id}`)).toEqual(['christmas.tasks.leftover-experiment']);
  expect(result.deleted).toEqual([]);
  expect(paths(agent, 'DELETE')).toEqual([]);
  expect(kestra.flows().some((f) => f.id === 'leftover-experiment')).toBe(true);
  expect(lines.at(-1)).toBe('not in the repository, left in place (pass --prune to delete): christmas.tasks.leftover-experiment');
});

test('--prune deletes exactly the unexpected campaign flows, one DELETE each, never a repository flow or another namespace', async () => {
  kestra = await startKestraStandin({ flows: 'repository' });
  kestra.deploy(EXTRA_FLOW);
  kestra.deploy(OUTSIDE_FLOW);
  const { agent, kestra: client, admin } = clients(kestra);
  const result = await deployRepositoryFlows(client, admin, repositoryFlows(), { prune: true });
  expect(result.deleted.map((f) => `${f.namespace}.${f.id}`)).toEqual(['christmas.tasks.leftover-experiment']);
  expect(paths(agent, 'DELETE')).toEqual(['/api/v1/main/flows/christmas.tasks/leftover-experiment']);
  expect(kestra.flows().map((f) => `${f.namespace}.${f.id}`).sort()).toEqual(
    [...repositoryFlows().map((f) => `${f.namespace}.${f.id}`), 'marketing.other.unrelated'].sort(),
  );
  expect(agent.recorded.some((r) => /bulk|by-query|by-ids/.test(r.path))).toBe(false);
});

test('pruning is refused when the repository holds no flow (a bad checkout must not empty production)', async () => {
  kestra = await startKestraStandin({ flows: 'repository' });
  const { agent, kestra: client, admin } = clients(kestra);
  await expect(deployRepositoryFlows(client, admin, [], { prune: true })).rejects.toThrow(/the repository holds no flow/);
  expect(agent.recorded).toEqual([]);
});

test('the admin route guard refuses bulk, by-query, non-campaign and non-single-flow calls, whatever the arguments', async () => {
  for (const [method, path] of [
    ['POST', '/api/v1/main/flows/bulk'],
    ['GET', '/api/v1/main/flows/bulk'],
    ['DELETE', '/api/v1/main/flows/delete/by-query'],
    ['DELETE', '/api/v1/main/flows/delete/by-ids'],
    ['DELETE', '/api/v1/main/executions/kill/by-query'],
    ['DELETE', '/api/v1/main/executions/by-query'],
    ['DELETE', '/api/v1/main/flows/marketing.other/unrelated'],
    ['DELETE', '/api/v1/main/flows/christmas'],
    ['POST', '/api/v1/main/flows/christmas'],
    ['PUT', '/api/v1/main/flows/christmas/send-email'],
  ] as const) {
    expect(() => assertAdminRoute(method, path), `${method} ${path}`).toThrow(KestraUsageError);
  }
  expect(() => assertAdminRoute('DELETE', '/api/v1/main/flows/christmas.tasks/leftover')).not.toThrow();
  expect(() => assertAdminRoute('DELETE', '/api/v1/main/executions/4oZRFeaUvX1bTsTWXdIYtJ/kill')).not.toThrow();
  expect(() => assertAdminRoute('GET', '/api/v1/main/flows/christmas.handlers')).not.toThrow();
  expect(isCampaignNamespace('christmas')).toBe(true);
  expect(isCampaignNamespace('christmas.tasks')).toBe(true);
  expect(isCampaignNamespace('christmasx')).toBe(false);
  const admin = createKestraAdmin({ baseUrl: 'http://127.0.0.1:9' });
  await expect(admin.deleteFlow('marketing', 'x')).rejects.toThrow('refusing to delete marketing.x: not a campaign namespace');
});

test('deploy order: a namespace comes after the namespaces whose flows it calls; ties alphabetical; cycles do not hang', () => {
  const flow = (namespace: string, calls: string[] = []) => ({
    namespace,
    definition: { tasks: calls.map((ns, i) => ({ id: `t${i}`, type: 'io.kestra.plugin.core.flow.Subflow', namespace: ns, flowId: 'x' })) },
  });
  expect(deployOrder([flow('b', ['c']), flow('a'), flow('c')])).toEqual(['a', 'c', 'b']);
  expect(deployOrder([flow('x', ['y']), flow('y', ['x'])])).toEqual(['x', 'y']);
  expect(deployOrder(repositoryFlows())).toEqual(['christmas.tasks', 'christmas', 'christmas.handlers']);
});
