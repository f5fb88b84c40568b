/**
 * Checks the ledger's due entries against the real systems (the impure half of ledger.ts):
 *
 *  1. the Resend id — already in the entry, else the send-email execution's output `resend_id`
 *     (`GET /executions/{id}` → outputs.resend_id), else the Sequence Tracker page's "Resend ID"
 *     (the execution may have been purged, or ended SUCCESS without sending because the tracker
 *     already showed the email as sent);
 *  2. `GET https://api.resend.com/emails/{id}` → last_event;
 *  3. resolveEntry() turns what was found into the entry's next state.
 */
import type { KestraClient } from '../../clients/kestra/index.js';
import { isTerminalState } from '../../clients/kestra/index.js';
import { KestraHttpError } from '../../clients/kestra/errors.js';
import type { NotionReadBack } from '../../clients/notion/read-back.js';
import type { ResendReadBack } from '../../clients/resend/read-back.js';
import { DEFAULT_GRACE_MS, dueEntries, resolveEntry, withEntries, type Ledger, type LedgerEntry, type Observation, type ResolveOptions } from './ledger.js';

export interface LedgerCheckDeps {
  kestra: KestraClient;
  resend: ResendReadBack;
  notion: NotionReadBack | null;
}

const oneLine = (err: unknown) => ((err as Error).message ?? String(err)).split('\n')[0]!.slice(0, 240);

async function trackerResendId(notion: NotionReadBack | null, entry: LedgerEntry): Promise<string | undefined> {
  if (!notion) return undefined;
  const pages = await notion.trackerPages(entry.email, entry.sequence);
  return pages.find((p) => p.number === entry.number && p.resendId)?.resendId ?? undefined;
}

/** What became of one expected email. */
export async function observeEntry(entry: LedgerEntry, deps: LedgerCheckDeps): Promise<Observation> {
  let resendId = entry.resendId;
  if (!resendId) {
    try {
      const execution = await deps.kestra.getExecution(entry.executionId);
      const state = execution.state.current;
      if (state === 'FAILED') return { kind: 'send-failed', detail: `send-email execution ${entry.executionId} ended FAILED` };
      if (state === 'KILLED' || state === 'CANCELLED') return { kind: 'no-email', detail: `send-email execution ${entry.executionId} was ${state}` };
      if (!isTerminalState(state)) {
        if (state === 'CREATED' || state === 'QUEUED') return { kind: 'no-email', detail: `send-email execution ${entry.executionId} is still ${state} after its due time — Kestra did not run it` };
        return { kind: 'error', detail: `send-email execution ${entry.executionId} is still ${state}` };
      }
      const output = execution.outputs.resend_id;
      if (typeof output === 'string' && output !== '') resendId = output;
    } catch (err) {
      if (!(err instanceof KestraHttpError && err.status === 404)) return { kind: 'error', detail: `Kestra: ${oneLine(err)}` };
    }
    if (!resendId) {
      try {
        resendId = await trackerResendId(deps.notion, entry);
      } catch (err) {
        return { kind: 'error', detail: `Notion: ${oneLine(err)}` };
      }
    }
    if (!resendId) return { kind: 'no-email', detail: `no Resend id: neither execution ${entry.executionId} nor the tracker page names one` };
  }
  try {
    const email = await deps.resend.getEmail(resendId);
    if (!email) return { kind: 'no-email', detail: `Resend has no email ${resendId}` };
    return { kind: 'email', resendId, lastEvent: email.lastEvent };
  } catch (err) {
    return { kind: 'error', detail: `Resend: ${oneLine(err)}` };
  }
}

export interface LedgerCheckResult {
  ledger: Ledger;
  /** The due entries after this check (same order). */
  checked: LedgerEntry[];
}

export async function checkDueEntries(ledger: Ledger, deps: LedgerCheckDeps, now: Date, options: ResolveOptions & { graceMs?: number } = {}): Promise<LedgerCheckResult> {
  const due = dueEntries(ledger, now, options.graceMs ?? DEFAULT_GRACE_MS);
  const checked: LedgerEntry[] = [];
  for (const entry of due) checked.push(resolveEntry(entry, await observeEntry(entry, deps), now, options));
  return { ledger: withEntries(ledger, checked), checked };
}
