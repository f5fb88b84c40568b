/**
 * The funnel through the webhooks, as a plus-addressed test identity: each of the five webhooks
 * is fired with a valid payload and told as the webhook story (helpers/scenarios/webhook-story):
 * the handler execution ends SUCCESS, the contact exists once with the payload's fields (and the
 * SPEC §3 segment), the children are scheduled at anchor + offset (SPEC §2), and the tracker
 * shows them `scheduled` (and the website's Email #1 as it reported it). Nothing is delivered: the
 * clock of production cannot be moved. What was scheduled becomes ledger expectations.
 */
import { assertAllowedRecipient, type WebhookName } from '../../spec/index.js';
import type { Target } from '../../targets/types.js';
import { describeFailures } from '../../scenarios/checks.js';
import { casePayload, runWebhookStory } from '../../scenarios/webhook-story.js';
import { WEBHOOK_CASES } from '../../scenarios/webhook-cases.js';
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

export interface WebhookSmokeOptions {
  /** How far a scheduleDate may be from the spec's time. Default 60 s (a real Kestra computes it a moment after arrival). */
  toleranceMs?: number;
}

export async function smokeWebhook(target: Target, webhook: WebhookName, identity: string, options: WebhookSmokeOptions = {}): Promise<WebhookSmokeOutcome> {
  const kase = WEBHOOK_CASES.find((c) => c.webhook === webhook && c.main)!;
  assertAllowedRecipient(String(casePayload(target, kase, identity).email), `smoke: ${webhook} webhook`);
  const story = await runWebhookStory(target, kase, { identity, deliver: false, toleranceMs: options.toleranceMs ?? 60_000 });
  const failures = describeFailures(story.checks);
  const lines = [
    story.execution ? `execution ${story.execution.id} ${story.execution.state}` : `webhook answered HTTP ${story.status}`,
    ...(story.contacts[0] ? [`contact ${story.contacts[0].pageId}${story.contacts[0].segment ? ` (segment ${story.contacts[0].segment})` : ''}`] : []),
    story.scheduled.length > 0
      ? `${story.scheduled.length} email(s) scheduled per SPEC §2: ${story.scheduled.map((s) => `#${s.emailNumber} at ${s.scheduleDate?.toISOString()}`).join(', ')}`
      : 'nothing scheduled',
    ...(story.notionChecked ? [`tracker: ${story.trackerPages.map((p) => `#${p.number} ${p.status} by ${p.sentBy}`).join(', ') || 'nothing'}`] : []),
    `${story.checks.length - failures.length}/${story.checks.length} checks passed`,
  ];
  const arrival = story.execution ? new Date(story.execution.arrival) : target.clock.now();
  return {
    webhook,
    ok: story.ok,
    executionId: story.execution?.id ?? null,
    state: story.execution?.state ?? null,
    lines,
    ...(story.ok ? {} : { error: story.error ?? failures.join(' | ') }),
    scheduled: story.scheduled
      .filter((s) => s.state === 'CREATED')
      .map((s) => ({ sequence: s.sequence, emailNumber: s.emailNumber, template: s.template, executionId: s.executionId, dueAt: s.scheduleDate ?? arrival })),
  };
}
