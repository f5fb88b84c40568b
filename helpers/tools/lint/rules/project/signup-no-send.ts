import { defineRule, examples } from '../../rule.js';
import { subflowCalls, targetOf, sendPath, isResendSend } from '../../analysis.js';
import { WEBHOOK_HANDLERS } from '../../../../spec/endpoints.js';
import { sequenceForWebhook } from '../../../../spec/sequences.js';

const ID = 'signup-no-send';

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'project',
  description: 'The signup handler can reach no email send (SPEC §1: tracking only).',
  doc: 'SPEC §1: Kestra never sends anything for a signup (the website sends the confirmation). Every webhook the spec gives no sequence to (`sequenceForWebhook` is null: signup) is followed through all its Subflow calls, whatever the branch; reaching the send-email flow or a Resend `/emails` request is reported at the call that leads there, with the chain of flows.',
  examples: examples(ID, ['offending'], ['clean']),
  *check(ctx) {
    for (const handler of Object.values(WEBHOOK_HANDLERS)) {
      if (sequenceForWebhook(handler.webhook) !== null) continue;
      const flow = ctx.repo.get(handler.namespace, handler.flowId);
      if (!flow) continue;
      for (const task of flow.tasks) {
        if (isResendSend(task)) yield flow.file.at(task.idNode, `${handler.flowId} sends an email through Resend: the ${handler.webhook} webhook is tracking only (SPEC §1)`);
      }
      for (const call of subflowCalls(flow)) {
        const target = targetOf(ctx.repo, call);
        if (!target) continue;
        const path = sendPath(ctx.repo, target);
        if (path) yield flow.file.at(call.flowIdNode, `${handler.flowId} can send an email via ${[flow.key, ...path].join(' → ')}: the ${handler.webhook} webhook is tracking only (SPEC §1)`);
      }
    }
  },
});
