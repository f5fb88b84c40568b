/**
 * Deploys the repository's flows to a Kestra, namespace by namespace, through the shared client's
 * `deployNamespace` (per-flow strategy: validate all, then GET → PUT or POST one flow per
 * request; never the tenant-wide `/flows/bulk`, never the per-namespace upload that deletes).
 *
 * Namespaces go in dependency order (a namespace whose flows call Subflows of another comes
 * after it: tasks before the flows that use them), ties alphabetically.
 *
 * Deleting: only with `prune`. The flows of the campaign namespaces (christmas, christmas.*) are
 * listed AFTER the deploy; each one the repository does not hold is deleted on its own
 * (`DELETE /flows/{namespace}/{id}`, helpers/clients/kestra/admin.ts). Without `prune` they are
 * only reported. Pruning is refused when the repository holds no flow at all (a wrong checkout
 * must not empty production).
 */
import type { DeployResult, KestraClient } from '../../clients/kestra/index.js';
import type { RepositoryFlow } from '../../kestra-model/repository-flows.js';
import { flowKey, unexpectedFlows } from '../smoke/flow-drift.js';
import type { DeployedFlowRef, KestraAdmin } from '../../clients/kestra/admin.js';

/** Namespaces other than its own whose flows a definition calls (Subflow / ForEachItem `namespace`). */
function calledNamespaces(definition: unknown, own: string, found = new Set<string>()): Set<string> {
  if (Array.isArray(definition)) {
    for (const item of definition) calledNamespaces(item, own, found);
  } else if (definition && typeof definition === 'object') {
    const obj = definition as Record<string, unknown>;
    if (typeof obj.type === 'string' && /\.(Subflow|ForEachItem)$/.test(obj.type) && typeof obj.namespace === 'string' && obj.namespace !== own) {
      found.add(obj.namespace);
    }
    for (const value of Object.values(obj)) calledNamespaces(value, own, found);
  }
  return found;
}

/** The repository's namespaces, callees first. */
export function deployOrder(flows: readonly Pick<RepositoryFlow, 'namespace' | 'definition'>[]): string[] {
  const deps = new Map<string, Set<string>>();
  for (const f of flows) {
    const set = deps.get(f.namespace) ?? new Set<string>();
    for (const ns of calledNamespaces(f.definition, f.namespace)) set.add(ns);
    deps.set(f.namespace, set);
  }
  const remaining = new Set([...deps.keys()].sort());
  const order: string[] = [];
  while (remaining.size > 0) {
    const ready = [...remaining].find((ns) => [...deps.get(ns)!].every((d) => !remaining.has(d)));
    // A cycle (or nothing ready): take the first alphabetically and carry on.
    const next = ready ?? [...remaining][0]!;
    order.push(next);
    remaining.delete(next);
  }
  return order;
}

export interface FlowsDeployResult {
  deployed: DeployResult[];
  unexpected: DeployedFlowRef[];
  deleted: DeployedFlowRef[];
}

export interface FlowsDeployOptions {
  prune: boolean;
  log?: (line: string) => void;
}

export async function deployRepositoryFlows(
  kestra: KestraClient, admin: KestraAdmin, flows: readonly RepositoryFlow[], options: FlowsDeployOptions,
): Promise<FlowsDeployResult> {
  const log = options.log ?? (() => {});
  if (flows.length === 0) throw new Error('the repository holds no flow (kestra/flows is empty): nothing to deploy, and pruning would empty production');
  const deployed: DeployResult[] = [];
  for (const namespace of deployOrder(flows)) {
    const sources = flows.filter((f) => f.namespace === namespace).map((f) => f.source);
    const result = await kestra.deployNamespace(namespace, sources, { strategy: 'per-flow', validate: true });
    deployed.push(result);
    log(`${namespace}: ${result.flows.map((f) => `${f.id} ${f.action}${f.revision !== undefined ? ` (revision ${f.revision})` : ''}`).join(', ')}`);
  }

  const namespaces = new Set(flows.map((f) => f.namespace));
  const unexpected = unexpectedFlows(await admin.campaignFlows(namespaces), flows);
  const deleted: DeployedFlowRef[] = [];
  if (unexpected.length === 0) {
    log('no flow in the campaign namespaces outside the repository');
  } else if (!options.prune) {
    log(`not in the repository, left in place (pass --prune to delete): ${unexpected.map(flowKey).join(', ')}`);
  } else {
    const held = new Set(flows.map(flowKey));
    for (const flow of unexpected) {
      if (held.has(flowKey(flow))) continue; // never a repository flow, whatever the listing said
      const existed = await admin.deleteFlow(flow.namespace, flow.id);
      if (existed) deleted.push(flow);
      log(`${flowKey(flow)}: ${existed ? 'deleted (--prune)' : 'already gone'}`);
    }
  }
  return { deployed, unexpected, deleted };
}
