/**
 * SPEC §1–§2 as data: which sequence each webhook starts, who sends each email, the Notion
 * template it uses, and when it goes out relative to the sequence's anchor.
 * Every expectation in the harness (lint rules, stand-ins, e2e specs) is derived from here —
 * never from the flows under test.
 */

export const SEQUENCE_TYPES = ['5day', 'noshow', 'postcall', 'onboarding'] as const;
export type SequenceType = (typeof SEQUENCE_TYPES)[number];

export const WEBHOOK_NAMES = ['signup', 'assessment', 'noshow', 'postcall', 'onboarding'] as const;
export type WebhookName = (typeof WEBHOOK_NAMES)[number];

export type Sender = 'website' | 'kestra';

/** What a sequence is timed from: a payload field (with a fallback) or the webhook's arrival. */
export type Anchor =
  | { kind: 'payload-field'; field: 'email_1_sent_at'; fallback: 'webhook-arrival'; fallbackLogLevel: 'WARN' }
  | { kind: 'webhook-arrival' };

export interface SequenceEmail {
  number: number;
  sentBy: Sender;
  template: string;
  /** Minutes after the anchor, in production. `null` for an email the website sends at once. */
  productionOffsetMinutes: number | null;
  /** Minutes after the anchor when the deployment's testing mode is on. */
  testingOffsetMinutes: number | null;
}

export interface SequenceRule {
  type: SequenceType;
  webhook: WebhookName;
  anchor: Anchor;
  emails: readonly SequenceEmail[];
}

const MINUTE = 1;
const HOUR = 60 * MINUTE;

function kestraEmail(number: number, template: string, production: number, testing: number): SequenceEmail {
  return { number, sentBy: 'kestra', template, productionOffsetMinutes: production, testingOffsetMinutes: testing };
}

export const SEQUENCES: Readonly<Record<SequenceType, SequenceRule>> = {
  '5day': {
    type: '5day',
    webhook: 'assessment',
    anchor: { kind: 'payload-field', field: 'email_1_sent_at', fallback: 'webhook-arrival', fallbackLogLevel: 'WARN' },
    emails: [
      { number: 1, sentBy: 'website', template: 'christmas_email_1', productionOffsetMinutes: null, testingOffsetMinutes: null },
      kestraEmail(2, 'christmas_email_2', 24 * HOUR, 1 * MINUTE),
      kestraEmail(3, 'christmas_email_3', 72 * HOUR, 2 * MINUTE),
      kestraEmail(4, 'christmas_email_4', 96 * HOUR, 3 * MINUTE),
      kestraEmail(5, 'christmas_email_5', 120 * HOUR, 4 * MINUTE),
    ],
  },
  noshow: {
    type: 'noshow',
    webhook: 'noshow',
    anchor: { kind: 'webhook-arrival' },
    emails: [
      kestraEmail(1, 'noshow_recovery_email_1', 5 * MINUTE, 1 * MINUTE),
      kestraEmail(2, 'noshow_recovery_email_2', 24 * HOUR, 2 * MINUTE),
      kestraEmail(3, 'noshow_recovery_email_3', 48 * HOUR, 3 * MINUTE),
    ],
  },
  postcall: {
    type: 'postcall',
    webhook: 'postcall',
    anchor: { kind: 'webhook-arrival' },
    emails: [
      kestraEmail(1, 'postcall_maybe_email_1', 1 * HOUR, 1 * MINUTE),
      kestraEmail(2, 'postcall_maybe_email_2', 72 * HOUR, 2 * MINUTE),
      kestraEmail(3, 'postcall_maybe_email_3', 168 * HOUR, 3 * MINUTE),
    ],
  },
  onboarding: {
    type: 'onboarding',
    webhook: 'onboarding',
    anchor: { kind: 'webhook-arrival' },
    emails: [
      kestraEmail(1, 'onboarding_phase1_email_1', 1 * HOUR, 1 * MINUTE),
      kestraEmail(2, 'onboarding_phase1_email_2', 24 * HOUR, 2 * MINUTE),
      kestraEmail(3, 'onboarding_phase1_email_3', 72 * HOUR, 3 * MINUTE),
    ],
  },
};

