import type { YAMLMap, YAMLSeq } from 'yaml';
import { defineRule, examples, lintedFlows, list } from '../../rule.js';
import { isMap, isScalar, isSeq, scalarString, stringAt, valueNode } from '../../source.js';
import { DAG } from '../../../../kestra-model/catalog.js';

const ID = 'dag-depends-on';

interface DagItem {
  id: string | undefined;
  dependsOn: { id: string; node: unknown }[];
  dependsOnNode: unknown;
}

function itemsOf(tasks: YAMLSeq): DagItem[] {
  return tasks.items.filter(isMap).map((item) => {
    const m = item as YAMLMap;
    const task = valueNode(m, 'task');
    const deps = valueNode(m, 'dependsOn');
    const dependsOn = isSeq(deps)
      ? (deps as YAMLSeq).items.filter(isScalar).map((n) => ({ id: scalarString(n) ?? '', node: n }))
      : [];
    return { id: isMap(task) ? stringAt(task as YAMLMap, 'id') : undefined, dependsOn, dependsOnNode: deps };
  });
}

/** Ids of the items from which a path of dependsOn leads back to themselves (Dag.dagCheckCyclicDependencies). */
export function cyclicIds(items: { id: string | undefined; dependsOn: { id: string }[] }[]): string[] {
  const deps = new Map<string, string[]>();
  for (const i of items) if (i.id !== undefined && !deps.has(i.id)) deps.set(i.id, i.dependsOn.map((d) => d.id));
  const out: string[] = [];
  for (const i of items) {
    if (i.id === undefined || i.dependsOn.length === 0) continue;
    const seen = new Set<string>();
    const stack = [i.id];
    let cyclic = false;
    while (stack.length > 0 && !cyclic) {
      for (const d of deps.get(stack.pop()!) ?? []) {
        if (d === i.id) cyclic = true;
        else if (!seen.has(d)) {
          seen.add(d);
          stack.push(d);
        }
      }
    }
    if (cyclic) out.push(i.id);
  }
  return out;
}

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'kestra',
  description: "A Dag's `dependsOn` names tasks of the same Dag and has no cycle.",
  doc: 'Kestra validates a `io.kestra.plugin.core.flow.Dag` when the flow is saved (DagTaskValidator.java): it needs tasks ("No task defined"), every `dependsOn` id must be the id of a task listed in the same Dag ("Not existing task id in dependency: …"), and following `dependsOn` must never lead back to a task ("Cyclic dependency detected: …"). Either refuses the deploy.',
  examples: examples(ID, ['offending-unknown.yml', 'offending-cycle.yml'], ['clean.yml']),
  *check(ctx) {
    for (const flow of lintedFlows(ctx)) {
      for (const task of flow.tasks) {
        if (task.canonicalType !== DAG) continue;
        const tasks = valueNode(task.node, 'tasks');
        if (!isSeq(tasks) || (tasks as YAMLSeq).items.length === 0) {
          yield flow.file.at(tasks ?? task.idNode ?? task.node, `Dag '${task.id ?? '?'}': No task defined`);
          continue;
        }
        const items = itemsOf(tasks as YAMLSeq);
        const ids = new Set(items.map((i) => i.id).filter((x): x is string => x !== undefined));
        for (const item of items) {
          for (const d of item.dependsOn) {
            if (!ids.has(d.id)) yield flow.file.at(d.node, `Dag '${task.id ?? '?'}': Not existing task id in dependency: ${d.id} (task '${item.id ?? '?'}' depends on it; dependsOn names tasks of the same Dag)`);
          }
        }
        const cyclic = cyclicIds(items);
        if (cyclic.length > 0) {
          const first = items.find((i) => i.id === cyclic[0]);
          yield flow.file.at(first?.dependsOnNode ?? tasks, `Dag '${task.id ?? '?'}': Cyclic dependency detected: ${cyclic.join(', ')} (${list(cyclic.map((c) => `'${c}'`))} depend on each other)`);
        }
      }
    }
  },
});
