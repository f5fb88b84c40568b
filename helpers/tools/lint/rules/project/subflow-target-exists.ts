import { defineRule, examples, lintedFlows } from '../../rule.js';
import { subflowCalls } from '../../analysis.js';
import { closest } from '../../../../kestra-model/catalog.js';

const ID = 'subflow-target-exists';

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'project',
  description: 'Every Subflow/ForEachItem call names a flow that exists in the repository.',
  doc: 'A Subflow task with a literal `namespace` and `flowId` must name a flow of this repository (`kestra/flows/<namespace>/<flowId>.yml`): a typo is otherwise found only when the task runs ("Unable to find flow"). Computed targets (`{{ … }}`) are not checked. Suggests the closest existing flow.',
  examples: examples(ID, ['offending'], ['clean']),
  *check(ctx) {
    const known = [...ctx.repo.byKey.keys()];
    for (const flow of lintedFlows(ctx)) {
      for (const call of subflowCalls(flow)) {
        if (call.namespace === undefined || call.flowId === undefined) continue;
        if (ctx.repo.get(call.namespace, call.flowId)) continue;
        const guess = closest(`${call.namespace}/${call.flowId}`, known);
        yield flow.file.at(call.flowIdNode, `task '${call.task.id}' calls ${call.namespace}/${call.flowId}, which is not a flow of this repository${guess ? ` — did you mean ${guess}?` : ''}`);
      }
    }
  },
});