/** The sequence a webhook starts; `null` for signup, which is tracking only (SPEC §1). */
export function sequenceForWebhook(webhook: WebhookName): SequenceRule | null {
  return Object.values(SEQUENCES).find((s) => s.webhook === webhook) ?? null;
}

/** The emails Kestra itself must schedule and send for a sequence (never the website's). */
export function kestraEmails(sequence: SequenceType): SequenceEmail[] {
  return SEQUENCES[sequence].emails.filter((e) => e.sentBy === 'kestra');
}

export type TimingMode = 'production' | 'testing';

export function offsetMinutes(email: SequenceEmail, mode: TimingMode): number {
  const minutes = mode === 'production' ? email.productionOffsetMinutes : email.testingOffsetMinutes;
  if (minutes === null) throw new Error(`email #${email.number} (${email.template}) is sent by the ${email.sentBy}, not scheduled`);
  return minutes;
}

/** When Kestra must send each of a sequence's emails, given the anchor time. */
export function scheduleFor(anchor: Date, sequence: SequenceType, mode: TimingMode) {
  return kestraEmails(sequence).map((email) => ({
    ...email,
    sequence,
    sendAt: new Date(anchor.getTime() + offsetMinutes(email, mode) * 60_000),
  }));
}

/** Every template name the spec knows, in sequence order. */
export const ALL_TEMPLATE_NAMES: readonly string[] = Object.values(SEQUENCES).flatMap((s) => s.emails.map((e) => e.template));

/** SPEC §1: the emails the website sends itself (5-day Email #1), which Kestra only records. */
export function websiteEmails(sequence: SequenceType): SequenceEmail[] {
  return SEQUENCES[sequence].emails.filter((e) => e.sentBy === 'website');
}

/**
 * SPEC §5: a webhook whose sequence only starts under a condition on the payload. Onboarding
 * proceeds only when `payment_confirmed` is `true`; otherwise nothing is written or scheduled.
 */
export const SEQUENCE_PRECONDITIONS: Readonly<Partial<Record<WebhookName, { field: string; equals: unknown; /** The "clear log line" that says why nothing happened. */ log: RegExp }>>> = {
  onboarding: { field: 'payment_confirmed', equals: true, log: /payment not confirmed/i },
};

/** Whether a (valid) payload starts its webhook's sequence at all (SPEC §5). */
export function sequenceStarts(webhook: WebhookName, payload: Record<string, unknown>): boolean {
  const condition = SEQUENCE_PRECONDITIONS[webhook];
  return sequenceForWebhook(webhook) !== null && (!condition || payload[condition.field] === condition.equals);
}

/** SPEC §6: the payload field in which the website reports how its Email #1 went (`sent` when absent). */
export const WEBSITE_EMAIL_STATUS_FIELD = 'email_1_status';
export const WEBSITE_EMAIL_STATUSES = ['sent', 'failed'] as const;

/** The tracker status Kestra records for the website's Email #1 (SPEC §5, §6). */
export function websiteEmailStatus(payload: Record<string, unknown>): (typeof WEBSITE_EMAIL_STATUSES)[number] {
  const reported = payload[WEBSITE_EMAIL_STATUS_FIELD];
  return reported === 'failed' ? 'failed' : 'sent';
}

/** SPEC §1: the email the website sends itself (5-day Email #1, at once), with its sequence. */
export const WEBSITE_EMAIL: SequenceEmail & { sequence: SequenceType } = (() => {
  const found = Object.values(SEQUENCES).flatMap((s) => s.emails.filter((e) => e.sentBy === 'website').map((e) => ({ ...e, sequence: s.type })));
  if (found.length !== 1) throw new Error(`helpers/spec: expected exactly one email sent by the website, found ${found.length}`);
  return found[0]!;
})();
