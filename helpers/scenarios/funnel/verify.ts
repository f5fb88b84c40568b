/**
 * Judging what the page sent: each captured webhook body against the spec's zod schemas
 * (helpers/spec/payloads.ts), the `email_1_sent_at` timing, and the comparison of two drivers'
 * captures with the run-specific fields masked.
 */
import { checkPayload } from '../../spec/index.js';
import type { CapturedWebhook } from './driver.js';
import type { FunnelWebhook } from '../../spec/index.js';

export interface WebhookVerdict {
  name: FunnelWebhook;
  /** The HTTP status the browser received; null when none. */
  status: number | null;
  /** The body satisfies the spec's schema for this webhook. */
  valid: boolean;
  /** The first problem, naming the field. */
  error?: string;
}

export function judgeWebhooks(webhooks: readonly CapturedWebhook[]): WebhookVerdict[] {
  return webhooks.map((w) => {
    if (w.body === undefined) return { name: w.name, status: w.status, valid: false, error: `${w.name} webhook: body is not JSON (${(w.postData ?? '').slice(0, 80)})` };
    const check = checkPayload(w.name, w.body);
    return check.ok ? { name: w.name, status: w.status, valid: true } : { name: w.name, status: w.status, valid: false, error: check.message };
  });
}

/** Fields that differ from run to run, however correct the page is. */
export const RUN_SPECIFIC_FIELDS = ['email_1_sent_at'] as const;

/** The captures with run-specific values masked: the plus tag of the address, the send time. */
export function comparableCaptures(webhooks: readonly CapturedWebhook[]): { name: FunnelWebhook; method: string; contentType: string | null; body: unknown }[] {
  return webhooks.map((w) => {
    let body = w.body;
    if (body && typeof body === 'object' && !Array.isArray(body)) {
      const copy: Record<string, unknown> = { ...(body as Record<string, unknown>) };
      for (const field of RUN_SPECIFIC_FIELDS) if (field in copy) copy[field] = `<${field}>`;
      if (typeof copy.email === 'string') copy.email = copy.email.replace(/\+[^@]*@/, '+<run>@');
      body = copy;
    }
    return { name: w.name, method: w.method, contentType: w.contentType, body };
  });
}

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * `email_1_sent_at` is the moment Email #1 was sent: an ISO 8601 date-time with a zone, no earlier
 * than the visitor's submit, no later than the webhook carrying it — and equal to the send time the
 * website itself recorded, when known. Returns the problems found (empty = fine).
 */
export function emailOneTimingProblems(input: { assessment: CapturedWebhook; submittedAt: number; websiteSentAt?: string }): string[] {
  const body = input.assessment.body as Record<string, unknown> | undefined;
  const sentAt = body?.email_1_sent_at;
  if (typeof sentAt !== 'string') return [`email_1_sent_at is missing from the assessment webhook (got ${JSON.stringify(sentAt)})`];
  if (!ISO_WITH_ZONE.test(sentAt) || Number.isNaN(Date.parse(sentAt))) return [`email_1_sent_at "${sentAt}" is not ISO 8601 with a zone`];
  const problems: string[] = [];
  const at = Date.parse(sentAt);
  if (at < input.submittedAt) problems.push(`email_1_sent_at ${sentAt} is before the assessment was submitted (${new Date(input.submittedAt).toISOString()})`);
  if (at > input.assessment.at) problems.push(`email_1_sent_at ${sentAt} is later than the webhook that carries it (${new Date(input.assessment.at).toISOString()})`);
  if (input.websiteSentAt !== undefined && input.websiteSentAt !== sentAt) problems.push(`email_1_sent_at ${sentAt} differs from when the website sent Email #1 (${input.websiteSentAt})`);
  return problems;
}
