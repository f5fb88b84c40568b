/**
 * What SPEC.md says must happen for one webhook call — derived from the spec module only, never
 * from the flows under test.
 */
import {
  amountText, CAMPAIGN_CONSTANTS, checkPayload, classifySegment, sequenceStarts, websiteEmails, websiteEmailStatus, idempotencyKey, emailTags, kestraEmails, renderTemplate, scheduleFor,
  sequenceForWebhook, SENDER, type PayloadByWebhook, type SequenceType, type TemplateVariable, type TimingMode,
  type WebhookName,
} from '../spec/index.js';

export interface ExpectedSend {
  sequence: SequenceType;
  emailNumber: number;
  template: string;
  sendAt: Date;
}

/** The time a sequence counts from: the 5-day sequence's email_1_sent_at when given, else the webhook's arrival. */
export function sequenceAnchor(webhook: WebhookName, payload: Record<string, unknown>, arrival: Date): Date {
  const sequence = sequenceForWebhook(webhook);
  if (sequence?.anchor.kind === 'payload-field' && typeof payload[sequence.anchor.field] === 'string') {
    return new Date(payload[sequence.anchor.field] as string);
  }
  return arrival;
}

/** The emails Kestra must schedule for this call (none for signup, an invalid payload, or unpaid onboarding). */
export function expectedSends(webhook: WebhookName, payload: Record<string, unknown>, arrival: Date, timing: TimingMode): ExpectedSend[] {
  const sequence = sequenceForWebhook(webhook);
  if (!sequence || !checkPayload(webhook, payload).ok || !sequenceStarts(webhook, payload)) return [];
  return scheduleFor(sequenceAnchor(webhook, payload, arrival), sequence.type, timing).map((e) => ({
    sequence: e.sequence,
    emailNumber: e.number,
    template: e.template,
    sendAt: e.sendAt,
  }));
}

export function expectedSegment(webhook: WebhookName, payload: Record<string, unknown>): string | null {
  if (webhook !== 'assessment') return null;
  const p = payload as PayloadByWebhook['assessment'];
  return classifySegment(p);
}

/** Template variables for a contact, as SPEC §4 defines them. */
export function templateValues(webhook: WebhookName, payload: Record<string, unknown>): Partial<Record<TemplateVariable, string>> {
  const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  return {
    first_name: text(payload.first_name),
    business_name: text(payload.business_name),
    segment: expectedSegment(webhook, payload) ?? '',
    weakest_system: text(payload.weakest_system_1),
    revenue_leak_total: typeof payload.revenue_leak_total === 'number' ? amountText(payload.revenue_leak_total) : text(payload.revenue_leak_total),
    ...CAMPAIGN_CONSTANTS,
  };
}

export interface ExpectedEmail {
  from: string;
  to: string;
  subject: string;
  html: string;
  idempotencyKey: string;
  tags: { name: string; value: string }[];
}

/** The email one scheduled send must produce from a template's subject and body. */
export function expectedEmail(
  webhook: WebhookName,
  payload: Record<string, unknown>,
  send: Pick<ExpectedSend, 'sequence' | 'emailNumber'>,
  template: { subject: string; body: string },
): ExpectedEmail {
  const values = templateValues(webhook, payload);
  const to = String(payload.email);
  return {
    from: SENDER,
    to,
    subject: renderTemplate(template.subject, values),
    html: renderTemplate(template.body, values),
    idempotencyKey: idempotencyKey(to, send.sequence, send.emailNumber),
    tags: emailTags(send.sequence, send.emailNumber),
  };
}

/** How many emails Kestra sends for a webhook's sequence in all. */
export function kestraEmailCount(webhook: WebhookName): number {
  const sequence = sequenceForWebhook(webhook);
  return sequence ? kestraEmails(sequence.type).length : 0;
}

/** What the website's own emails must look like in the tracker after this call (5-day Email #1). */
export interface ExpectedWebsitePage {
  sequence: SequenceType;
  number: number;
  status: 'sent' | 'failed';
  sentAt: string;
}

export function expectedWebsitePages(webhook: WebhookName, payload: Record<string, unknown>, arrival: Date): ExpectedWebsitePage[] {
  const sequence = sequenceForWebhook(webhook);
  if (!sequence || !checkPayload(webhook, payload).ok || !sequenceStarts(webhook, payload)) return [];
  const anchor = sequenceAnchor(webhook, payload, arrival).toISOString();
  return websiteEmails(sequence.type).map((e) => ({ sequence: sequence.type, number: e.number, status: websiteEmailStatus(payload), sentAt: anchor }));
}

/** Whether the handler writes a contact for this call: a valid payload whose handling proceeds (SPEC §5). */
export function expectsContact(webhook: WebhookName, payload: Record<string, unknown>): boolean {
  if (!checkPayload(webhook, payload).ok) return false;
  return sequenceForWebhook(webhook) === null || sequenceStarts(webhook, payload);
}
