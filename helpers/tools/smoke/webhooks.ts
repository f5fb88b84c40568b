/**
 * The funnel through the webhooks, as a plus-addressed test identity: each of the five webhooks
 * is fired with a valid payload and checked the way the e2e specs check it (helpers/scenarios):
 * the handler execution ends SUCCESS, the contact exists once with the payload's fields (and the
 * SPEC §3 segment), the children are scheduled at anchor + offset (SPEC §2, the scenario's
 * scheduleChecks), and the tracker
 * shows them `scheduled`. What was scheduled becomes ledger expectations.
 */
import { validPayload } from '../../scenarios/payloads.js';
import { assertAllowedRecipient, sequenceForWebhook, type WebhookName } from '../../spec/index.js';
import type { Target } from '../../targets/types.js';
import { expectedSegment, expectedSends } from '../../scenarios/expectations.js';
import { fireAndSettle, scheduledSendsFor, scheduleChecks } from '../../scenarios/webhook-scenario.js';
import { describeFailures } from '../../scenarios/checks.js';
import type { ScheduledExpectation } from './ledger.js';

export interface WebhookSmokeOutcome {
  webhook: WebhookName;
  ok: boolean;
  executionId: string | null;
  state: string | null;
  lines: string[];
  error?: string;
  /** The emails it scheduled (whether or not the checks passed). */
  scheduled: ScheduledExpectation[];
}

/** A readable single line from an assertion error (Playwright's expect messages are multi-line, maybe coloured). */
export function errorLine(err: unknown, max = 400): string {
  const text = ((err as Error)?.message ?? String(err)).replace(/\u001b\[[0-9;]*m/g, '');
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const flat = lines.join(' | ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

export interface WebhookSmokeOptions {
  /** How far a scheduleDate may be from the spec's time. Default 60 s (a real Kestra computes it a moment after arrival). */
  toleranceMs?: number;
}

export async function smokeWebhook(target: Target, webhook: WebhookName, identity: string, options: WebhookSmokeOptions = {}): Promise<WebhookSmokeOutcome> {
  const outcome: WebhookSmokeOutcome = { webhook, ok: false, executionId: null, state: null, lines: [], scheduled: [] };
  const payload: Record<string, unknown> = { ...validPayload(webhook), email: identity };
  // The website sends Email #1 moments before it posts the assessment webhook.
  if (webhook === 'assessment') payload.email_1_sent_at = new Date(target.clock.now().getTime() - 5_000).toISOString();
  assertAllowedRecipient(String(payload.email), `smoke: ${webhook} webhook`);
  const sequence = sequenceForWebhook(webhook);

  try {
    const fired = await fireAndSettle(target, webhook, payload);
    outcome.executionId = fired.execution.id;
    outcome.state = fired.execution.state.current;
    check(fired.status === 200, `webhook answered HTTP ${fired.status}`);
    check(fired.execution.state.current === 'SUCCESS', `handler execution ${fired.execution.id} ended ${fired.execution.state.current}, expected SUCCESS`);
    outcome.lines.push(`execution ${fired.execution.id} SUCCESS`);

    const expected = expectedSends(webhook, payload, fired.arrival, target.timing);
    const sends = await scheduledSendsFor(target, fired.execution.id, expected.length);
    outcome.scheduled = sends
      .filter((s) => s.state === 'CREATED')
      .map((s) => ({ sequence: s.sequence, emailNumber: s.emailNumber, template: s.template, executionId: s.executionId, dueAt: s.scheduleDate ?? expected.find((e) => e.emailNumber === s.emailNumber)?.sendAt ?? fired.arrival }));

    if (target.notion) {
      const contacts = await target.notion.contacts(identity);
      check(contacts.length === 1, `Notion: ${contacts.length} contacts for ${identity}, expected exactly 1`);
      const contact = contacts[0]!;
      check(contact.firstName === payload.first_name, `Notion contact First Name is ${JSON.stringify(contact.firstName)}, expected ${JSON.stringify(payload.first_name)}`);
      check(contact.businessName === payload.business_name, `Notion contact Business Name is ${JSON.stringify(contact.businessName)}, expected ${JSON.stringify(payload.business_name)}`);
      const segment = expectedSegment(webhook, payload);
      if (segment) check(contact.segment === segment, `Notion contact Segment is ${JSON.stringify(contact.segment)}, expected ${segment} (SPEC §3)`);
      outcome.lines.push(`contact ${contact.pageId} correct${segment ? ` (segment ${segment})` : ''}`);
    }

    const scheduleFailures = describeFailures(scheduleChecks(sends, expected, identity, options.toleranceMs ?? 60_000));
    check(scheduleFailures.length === 0, scheduleFailures.join(' | '));
    if (expected.length > 0) {
      outcome.lines.push(`${sends.length} email(s) scheduled per SPEC §2: ${sends.map((s) => `#${s.emailNumber} at ${s.scheduleDate?.toISOString()}`).join(', ')}`);
    } else {
      outcome.lines.push('nothing scheduled, as the spec says');
    }

    if (target.notion && sequence) {
      const pages = (await target.notion.trackerPages(identity, sequence.type)).filter((p) => p.sentBy === 'kestra');
      const got = pages.map((p) => `#${p.number} ${p.status}`).join(', ');
      const want = expected.map((e) => `#${e.emailNumber} scheduled`).join(', ');
      check(got === want, `Notion tracker for ${sequence.type}: [${got}], expected [${want}]`);
      if (webhook === 'assessment') {
        const website = (await target.notion.trackerPages(identity, '5day')).filter((p) => p.sentBy === 'website');
        check(website.length === 1 && website[0]!.number === 1 && website[0]!.status === 'sent', 'Notion tracker: 5day #1 must be recorded sent by the website');
      }
      outcome.lines.push(`tracker: ${got || 'nothing'}`);
    }
    outcome.ok = true;
  } catch (err) {
    outcome.error = errorLine(err);
  }
  return outcome;
}
