/**
 * Flow drift: is every flow of the repository deployed with the same source, and is nothing else
 * deployed in the campaign namespaces?
 *
 *  - changed:    deployed source ≠ repository source (after normalising line endings, a BOM, a
 *                leading `---` and trailing whitespace) → a unified diff, repository → deployed
 *  - missing:    in the repository, not deployed (404)
 *  - unexpected: deployed in `christmas` / `christmas.*`, not in the repository
 */
import type { KestraClient } from '../../clients/kestra/index.js';
import { KestraHttpError } from '../../clients/kestra/errors.js';
import { repositoryFlows, type RepositoryFlow } from '../../kestra-model/repository-flows.js';
import type { DeployedFlowRef, KestraAdmin } from '../../clients/kestra/admin.js';
import { unifiedDiff } from './line-diff.js';

export interface ChangedFlow {
  namespace: string;
  id: string;
  file: string;
  revision?: number;
  diff: string;
}

export interface FlowDrift {
  identical: { namespace: string; id: string }[];
  changed: ChangedFlow[];
  missing: { namespace: string; id: string; file: string }[];
  unexpected: DeployedFlowRef[];
}

export function normaliseFlowSource(source: string): string {
  return source
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .replace(/^\s*---[ \t]*\n/, '')
    .split('\n')
    .map((line) => line.replace(/[ \t]+$/, ''))
    .join('\n')
    .replace(/\n+$/, '')
    .replace(/^\n+/, '');
}

export function flowKey(f: { namespace: string; id: string }): string {
  return `${f.namespace}.${f.id}`;
}

/** Unexpected = deployed in a campaign namespace but absent from the repository. */
export function unexpectedFlows(deployed: readonly DeployedFlowRef[], repository: readonly { namespace: string; id: string }[]): DeployedFlowRef[] {
  const held = new Set(repository.map(flowKey));
  return deployed.filter((f) => !held.has(flowKey(f)));
}

export async function checkFlowDrift(kestra: KestraClient, admin: KestraAdmin, flows: readonly RepositoryFlow[] = repositoryFlows()): Promise<FlowDrift> {
  const drift: FlowDrift = { identical: [], changed: [], missing: [], unexpected: [] };
  for (const flow of flows) {
    let deployed: { source: string; revision?: number | null };
    try {
      deployed = await kestra.getFlowSource(flow.namespace, flow.id);
    } catch (err) {
      if (err instanceof KestraHttpError && err.status === 404) {
        drift.missing.push({ namespace: flow.namespace, id: flow.id, file: flow.file });
        continue;
      }
      throw err;
    }
    const want = normaliseFlowSource(flow.source);
    const got = normaliseFlowSource(deployed.source);
    if (want === got) {
      drift.identical.push({ namespace: flow.namespace, id: flow.id });
      continue;
    }
    const revision = deployed.revision ?? undefined;
    drift.changed.push({
      namespace: flow.namespace,
      id: flow.id,
      file: flow.file,
      ...(revision !== undefined ? { revision } : {}),
      diff: unifiedDiff(want, got, { from: flow.file, to: `deployed ${flowKey(flow)}${revision !== undefined ? ` (revision ${revision})` : ''}` }),
    });
  }
  const namespaces = new Set(flows.map((f) => f.namespace));
  drift.unexpected = unexpectedFlows(await admin.campaignFlows(namespaces), flows);
  return drift;
}

export function hasDrift(drift: FlowDrift): boolean {
  return drift.changed.length > 0 || drift.missing.length > 0 || drift.unexpected.length > 0;
}

/** One line per finding (diffs follow their line, indented). */
export function flowDriftLines(drift: FlowDrift): string[] {
  const lines: string[] = [];
  for (const m of drift.missing) lines.push(`${flowKey(m)} (${m.file}) is not deployed`);
  for (const c of drift.changed) {
    lines.push(`${flowKey(c)} differs from ${c.file}${c.revision !== undefined ? ` (deployed revision ${c.revision})` : ''}:`);
    lines.push(...c.diff.split('\n').map((l) => `    ${l}`));
  }
  for (const u of drift.unexpected) lines.push(`${flowKey(u)} is deployed but not in the repository`);
  if (lines.length === 0) lines.push(`all ${drift.identical.length} repository flows deployed with identical source; nothing unexpected in the campaign namespaces`);
  return lines;
}
