/**
 * SPEC §6: the five webhook payloads as zod schemas (snake_case field names, optional fields
 * marked). Extra fields are tolerated (the website may send more); wrong types are not.
 */
import { z } from 'zod';
import type { WebhookName } from './sequences.js';

const email = z.email({ error: 'must be an email address' });
const firstName = z.string().trim().min(1, { error: 'must not be empty' });
const optionalText = z.string().optional();
/** ISO 8601 date-time with a zone (`Z` or an offset): a local time would be ambiguous. */
const isoDateTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a zone, e.g. 2025-12-01T10:30:00Z' });
const systemCount = z.int({ error: 'must be a whole number' }).nonnegative({ error: 'must not be negative' });

export const signupPayload = z.object({
  email,
  first_name: firstName,
  business_name: optionalText,
  source: optionalText,
});

export const assessmentPayload = z.object({
  email,
  first_name: firstName,
  business_name: optionalText,
  red_systems: systemCount,
  orange_systems: systemCount,
  yellow_systems: systemCount,
  green_systems: systemCount,
  weakest_system_1: z.string().trim().min(1, { error: 'must not be empty' }),
  weakest_system_2: optionalText,
  revenue_leak_total: z.number({ error: 'must be a number' }).nonnegative({ error: 'must not be negative' }),
  email_1_sent_at: isoDateTime.optional(),
  email_1_status: z.enum(['sent', 'failed']).optional(),
});

export const noshowPayload = z.object({
  email,
  first_name: firstName,
  business_name: optionalText,
  calendly_event_uri: optionalText,
  scheduled_call_time: isoDateTime.optional(),
  reschedule_url: optionalText,
});

export const postcallPayload = z.object({
  email,
  first_name: firstName,
  business_name: optionalText,
  call_outcome: z.literal('maybe', { error: "must be 'maybe'" }),
  call_date: isoDateTime.optional(),
  notes: optionalText,
});

export const onboardingPayload = z.object({
  email,
  first_name: firstName,
  business_name: optionalText,
  payment_confirmed: z.boolean({ error: 'must be true or false' }),
  payment_amount: z.number({ error: 'must be a number' }).optional(),
  docusign_completed: z.boolean({ error: 'must be true or false' }).optional(),
  start_date: optionalText,
});

export type SignupPayload = z.infer<typeof signupPayload>;
export type AssessmentPayload = z.infer<typeof assessmentPayload>;
export type NoshowPayload = z.infer<typeof noshowPayload>;
export type PostcallPayload = z.infer<typeof postcallPayload>;
export type OnboardingPayload = z.infer<typeof onboardingPayload>;

export const PAYLOAD_SCHEMAS = {
  signup: signupPayload,
  assessment: assessmentPayload,
  noshow: noshowPayload,
  postcall: postcallPayload,
  onboarding: onboardingPayload,
} as const satisfies Record<WebhookName, z.ZodType>;

export interface PayloadByWebhook {
  signup: SignupPayload;
  assessment: AssessmentPayload;
  noshow: NoshowPayload;
  postcall: PostcallPayload;
  onboarding: OnboardingPayload;
}

export type PayloadCheck<W extends WebhookName> =
  | { ok: true; payload: PayloadByWebhook[W] }
  | { ok: false; field: string; message: string };

/** Validates a payload; on failure names the first offending field in one line. */
export function checkPayload<W extends WebhookName>(webhook: W, body: unknown): PayloadCheck<W> {
  const result = PAYLOAD_SCHEMAS[webhook].safeParse(body);
  if (result.success) return { ok: true, payload: result.data as PayloadByWebhook[W] };
  const issue = result.error.issues[0]!;
  const field = issue.path.length > 0 ? issue.path.join('.') : '(body)';
  const message = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
  return { ok: false, field, message: `${webhook} payload: ${field} ${message}` };
}
