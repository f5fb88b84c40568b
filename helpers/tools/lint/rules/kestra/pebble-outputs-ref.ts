import { defineRule, examples, lintedFlows } from '../../rule.js';
import { FlowModel, type TaskModel } from '../../flow-model.js';
import { templatePos } from '../../templates.js';
import { pebble } from '../../pebble-adapter.js';
import { CONCURRENT_FLOWABLES, EXCLUSIVE_FLOWABLES, WAIT_FOR } from '../../../../kestra-model/catalog.js';
import { foreignContext } from '../../outputs-context.js';

const ID = 'pebble-outputs-ref';

function chain(t: TaskModel): TaskModel[] {
  const out: TaskModel[] = [];
  for (let p: TaskModel | undefined = t; p; p = p.parent) out.unshift(p);
  return out;
}

/** Why `target` cannot have run when `here` renders, or undefined when it can have. */
export function notRunYet(target: TaskModel, here: TaskModel): string | undefined {
  if (target === here) return `'${here.id}' refers to its own outputs, which do not exist while it runs`;
  if (FlowModel.isAncestor(here, target)) return `'${target.id}' is a child of '${here.id}' and runs after it`;
  if (FlowModel.isAncestor(target, here)) return undefined;
  if (target.order > here.order) return `'${target.id}' runs after '${here.id}'`;
  const a = chain(target);
  const b = chain(here);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const lca = i > 0 ? a[i - 1] : undefined;
  const ca = a[i];
  const cb = b[i];
  if (!lca || !ca || !cb) return undefined;
  const side = (x: TaskModel): boolean => x.branch === 'errors' || x.branch === 'finally';
  if (EXCLUSIVE_FLOWABLES.includes(lca.canonicalType ?? '') && ca.branch !== cb.branch && !side(ca) && !side(cb)) {
    return `'${target.id}' is in the '${ca.branch}' branch of '${lca.id}' and '${here.id}' in '${cb.branch}': they never run in the same execution`;
  }
  if (CONCURRENT_FLOWABLES.includes(lca.canonicalType ?? '') && ca !== cb && !side(ca) && !side(cb)) {
    return `'${target.id}' runs in parallel with '${here.id}' (both under '${lca.id}'), so it may not have finished`;
  }
  return undefined;
}

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'kestra',
  description: '`outputs.<task>` names a task of the flow that has already run at that point.',
  doc: "For every `outputs.<id>` (or `outputs['<id>']`) in the flow: the id must be a task of this flow, and that task must have run before the task that renders the expression — not later in the sequence, not itself, not one of its own children, not in another branch of the same If/Switch, not in a concurrent branch of a Parallel. Triggers cannot read outputs at all. A hyphenated id written `outputs.my-task` is Pebble subtraction; the rule suggests `outputs['my-task']`. Flow-level `outputs:` may read any task. A guarded read (`??`, `???`, `is defined`, `default`) is never reported: Kestra renders its fallback. A WaitFor's `condition` may read its own child tasks (it is checked after they ran). A Subflow's `outputs` property names tasks of the child flow and a Flow trigger's conditions tasks of the upstream flow: they are checked against those flows when the repository holds them.",
  examples: examples(ID, ['offending-missing.yml', 'offending-later.yml', 'offending-branch.yml', 'offending-other-contexts'], ['clean.yml', 'clean-other-contexts']),
  *check(ctx) {
    for (const flow of lintedFlows(ctx)) {
      for (const t of ctx.templates(flow)) {
        if (!t.ast) continue;
        for (const ref of pebble.referencedPaths(t.ast)) {
          if (ref.root !== 'outputs') continue;
          const id = ref.path[0];
          if (typeof id !== 'string' || id === '*') continue;
          // `??`, `???`, `is defined` and `default` turn a missing output into their fallback.
          if (ref.guarded) continue;
          const at = { file: flow.file.path, ...templatePos(flow, t, ref.offset) };
          // Strings Kestra renders in another execution's context: check them against that flow.
          const other = foreignContext(ctx, flow, t.str);
          if (other !== undefined) {
            const known = other.flows.some((f) => f.taskById(id) !== undefined);
            if (other.flows.length > 0 && !known) yield { ...at, message: `outputs.${id} names no task of ${other.what}` };
            continue;
          }
          const target = flow.taskById(id);
          if (!target) {
            const hyphenated = flow.tasks.find((x) => x.id?.startsWith(`${id}-`));
            const hint = hyphenated ? ` — for the hyphenated id write outputs['${hyphenated.id}']` : '';
            yield { ...at, message: `outputs.${id} names no task of this flow${hint}` };
            continue;
          }
          if (t.str.area === 'trigger') {
            yield { ...at, message: `outputs.${id} in a trigger: no task has run when a trigger is evaluated` };
            continue;
          }
          if (t.str.area !== 'task' || !t.str.task) continue;
          // WaitFor renders its condition after its child tasks ran (WaitFor.java: "The `condition`
          // is always checked after the task execution").
          if (t.str.task.canonicalType === WAIT_FOR && t.str.path[0] === 'condition' && FlowModel.isAncestor(t.str.task, target)) continue;
          const why = notRunYet(target, t.str.task);
          if (why) yield { ...at, message: `outputs.${id} is not available here: ${why}` };
        }
      }
    }
  },
});
