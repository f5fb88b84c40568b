/** SPEC §4: what one email sent by Kestra must look like. */
import type { SequenceType } from './sequences.js';

export const SENDER = 'BusinessX Canada <noreply@sangletech.com>';

/** Per-contact variables a template may use. `weakest_system` is an alias of `weakest_system_1`. */
export const CONTACT_VARIABLES = ['first_name', 'business_name', 'segment', 'weakest_system', 'revenue_leak_total'] as const;

/** Campaign constants substituted into every template; the flows carry the same values. */
export const CAMPAIGN_CONSTANTS = {
  pdf_download_link: 'https://sangletech.com/en/flows/businessX/dfu/xmas-a01/guide.pdf',
  spots_remaining: '7',
  bookings_count: '23',
} as const;

/**
 * How an amount (`revenue_leak_total`) reads in an email: its plain decimal text, as the payload
 * gave it — no exponent, no grouping (10000000.5 → "10000000.5", never Jackson's "1.00000005E7").
 * Amounts of 1e21 and more have no plain JavaScript text and are out of range.
 */
export function amountText(amount: number): string {
  const text = String(amount);
  if (/e/i.test(text)) throw new RangeError(`amount ${text} is out of range for an email (below 1e21, not NaN)`);
  return text;
}

export const TEMPLATE_VARIABLES = [...CONTACT_VARIABLES, ...(Object.keys(CAMPAIGN_CONSTANTS) as (keyof typeof CAMPAIGN_CONSTANTS)[])] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

/**
 * Placeholders are written `{name}` in template subjects and bodies. Single braces keep them
 * clear of Pebble's `{{ }}`, so a template can be stored in a flow file without being rendered.
 */
export function placeholder(name: string): string {
  return `{${name}}`;
}

/** Matches any placeholder-shaped token left in rendered output (an unknown one is an error). */
export const LEFTOVER_PLACEHOLDER = /\{[a-z][a-z0-9_]*\}/;

/** Substitutes every known variable; throws naming the first placeholder left unresolved. */
export function renderTemplate(text: string, values: Partial<Record<TemplateVariable, string>>): string {
  let out = text;
  for (const name of TEMPLATE_VARIABLES) out = out.split(placeholder(name)).join(values[name] ?? '');
  const leftover = LEFTOVER_PLACEHOLDER.exec(out);
  if (leftover) throw new Error(`unknown placeholder ${leftover[0]} left in rendered template`);
  return out;
}

/** Resend's Idempotency-Key for one email: the same (email, sequence, number) always maps to it. */
export function idempotencyKey(email: string, sequence: SequenceType, number: number): string {
  return `${sequence}-${number}-${email.toLowerCase()}`;
}

/** Resend tags naming the sequence and the email number (tag values: ASCII letters, digits, _ and -). */
export function emailTags(sequence: SequenceType, number: number): { name: string; value: string }[] {
  return [
    { name: 'sequence', value: sequence },
    { name: 'email_number', value: String(number) },
  ];
}
