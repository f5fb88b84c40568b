/**
 * Clean-up of what a smoke run created, for ONE plus-addressed test identity:
 *  1. its still-scheduled emails — send-email executions in state CREATED whose recipient is that
 *     identity — are killed, one by one (`DELETE /executions/{id}/kill`, never by query);
 *  2. its Notion pages (contact, tracker pages, analytics events) are moved to the trash.
 * Killing first means no scheduled send can re-create a page after it was trashed.
 *
 * WHEN (the choice, see also ledger.ts): a nightly run keeps its identity's schedules alive — the
 * 5day, noshow, postcall and onboarding emails go to the test inbox, which SPEC §9 allows — so the
 * following nights can verify them against Resend. The identity is cleaned up by the first run
 * after its last email's due date (+ grace), once the ledger has resolved its entries. With
 * `--kill-scheduled` (the deploy gate's post-deploy smoke) a run cleans up its own identity at
 * once and records no expectations. `--keep` skips clean-up altogether for that run.
 *
 * Safety: only a plus-addressed test identity (lengobaosang+<tag>@gmail.com) is ever cleaned up —
 * never the shared test inbox itself, never Resend's shared test addresses, never anyone else.
 */
import type { KestraClient } from '../../clients/kestra/index.js';
import type { NotionReadBack } from '../../clients/notion/read-back.js';
import { isAllowedRecipient, SEND_EMAIL_FLOW, TEST_IDENTITY } from '../../spec/index.js';
import { scheduledSendsOf, type ScheduledSend } from '../../scenarios/scheduled-sends.js';
import type { KestraAdmin, KillOutcome } from '../../clients/kestra/admin.js';

export class CleanupRefusedError extends Error {
  override name = 'CleanupRefusedError';
}

const [TEST_LOCAL, TEST_DOMAIN] = TEST_IDENTITY.split('@') as [string, string];

/** A run's own address: the test inbox plus a tag. */
export function isPlusTestIdentity(email: string): boolean {
  const a = email.trim().toLowerCase();
  return isAllowedRecipient(a) && a.startsWith(`${TEST_LOCAL}+`) && a.endsWith(`@${TEST_DOMAIN}`);
}

export function assertCleanableIdentity(email: string): void {
  if (!isPlusTestIdentity(email)) {
    throw new CleanupRefusedError(`refusing to clean up "${email}": only a run's plus-addressed identity (${TEST_LOCAL}+<run-id>@${TEST_DOMAIN}) is cleaned up`);
  }
}

/** The send-email executions still waiting for their scheduleDate, addressed to `email`. */
export async function scheduledSendsTo(kestra: KestraClient, email: string): Promise<ScheduledSend[]> {
  const created = await kestra.searchAllExecutions({ namespace: SEND_EMAIL_FLOW.namespace, flowId: SEND_EMAIL_FLOW.flowId, state: 'CREATED' });
  const wanted = email.trim().toLowerCase();
  return scheduledSendsOf(created).filter((s) => s.state === 'CREATED' && s.recipient.trim().toLowerCase() === wanted);
}

export interface CleanupDeps {
  kestra: KestraClient;
  admin: KestraAdmin;
  notion: NotionReadBack | null;
}

export interface CleanupOutcome {
  email: string;
  killed: { executionId: string; outcome: KillOutcome }[];
  trashedPages: number | null;
}

export async function cleanUpIdentity(email: string, deps: CleanupDeps): Promise<CleanupOutcome> {
  assertCleanableIdentity(email);
  const killed: CleanupOutcome['killed'] = [];
  for (const send of await scheduledSendsTo(deps.kestra, email)) {
    // Re-checked per execution: only this identity's sends are ever killed.
    if (send.recipient.trim().toLowerCase() !== email.trim().toLowerCase()) continue;
    killed.push({ executionId: send.executionId, outcome: await deps.admin.killExecution(send.executionId) });
  }
  const trashedPages = deps.notion ? await deps.notion.trashEverythingFor(email) : null;
  return { email, killed, trashedPages };
}

export function cleanupLine(o: CleanupOutcome): string {
  const kills = o.killed.length === 0 ? 'no scheduled email left' : `${o.killed.length} scheduled email(s) killed (${o.killed.map((k) => `${k.executionId}: ${k.outcome}`).join(', ')})`;
  return `${o.email}: ${kills}; ${o.trashedPages === null ? 'Notion not configured' : `${o.trashedPages} Notion page(s) trashed`}`;
}
