import { defineRule, examples, lintedFlows } from '../../rule.js';
import { subflowCalls, SEND_EMAIL_KEY, reachesSend } from '../../analysis.js';
import { SLEEP_LIKE } from '../../../../kestra-model/catalog.js';

const ID = 'delayed-send';

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'project',
  description: 'Delayed sends are scheduled child executions (`wait: false` + `scheduleDate`), never waits.',
  doc: `SPEC §2 and §10.3: each email is a child execution of ${SEND_EMAIL_KEY} created at once with an absolute \`scheduleDate\` and \`wait: false\`. A call to it without both, a Subflow with \`scheduleDate\` that still waits (the parent stays RUNNING for days and a restart can strand it), and a Sleep/Pause/WaitFor in a flow that sends are reported.`,
  examples: examples(ID, ['offending-wait', 'offending-sleep'], ['clean']),
  *check(ctx) {
    for (const flow of lintedFlows(ctx)) {
      for (const call of subflowCalls(flow)) {
        const key = call.namespace !== undefined && call.flowId !== undefined ? `${call.namespace}/${call.flowId}` : undefined;
        const at = call.waitNode ?? call.flowIdNode;
        if (key === SEND_EMAIL_KEY) {
          if (call.wait) yield flow.file.at(at, `task '${call.task.id}' calls ${SEND_EMAIL_KEY} with ${call.waitNode ? 'wait: true' : 'the default wait: true'}: schedule it with wait: false and a scheduleDate`);
          if (!call.scheduleDateNode) yield flow.file.at(call.flowIdNode, `task '${call.task.id}' calls ${SEND_EMAIL_KEY} without a scheduleDate: delayed sends are child executions scheduled at an absolute time`);
        } else if (call.scheduleDateNode && call.wait) {
          yield flow.file.at(at, `task '${call.task.id}' has a scheduleDate but waits for the child (${call.waitNode ? 'wait: true' : 'wait defaults to true'}): the parent would stay RUNNING until then — set wait: false`);
        }
      }
      if (reachesSend(ctx.repo, flow)) {
        for (const task of flow.tasks) {
          if (SLEEP_LIKE.includes(task.canonicalType ?? '')) {
            yield flow.file.at(task.typeNode, `task '${task.id}' (${task.type?.split('.').pop()}) delays a flow that sends email: schedule the send with scheduleDate instead of waiting`);
          }
        }
      }
    }
  },
});
