import { defineRule, examples, lintedFlows } from '../../rule.js';
import { templatePos } from '../../templates.js';
import { pebble } from '../../pebble-adapter.js';
import { SUBFLOW_TRIGGER_VARIABLES, TRIGGER_VARIABLES } from '../../../../kestra-model/catalog.js';
import type { FlowModel } from '../../flow-model.js';

const ID = 'pebble-trigger-ref';

/** What `trigger.*` can hold in this flow; null when a trigger of unknown type may provide anything. */
function provided(flow: FlowModel): Set<string> | null {
  const out = new Set<string>(SUBFLOW_TRIGGER_VARIABLES);
  for (const t of flow.triggers) {
    const vars = TRIGGER_VARIABLES[t.canonicalType ?? ''];
    if (vars === undefined || vars === null) return null;
    vars.forEach((v) => out.add(v));
  }
  return out;
}

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'kestra',
  description: '`trigger.*` is only read in a flow with a trigger that provides that variable.',
  doc: 'The `trigger` variables come from the trigger that started the execution: Webhook gives `body`, `headers`, `parameters`; Schedule gives `date`, `next`, `previous`; the Flow trigger gives `executionId`, `namespace`, `flowId`, `flowRevision`, `state`, `outputs`. A flow started as a subflow gets `executionId`, `namespace`, `flowId`, `flowRevision`. Reading `trigger.body` in a flow without a Webhook (a subflow, a manual flow) fails at run time. Flows with a trigger of another plugin are not checked, nor guarded reads (`trigger.body ?? \'\'`, `is defined`).',
  examples: examples(ID, ['offending-no-trigger.yml', 'offending-schedule.yml'], ['clean.yml']),
  *check(ctx) {
    for (const flow of lintedFlows(ctx)) {
      const vars = provided(flow);
      if (vars === null) continue;
      for (const t of ctx.templates(flow)) {
        if (!t.ast) continue;
        for (const ref of pebble.referencedPaths(t.ast)) {
          if (ref.root !== 'trigger' || ref.guarded) continue;
          const field = ref.path[0];
          if (typeof field !== 'string' || field === '*' || vars.has(field)) continue;
          const at = { file: flow.file.path, ...templatePos(flow, t, ref.offset) };
          if (flow.triggers.length === 0) {
            yield { ...at, message: `trigger.${field} is read but the flow has no trigger that provides it (as a subflow it only gets ${SUBFLOW_TRIGGER_VARIABLES.join(', ')})` };
          } else {
            const names = flow.triggers.map((x) => `${x.type?.split('.').pop()} provides ${(TRIGGER_VARIABLES[x.canonicalType ?? ''] ?? []).join(', ')}`);
            yield { ...at, message: `trigger.${field} is provided by none of this flow's triggers (${names.join('; ')})` };
          }
        }
      }
    }
  },
});
