import { defineRule, examples, lintedFlows, list } from '../../rule.js';
import { subflowCalls, targetOf } from '../../analysis.js';
import { closest } from '../../../../kestra-model/catalog.js';
import { FlowModel } from '../../flow-model.js';

const ID = 'subflow-inputs';

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'project',
  description: "The inputs a Subflow call passes match the target flow's declared inputs.",
  doc: 'For each Subflow/ForEachItem call to a flow of this repository: every input passed must be declared by the target (an unknown one is silently ignored by Kestra — usually a typo), and every required input of the target (required defaults to true; an input with `defaults` is not required) must be passed.',
  examples: examples(ID, ['offending-unknown', 'offending-missing'], ['clean']),
  *check(ctx) {
    for (const flow of lintedFlows(ctx)) {
      for (const call of subflowCalls(flow)) {
        const target = targetOf(ctx.repo, call);
        if (!target) continue;
        const declared = target.inputs.map((i) => i.id).filter((x): x is string => x !== undefined);
        const passed = new Set(call.inputs.map((i) => i.key));
        for (const input of call.inputs) {
          if (declared.includes(input.key)) continue;
          const guess = closest(input.key, declared);
          yield flow.file.at(input.keyNode, `input '${input.key}' is not declared by ${target.key}${guess ? ` — did you mean '${guess}'?` : ` (it declares ${list(declared) || 'no inputs'})`}`);
        }
        const missing = target.inputs.filter((i) => i.id !== undefined && i.required && !i.hasDefault && !passed.has(i.id)).map((i) => i.id!);
        if (missing.length > 0) {
          yield flow.file.at(FlowModel.keyNode(call.task, 'inputs') ?? call.flowIdNode, `task '${call.task.id}' does not pass the required input${missing.length > 1 ? 's' : ''} ${list(missing.map((m) => `'${m}'`))} of ${target.key}`);
        }
      }
    }
  },
});
