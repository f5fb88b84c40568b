import { defineRule, examples, lintedFlows } from '../../rule.js';
import { templatePos } from '../../templates.js';
import { pebble } from '../../pebble-adapter.js';
import { closest } from '../../../../kestra-model/catalog.js';
import { foreignContext } from '../../outputs-context.js';

const ID = 'pebble-undeclared-input';

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'kestra',
  description: '`inputs.<x>` names an input the flow declares.',
  doc: 'Every `inputs.<id>` read in the flow must be declared under `inputs:` (dotted ids such as `user.email` count). An undeclared input renders as an error at run time ("Unable to find `x` used in the expression"). The rule suggests the closest declared id. `inputs` of a Webhook trigger (mapping the body to the inputs) are not expressions over inputs and are not checked here. The `outputs` property of a Subflow and the conditions of a Flow trigger are rendered in the child or the upstream execution: their `inputs.*` are checked against the inputs of that flow when the repository holds it.',
  examples: examples(ID, ['offending.yml', 'offending-other-contexts'], ['clean.yml']),
  *check(ctx) {
    for (const flow of lintedFlows(ctx)) {
      const own = flow.inputs.map((i) => i.id).filter((x): x is string => x !== undefined);
      for (const t of ctx.templates(flow)) {
        if (!t.ast) continue;
        const foreign = foreignContext(ctx, flow, t.str);
        if (foreign && foreign.flows.length === 0) continue;
        const declared = foreign ? foreign.flows.flatMap((f) => f.inputs.map((i) => i.id).filter((x): x is string => x !== undefined)) : own;
        const owner = foreign ? foreign.what : 'the flow';
        for (const ref of pebble.referencedPaths(t.ast)) {
          if (ref.root !== 'inputs' || typeof ref.path[0] !== 'string' || ref.path[0] === '*') continue;
          const segments: string[] = [];
          for (const p of ref.path) {
            if (typeof p !== 'string' || p === '*') break;
            segments.push(p);
          }
          const ok = declared.some((d) => {
            for (let k = 1; k <= segments.length; k++) if (segments.slice(0, k).join('.') === d) return true;
            return d.startsWith(`${segments.join('.')}.`);
          });
          if (ok) continue;
          const guess = closest(ref.path[0], declared);
          const what = declared.length === 0 ? `${owner} declares no inputs` : `${foreign ? `${owner} declares` : 'declared:'} ${declared.join(', ')}`;
          yield { file: flow.file.path, ...templatePos(flow, t, ref.offset), message: `inputs.${ref.path[0]} is not a declared input (${what})${guess ? ` — did you mean inputs.${guess}?` : ''}` };
        }
      }
    }
  },
});
