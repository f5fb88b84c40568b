/**
 * SPEC §4.5 and §7: the analytics event logged for every email Kestra sends — one page in the
 * Analytics data source per send, with these fields.
 */
import type { SequenceEmail } from './sequences.js';

export const EMAIL_SENT_EVENT = 'email_sent';

export interface ExpectedAnalyticsEvent {
  event: string;
  email: string;
  template: string;
  emailNumber: number;
  status: 'sent';
  sentBy: SequenceEmail['sentBy'];
  /** When the email went out. */
  timestamp: string;
}

export function sendEvent(email: string, sent: Pick<SequenceEmail, 'number' | 'template'>, sentAt: Date): ExpectedAnalyticsEvent {
  return { event: EMAIL_SENT_EVENT, email, template: sent.template, emailNumber: sent.number, status: 'sent', sentBy: 'kestra', timestamp: sentAt.toISOString() };
}
