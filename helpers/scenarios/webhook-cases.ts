/**
 * The cases the main job fires: for each rule of SPEC §1–§5, a case on each side of each boundary.
 * A case only names the payload change; what must happen comes from helpers/spec (expectations.ts).
 */
import { SEGMENTS, WEBSITE_EMAIL_STATUS_FIELD, type WebhookName } from '../spec/index.js';
import type { Target } from '../targets/types.js';

export interface WebhookCase {
  webhook: WebhookName;
  /** What the case shows, e.g. "red 1, orange 0 → URGENT". */
  name: string;
  /** Changes to the valid fixture payload; `undefined` removes the field. */
  changes?: Record<string, unknown>;
  /** Fire the same webhook first with these changes (a duplicate: `{}`; an update: the old values). */
  before?: Record<string, unknown>;
  /** The case whose outcome verify's summary reports for the webhook; main cases also deliver (move the clock, check the emails). */
  main?: boolean;
}

/** How long before the assessment webhook the website sends Email #1 (the anchor of the 5-day sequence). */
export const WEBSITE_LEAD_MS = 5_000;

/**
 * The changes a case makes on a target: an assessment carries the website's `email_1_sent_at`
 * moments before the target's now, unless the case sets or removes it.
 */
export function webhookCaseChanges(target: Target, kase: WebhookCase): Record<string, unknown> {
  const changes = { ...(kase.changes ?? {}) };
  if (kase.webhook === 'assessment' && !('email_1_sent_at' in changes)) {
    changes.email_1_sent_at = new Date(target.clock.now().getTime() - WEBSITE_LEAD_MS).toISOString();
  }
  return changes;
}

const [CRITICAL, URGENT, OPTIMIZE] = SEGMENTS;
const counts = (red: number, orange: number) => ({ red_systems: red, orange_systems: orange });

/**
 * Boundaries (SPEC §3: CRITICAL if red >= 2, else URGENT if red == 1 or orange >= 2, else OPTIMIZE):
 * the valid fixture is red 2 / orange 1 (CRITICAL without orange's help); red 1 / orange 0 is one
 * below it; red 0 / orange 2 and red 0 / orange 1 are the two sides of the orange rule. Each case
 * costs a handler run on the main job's clock, so a case that shows no new side of a rule is left out.
 */
export const WEBHOOK_CASES: readonly WebhookCase[] = [
  { webhook: 'signup', name: 'a new contact is created', main: true },
  { webhook: 'signup', name: 'a known contact is updated, never duplicated', before: { business_name: 'Old Salon Name', source: 'old-source' } },

  { webhook: 'assessment', name: `valid payload (red 2 → ${CRITICAL})`, main: true },
  { webhook: 'assessment', name: `red 1 (one below ${CRITICAL}), orange 0 → ${URGENT}`, changes: counts(1, 0) },
  { webhook: 'assessment', name: `red 0, orange 2 → ${URGENT}`, changes: counts(0, 2) },
  { webhook: 'assessment', name: `red 0, orange 1 (one below ${URGENT}) → ${OPTIMIZE}`, changes: counts(0, 1) },
  { webhook: 'assessment', name: 'email_1_sent_at missing → timed from the webhook\'s arrival', changes: { email_1_sent_at: undefined } },
  { webhook: 'assessment', name: 'email_1_sent_at not ISO 8601 → refused, nothing scheduled or written', changes: { email_1_sent_at: '01/12/2025 10:30' } },
  { webhook: 'assessment', name: `${WEBSITE_EMAIL_STATUS_FIELD} failed → Email #1 tracked failed`, changes: { [WEBSITE_EMAIL_STATUS_FIELD]: 'failed' } },
  { webhook: 'assessment', name: 'a duplicate schedules nothing new', before: {} },

  { webhook: 'noshow', name: 'valid payload', main: true },
  { webhook: 'noshow', name: 'a duplicate schedules nothing new', before: {} },

  { webhook: 'postcall', name: 'valid payload', main: true },
  { webhook: 'postcall', name: 'a duplicate schedules nothing new', before: {} },

  { webhook: 'onboarding', name: 'payment confirmed → scheduled', main: true },
  { webhook: 'onboarding', name: 'payment not confirmed → nothing written or scheduled', changes: { payment_confirmed: false } },
];
