/**
 * The email ledger of the production smoke.
 *
 * Most emails a smoke run triggers are due 1 h to 168 h later, long after the run ends. So each
 * run writes down what it expects — one entry per scheduled email: {runId, email, sequence,
 * number, template, dueAt, executionId, status: pending} — and every later run first checks the
 * entries that have fallen due (dueAt + grace ≤ now) against Kestra and Resend:
 *
 *   pending ──(Resend last_event delivered/opened/clicked)──────────────────────▶ verified
 *           ──(bounced/failed/complained/suppressed/canceled, or send FAILED)────▶ failed
 *           ──(no email: no resend id, execution killed/never ran, Resend 404)───▶ missing
 *           ──(sent/queued/delivery_delayed…: still in flight)──▶ pending, until dueAt + 24 h → failed
 *           ──(could not tell: Kestra/Resend unreachable)─────────▶ pending (retried next run)
 *
 * The ledger also lists each run's test identity and until when its schedules must stay alive
 * (`keepUntil` = last due date + grace): clean-up of a run's Notion pages waits for that, so the
 * emails due days later can still be verified (see helpers/tools/smoke/cleanup.ts).
 *
 * Everything here is pure except readLedger/writeLedger (a JSON file; written atomically).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { SEQUENCE_TYPES, type SequenceType } from '../../spec/index.js';
import { deliveryVerdict } from '../../clients/resend/read-back.js';

export const LEDGER_STATUSES = ['pending', 'verified', 'failed', 'missing'] as const;
export type LedgerStatus = (typeof LEDGER_STATUSES)[number];

/** How long after its due time an email is first checked. */
export const DEFAULT_GRACE_MS = 30 * 60_000;
/** How long after its due time an email may still be "in flight" before it counts as failed. */
export const MAX_IN_FLIGHT_MS = 24 * 60 * 60_000;
/** Resolved entries of cleaned-up runs are dropped after this long. */
export const RETENTION_MS = 30 * 24 * 60 * 60_000;

const EntrySchema = z.object({
  runId: z.string().min(1),
  email: z.string().min(3),
  sequence: z.enum(SEQUENCE_TYPES),
  number: z.number().int().positive(),
  template: z.string(),
  dueAt: z.iso.datetime({ offset: true }),
  executionId: z.string().min(1),
  resendId: z.string().optional(),
  status: z.enum(LEDGER_STATUSES),
  checkedAt: z.string().optional(),
  lastEvent: z.string().optional(),
  detail: z.string().optional(),
  attempts: z.number().int().nonnegative().optional(),
});
export type LedgerEntry = z.output<typeof EntrySchema>;

const RunSchema = z.object({
  runId: z.string().min(1),
  email: z.string().min(3),
  startedAt: z.string(),
  keepUntil: z.string(),
  cleanedAt: z.string().optional(),
});
export type LedgerRun = z.output<typeof RunSchema>;

const LedgerSchema = z.object({
  version: z.literal(1),
  entries: z.array(EntrySchema),
  runs: z.array(RunSchema),
});
export type Ledger = z.output<typeof LedgerSchema>;

export class LedgerFileError extends Error {
  override name = 'LedgerFileError';
}

export function emptyLedger(): Ledger {
  return { version: 1, entries: [], runs: [] };
}

export function parseLedger(text: string, file = 'ledger'): Ledger {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new LedgerFileError(`${file}: not JSON — fix or delete it (it is rebuilt, losing the pending expectations)`);
  }
  const parsed = LedgerSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LedgerFileError(`${file}: ${issue?.path.join('.') || '(root)'} ${issue?.message ?? 'is invalid'}`);
  }
  return parsed.data;
}

export function readLedger(file: string): Ledger {
  if (!existsSync(file)) return emptyLedger();
  return parseLedger(readFileSync(file, 'utf8'), file);
}

