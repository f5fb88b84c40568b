/**
 * The stand-in's outbox: every email it accepted, in order, with the request headers that came
 * with it (never Authorization). Also the email object `GET /emails/{id}` answers.
 */
import type { EmailTag, SendRequest } from './send-request.js';
import { addressOf } from './send-request.js';

export interface OutboxEmail extends SendRequest {
  id: string;
  /** When it was accepted, ISO 8601 (from the stand-in's clock). */
  createdAt: string;
  idempotencyKey: string | null;
  /** Allow-listed request headers, lower-case: idempotency-key, content-type, user-agent. */
  requestHeaders: Record<string, string>;
}

export type LastEvent = 'scheduled' | 'delivered' | 'bounced' | 'complained' | 'suppressed';

/** Resend's test recipients simulate their outcome; anything else is delivered once due. */
export function lastEventOf(email: OutboxEmail, now: Date): LastEvent {
  if (email.scheduledAt !== null && Date.parse(email.scheduledAt) > now.getTime()) return 'scheduled';
  const first = addressOf(email.to[0] ?? '') ?? '';
  if (first === 'bounced@resend.dev') return 'bounced';
  if (first === 'complained@resend.dev') return 'complained';
  if (first === 'suppressed@resend.dev') return 'suppressed';
  return 'delivered';
}

/** Resend prints timestamps like Postgres: `2023-04-03 22:13:42.674981+00`. */
export function resendTimestamp(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000+00`;
}

export function emailObject(email: OutboxEmail, now: Date) {
  return {
    object: 'email' as const,
    id: email.id,
    to: [...email.to],
    from: email.from,
    created_at: resendTimestamp(email.createdAt),
    subject: email.subject,
    html: email.html,
    text: email.text,
    bcc: email.bcc,
    cc: email.cc,
    reply_to: email.replyTo,
    last_event: lastEventOf(email, now),
    scheduled_at: email.scheduledAt === null ? null : resendTimestamp(email.scheduledAt),
    tags: email.tags.map((t: EmailTag) => ({ ...t })),
  };
}
