import { defineRule, examples, list } from '../../rule.js';
import { scheduledEmails, numberOf, subflowCalls, bindCall, type ScheduledEmail } from '../../analysis.js';
import { WEBHOOK_HANDLERS } from '../../../../spec/endpoints.js';
import { SEQUENCE_TYPES, WEBHOOK_NAMES, kestraEmails, sequenceForWebhook } from '../../../../spec/sequences.js';
import type { RuleProblem } from '../../types.js';

const ID = 'sequence-schedule';

const fmt = (minutes: number): string => (minutes % 60 === 0 ? `${minutes / 60}h` : `${minutes}min`);

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'project',
  description: 'The email numbers, templates and offsets each handler schedules equal SPEC §2 (read from the spec module).',
  doc: "For each webhook with a sequence (`sequenceForWebhook` in the spec module), the handler's scheduled emails are found by following its Subflow calls with their literal inputs (`sequence_type: noshow` selects the `noshow` case of a Switch on `inputs.sequence_type`) down to the calls that reach the send-email flow. Their `email_number`, `template_name`, `offset_minutes` (production) and `testing_offset_minutes` must be exactly `kestraEmails(sequence)` — every email once, none extra. A literal sequence type other than the handler's own is reported too. Expectations come from helpers/spec, never from the flows.",
  examples: examples(ID, ['offending-offset', 'offending-missing', 'offending-wrong-sequence'], ['clean']),
  *check(ctx) {
    for (const webhook of WEBHOOK_NAMES) {
      const sequence = sequenceForWebhook(webhook);
      if (!sequence) continue;
      const h = WEBHOOK_HANDLERS[webhook];
      const flow = ctx.repo.get(h.namespace, h.flowId);
      if (!flow) continue;

      // The handler must start its own sequence.
      let wrongSequence = false;
      for (const call of subflowCalls(flow)) {
        for (const [key, v] of bindCall(call, new Map())) {
          if (key === 'sequence_type' && (SEQUENCE_TYPES as readonly string[]).includes(v.value) && v.value !== sequence.type) {
            wrongSequence = true;
            yield flow.file.at(v.node, `${h.flowId} starts the '${v.value}' sequence; the ${webhook} webhook starts '${sequence.type}' (SPEC §1)`);
          }
        }
      }
      if (wrongSequence) continue;

      const expected = kestraEmails(sequence.type);
      const found = scheduledEmails(ctx.repo, flow);
      const byNumber = new Map<number, ScheduledEmail[]>();
      for (const s of found) {
        const n = numberOf(s.inputs.get('email_number')?.value);
        if (n === undefined) continue;
        byNumber.set(n, [...(byNumber.get(n) ?? []), s]);
      }
      const problems: RuleProblem[] = [];
      for (const email of expected) {
        const calls = byNumber.get(email.number) ?? [];
        if (calls.length === 0) {
          problems.push(flow.file.at(flow.idNode, `${h.flowId} never schedules ${sequence.type} Email #${email.number} (${email.template}, +${fmt(email.productionOffsetMinutes!)}) — SPEC §2`));
          continue;
        }
        for (const extra of calls.slice(1)) {
          const n = extra.inputs.get('email_number')!;
          problems.push(n.flow.file.at(n.node, `${sequence.type} Email #${email.number} is scheduled more than once for ${h.flowId}`));
        }
        const s = calls[0]!;
        const at = (key: string) => {
          const v = s.inputs.get(key);
          return { file: v?.flow.file ?? s.call.flow.file, node: v?.node ?? s.call.task.idNode };
        };
        const template = s.inputs.get('template_name')?.value;
        if (template !== email.template) {
          const p = at('template_name');
          problems.push(p.file.at(p.node, `${sequence.type} Email #${email.number} uses template ${JSON.stringify(template ?? null)}; SPEC §2 says ${email.template}`));
        }
        const checks: [string, number | null, string][] = [
          ['offset_minutes', email.productionOffsetMinutes, 'production'],
          ['testing_offset_minutes', email.testingOffsetMinutes, 'testing-mode'],
        ];
        for (const [key, want, label] of checks) {
          const got = numberOf(s.inputs.get(key)?.value);
          if (want === null || got === want) continue;
          const p = at(key);
          problems.push(p.file.at(p.node, `${sequence.type} Email #${email.number}: ${label} offset is ${got === undefined ? 'not a literal number of minutes' : `${got} min`}; SPEC §2 says ${want} min (+${fmt(want)})`));
        }
      }
      const expectedNumbers = new Set(sequence.emails.map((e) => e.number));
      for (const [n, calls] of byNumber) {
        if (expectedNumbers.has(n)) continue; // website emails: assessment-no-email-1
        for (const s of calls) {
          const v = s.inputs.get('email_number')!;
          problems.push(v.flow.file.at(v.node, `${h.flowId} schedules ${sequence.type} Email #${n}, which SPEC §2 does not have (emails: ${list(expected.map((e) => `#${e.number}`))})`));
        }
      }
      yield* problems;
    }
  },
});