export function writeLedger(file: string, ledger: Ledger): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(ledger, null, 2)}\n`);
  renameSync(tmp, file);
}

const time = (iso: string) => Date.parse(iso);

/** Pending entries whose due time plus the grace period has passed. */
export function dueEntries(ledger: Ledger, now: Date, graceMs = DEFAULT_GRACE_MS): LedgerEntry[] {
  return ledger.entries.filter((e) => e.status === 'pending' && time(e.dueAt) + graceMs <= now.getTime());
}

/** What a later run found out about one expected email. */
export type Observation =
  /** Resend knows the email: its last event. */
  | { kind: 'email'; resendId: string; lastEvent: string | null }
  /** Nothing was sent: no Resend id, the execution never ran or was killed, or Resend has no such email. */
  | { kind: 'no-email'; detail: string }
  /** The send-email execution ended FAILED (nothing delivered). */
  | { kind: 'send-failed'; detail: string }
  /** Could not tell (Kestra or Resend unreachable): ask again next run. */
  | { kind: 'error'; detail: string };

export interface ResolveOptions {
  maxInFlightMs?: number;
}

/** The state machine: the entry after one observation (a new object; the input is not changed). */
export function resolveEntry(entry: LedgerEntry, observation: Observation, now: Date, options: ResolveOptions = {}): LedgerEntry {
  if (entry.status !== 'pending') return entry;
  const base: LedgerEntry = { ...entry, checkedAt: now.toISOString(), attempts: (entry.attempts ?? 0) + 1 };
  delete base.detail;
  switch (observation.kind) {
    case 'email': {
      const withEmail: LedgerEntry = { ...base, resendId: observation.resendId, ...(observation.lastEvent ? { lastEvent: observation.lastEvent } : {}) };
      const verdict = deliveryVerdict(observation.lastEvent);
      if (verdict === 'delivered') return { ...withEmail, status: 'verified' };
      if (verdict === 'failed') return { ...withEmail, status: 'failed', detail: `Resend last_event is ${observation.lastEvent}` };
      const lateMs = now.getTime() - time(entry.dueAt);
      if (lateMs > (options.maxInFlightMs ?? MAX_IN_FLIGHT_MS)) {
        return { ...withEmail, status: 'failed', detail: `still "${observation.lastEvent ?? 'no event'}" ${Math.round(lateMs / 3_600_000)} h after it was due` };
      }
      return { ...withEmail, status: 'pending', detail: `in flight: last_event ${observation.lastEvent ?? 'none'}` };
    }
    case 'no-email':
      return { ...base, status: 'missing', detail: observation.detail };
    case 'send-failed':
      return { ...base, status: 'failed', detail: observation.detail };
    case 'error':
      return { ...base, status: 'pending', detail: `not checked: ${observation.detail}` };
  }
}

/** Replaces entries by execution id. */
export function withEntries(ledger: Ledger, updated: readonly LedgerEntry[]): Ledger {
  const byId = new Map(updated.map((e) => [e.executionId, e]));
  return { ...ledger, entries: ledger.entries.map((e) => byId.get(e.executionId) ?? e) };
}

export interface ScheduledExpectation {
  sequence: SequenceType;
  emailNumber: number;
  template: string;
  executionId: string;
  /** When Kestra will send it (the execution's scheduleDate, else the spec's time). */
  dueAt: Date;
}

export function expectationsFor(runId: string, email: string, sends: readonly ScheduledExpectation[]): LedgerEntry[] {
  return sends.map((s) => ({
    runId, email, sequence: s.sequence, number: s.emailNumber, template: s.template, dueAt: s.dueAt.toISOString(), executionId: s.executionId, status: 'pending',
  }));
}

/** Adds a run's expectations (an execution already in the ledger is not added twice) and its run record. */
export function appendRun(ledger: Ledger, run: { runId: string; email: string; startedAt: Date }, entries: readonly LedgerEntry[], graceMs = DEFAULT_GRACE_MS): Ledger {
  const known = new Set(ledger.entries.map((e) => e.executionId));
  const fresh = entries.filter((e) => !known.has(e.executionId));
  const lastDue = Math.max(run.startedAt.getTime(), ...fresh.map((e) => time(e.dueAt)));
  const existing = ledger.runs.find((r) => r.runId === run.runId && r.email === run.email);
  const keepUntil = new Date(Math.max(lastDue + (fresh.length > 0 ? graceMs : 0), existing ? time(existing.keepUntil) : 0)).toISOString();
  const runs = existing
    ? ledger.runs.map((r) => (r === existing ? { ...r, keepUntil } : r))
    : [...ledger.runs, { runId: run.runId, email: run.email, startedAt: run.startedAt.toISOString(), keepUntil }];
  return { ...ledger, entries: [...ledger.entries, ...fresh], runs };
}

/**
 * Runs whose identity can be cleaned up now: not cleaned yet, past `keepUntil`, and either every
 * entry resolved or so late that the in-flight limit has passed too.
 */
export function runsDueForCleanup(ledger: Ledger, now: Date, options: ResolveOptions = {}): LedgerRun[] {
  const maxInFlight = options.maxInFlightMs ?? MAX_IN_FLIGHT_MS;
  return ledger.runs.filter((run) => {
    if (run.cleanedAt) return false;
    const until = time(run.keepUntil);
    if (now.getTime() < until) return false;
    const entries = ledger.entries.filter((e) => e.runId === run.runId && e.email === run.email);
    return entries.every((e) => e.status !== 'pending') || now.getTime() >= until + maxInFlight;
  });
}

export function markCleaned(ledger: Ledger, runId: string, email: string, now: Date): Ledger {
  return { ...ledger, runs: ledger.runs.map((r) => (r.runId === runId && r.email === email ? { ...r, cleanedAt: now.toISOString() } : r)) };
}

/** Drops cleaned runs (and their resolved entries) older than the retention period. */
export function pruneLedger(ledger: Ledger, now: Date, retentionMs = RETENTION_MS): Ledger {
  const expired = new Set(ledger.runs.filter((r) => r.cleanedAt && time(r.cleanedAt) + retentionMs < now.getTime()).map((r) => `${r.runId}\u0000${r.email}`));
  return {
    ...ledger,
    runs: ledger.runs.filter((r) => !expired.has(`${r.runId}\u0000${r.email}`)),
    entries: ledger.entries.filter((e) => !(expired.has(`${e.runId}\u0000${e.email}`) && e.status !== 'pending')),
  };
}

export function countByStatus(entries: readonly LedgerEntry[]): Record<LedgerStatus, number> {
  const counts: Record<LedgerStatus, number> = { pending: 0, verified: 0, failed: 0, missing: 0 };
  for (const e of entries) counts[e.status] += 1;
  return counts;
}

export function describeEntry(e: LedgerEntry): string {
  return `${e.sequence} #${e.number} (${e.template}) to ${e.email}, due ${e.dueAt}, execution ${e.executionId}${e.resendId ? `, Resend ${e.resendId}` : ''}`;
}
