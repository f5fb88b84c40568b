import { defineRule, examples, lintedFlows } from '../../rule.js';
import { subflowCalls } from '../../analysis.js';

const ID = 'subflow-self-call';

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'kestra',
  description: 'A Subflow (or ForEachItem) task does not call its own flow.',
  doc: 'Kestra rejects "Recursive call to flow [namespace.id]": a flow cannot start itself as a subflow (it would recurse forever).',
  examples: examples(ID, ['offending.yml'], ['clean.yml']),
  *check(ctx) {
    for (const flow of lintedFlows(ctx)) {
      for (const call of subflowCalls(flow)) {
        if (call.namespace !== undefined && call.namespace === flow.namespace && call.flowId === flow.id) {
          yield flow.file.at(call.flowIdNode, `task '${call.task.id}' calls its own flow ${flow.namespace}/${flow.id}: recursive subflow calls are rejected`);
        }
      }
    }
  },
});
