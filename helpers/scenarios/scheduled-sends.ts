/** The send-email executions a webhook scheduled, read from Kestra's executions API. */
import type { Execution } from '../clients/kestra/index.js';
import { SEND_EMAIL_FLOW, type SequenceType } from '../spec/index.js';

export interface ScheduledSend {
  executionId: string;
  state: string;
  scheduleDate: Date | null;
  sequence: SequenceType;
  emailNumber: number;
  template: string;
  recipient: string;
}

function recipientEmail(recipient: unknown): string {
  const value = typeof recipient === 'string' ? (JSON.parse(recipient) as unknown) : recipient;
  return String((value as { email?: unknown } | null)?.email ?? '');
}

/** The send-email executions among `executions`, sorted by sequence and email number. */
export function scheduledSendsOf(executions: readonly Execution[]): ScheduledSend[] {
  return executions
    .filter((e) => e.namespace === SEND_EMAIL_FLOW.namespace && e.flowId === SEND_EMAIL_FLOW.flowId)
    .map((e) => ({
      executionId: e.id,
      state: e.state.current,
      scheduleDate: e.scheduleDate ? new Date(e.scheduleDate) : null,
      sequence: e.inputs.sequence_type as SequenceType,
      emailNumber: Number(e.inputs.email_number),
      template: String(e.inputs.template_name),
      recipient: recipientEmail(e.inputs.recipient),
    }))
    .sort((a, b) => `${a.sequence}${a.emailNumber}`.localeCompare(`${b.sequence}${b.emailNumber}`));
}
