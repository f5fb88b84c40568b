import { defineRule, examples } from '../../rule.js';
import { scheduledEmails, numberOf } from '../../analysis.js';
import { WEBHOOK_HANDLERS } from '../../../../spec/endpoints.js';
import { WEBHOOK_NAMES, sequenceForWebhook } from '../../../../spec/sequences.js';

const ID = 'assessment-no-email-1';

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'project',
  description: 'The assessment handler never schedules Email #1 (the website sends it).',
  doc: "SPEC §1: 5-day Email #1 is sent by the website at once; Kestra must never send it. For every handler, the emails it schedules (Subflow calls reaching the send-email flow with a literal `email_number`, followed from the handler through literal inputs and the Switch cases they select) must not include an email the spec marks `sentBy: 'website'` — by number or by template.",
  examples: examples(ID, ['offending'], ['clean']),
  *check(ctx) {
    for (const webhook of WEBHOOK_NAMES) {
      const sequence = sequenceForWebhook(webhook);
      if (!sequence) continue;
      const website = sequence.emails.filter((e) => e.sentBy === 'website');
      if (website.length === 0) continue;
      const h = WEBHOOK_HANDLERS[webhook];
      const flow = ctx.repo.get(h.namespace, h.flowId);
      if (!flow) continue;
      for (const s of scheduledEmails(ctx.repo, flow)) {
        const num = numberOf(s.inputs.get('email_number')?.value);
        const template = s.inputs.get('template_name')?.value;
        const hit = website.find((e) => e.number === num || e.template === template);
        if (!hit) continue;
        const input = num === hit.number ? s.inputs.get('email_number') : s.inputs.get('template_name');
        yield input!.flow.file.at(input!.node ?? s.call.flowIdNode, `${h.flowId} schedules ${sequence.type} Email #${hit.number} (${hit.template}) via ${s.chain.join(' → ')}: the website sends it, Kestra never does (SPEC §1)`);
      }
    }
  },
});
