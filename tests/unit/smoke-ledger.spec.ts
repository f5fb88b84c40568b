/**
 * The email ledger's state machine (helpers/tools/smoke/ledger.ts) — pure functions: which entries are
 * due, how an observation moves an entry (pending → verified | failed | missing, or stays
 * pending), when a run's identity may be cleaned up, and the file round trip.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '../support/unit-test.js';
import { deliveryVerdict } from '../../helpers/clients/resend/read-back.js';
import {
  appendRun, countByStatus, DEFAULT_GRACE_MS, dueEntries, emptyLedger, expectationsFor, LedgerFileError, markCleaned, MAX_IN_FLIGHT_MS, parseLedger,
  pruneLedger, readLedger, resolveEntry, runsDueForCleanup, withEntries, writeLedger, type LedgerEntry,
} from '../../helpers/tools/smoke/ledger.js';

const T0 = new Date('2025-12-01T03:00:00Z');
const H = 3_600_000;
const at = (hours: number) => new Date(T0.getTime() + hours * H);
const EMAIL = 'lengobaosang+smoke-a@gmail.com';

function entry(overrides: Partial<LedgerEntry> = {}): LedgerEntry {
  return { runId: 'smoke-a', email: EMAIL, sequence: 'postcall', number: 1, template: 'postcall_maybe_email_1', dueAt: at(1).toISOString(), executionId: 'exec-1', status: 'pending', ...overrides };
}

test('an entry is due once its due time plus the grace period has passed, and only while pending', () => {
  const ledger = { ...emptyLedger(), entries: [entry(), entry({ executionId: 'exec-2', dueAt: at(24).toISOString() }), entry({ executionId: 'exec-3', status: 'verified' })] };
  expect(dueEntries(ledger, at(1)).map((e) => e.executionId)).toEqual([]);
  expect(dueEntries(ledger, new Date(at(1).getTime() + DEFAULT_GRACE_MS)).map((e) => e.executionId)).toEqual(['exec-1']);
  expect(dueEntries(ledger, at(30)).map((e) => e.executionId)).toEqual(['exec-1', 'exec-2']);
});

test('Resend last_event decides: delivered/opened/clicked → verified; bounced, complained… → failed', () => {
  for (const event of ['delivered', 'opened', 'clicked']) {
    const e = resolveEntry(entry(), { kind: 'email', resendId: 're-1', lastEvent: event }, at(2));
    expect(e).toMatchObject({ status: 'verified', resendId: 're-1', lastEvent: event, checkedAt: at(2).toISOString(), attempts: 1 });
  }
  for (const event of ['bounced', 'failed', 'complained', 'suppressed', 'canceled']) {
    expect(resolveEntry(entry(), { kind: 'email', resendId: 're-1', lastEvent: event }, at(2))).toMatchObject({ status: 'failed', detail: `Resend last_event is ${event}` });
  }
  expect(deliveryVerdict('DELIVERED')).toBe('delivered');
  expect(deliveryVerdict('something_new')).toBe('unknown');
});

test('an email still in flight stays pending, until 24 h after it was due — then it failed', () => {
  const inFlight = resolveEntry(entry(), { kind: 'email', resendId: 're-1', lastEvent: 'delivery_delayed' }, at(3));
  expect(inFlight).toMatchObject({ status: 'pending', resendId: 're-1', detail: 'in flight: last_event delivery_delayed' });
  const tooLate = resolveEntry(inFlight, { kind: 'email', resendId: 're-1', lastEvent: 'sent' }, new Date(at(1).getTime() + MAX_IN_FLIGHT_MS + H));
  expect(tooLate).toMatchObject({ status: 'failed', detail: 'still "sent" 25 h after it was due', attempts: 2 });
});

test('no email → missing; a FAILED send → failed; an unreachable service → pending, retried next run', () => {
  expect(resolveEntry(entry(), { kind: 'no-email', detail: 'Resend has no email re-9' }, at(2))).toMatchObject({ status: 'missing', detail: 'Resend has no email re-9' });
  expect(resolveEntry(entry(), { kind: 'send-failed', detail: 'send-email execution exec-1 ended FAILED' }, at(2))).toMatchObject({ status: 'failed' });
  const unknown = resolveEntry(entry(), { kind: 'error', detail: 'Resend: GET … failed: ECONNRESET' }, at(2));
  expect(unknown).toMatchObject({ status: 'pending', detail: 'not checked: Resend: GET … failed: ECONNRESET', attempts: 1 });
  expect(dueEntries({ ...emptyLedger(), entries: [unknown] }, at(3))).toHaveLength(1);
});

test('a resolved entry never changes again, and resolving does not mutate its input', () => {
  const pending = entry();
  const verified = resolveEntry(pending, { kind: 'email', resendId: 're-1', lastEvent: 'delivered' }, at(2));
  expect(pending.status).toBe('pending');
  expect(resolveEntry(verified, { kind: 'no-email', detail: 'x' }, at(5))).toBe(verified);
});

test('a run is recorded with its expectations; its identity is kept until the last due date + grace, then cleaned once resolved', () => {
  const sends = [
    { sequence: 'postcall' as const, emailNumber: 1, template: 'postcall_maybe_email_1', executionId: 'e1', dueAt: at(1) },
    { sequence: 'postcall' as const, emailNumber: 3, template: 'postcall_maybe_email_3', executionId: 'e3', dueAt: at(168) },
  ];
  let ledger = appendRun(emptyLedger(), { runId: 'smoke-a', email: EMAIL, startedAt: T0 }, expectationsFor('smoke-a', EMAIL, sends));
  // The same expectations twice are not added twice.
  ledger = appendRun(ledger, { runId: 'smoke-a', email: EMAIL, startedAt: T0 }, expectationsFor('smoke-a', EMAIL, sends));
  expect(ledger.entries.map((e) => [e.executionId, e.status, e.dueAt])).toEqual([['e1', 'pending', at(1).toISOString()], ['e3', 'pending', at(168).toISOString()]]);
  expect(ledger.runs).toEqual([{ runId: 'smoke-a', email: EMAIL, startedAt: T0.toISOString(), keepUntil: new Date(at(168).getTime() + DEFAULT_GRACE_MS).toISOString() }]);

  expect(runsDueForCleanup(ledger, at(100)), 'schedules still alive').toEqual([]);
  const resolved = dueEntries(ledger, at(170)).map((e) => resolveEntry(e, { kind: 'email', resendId: `re-${e.executionId}`, lastEvent: 'delivered' }, at(170)));
  ledger = withEntries(ledger, resolved);
  expect(countByStatus(ledger.entries)).toEqual({ pending: 0, verified: 2, failed: 0, missing: 0 });
  expect(runsDueForCleanup(ledger, at(170)).map((r) => r.runId)).toEqual(['smoke-a']);
  ledger = markCleaned(ledger, 'smoke-a', EMAIL, at(170));
  expect(runsDueForCleanup(ledger, at(171))).toEqual([]);

  // Cleaned runs are dropped after the retention period, with their resolved entries.
  expect(pruneLedger(ledger, at(171)).runs).toHaveLength(1);
  expect(pruneLedger(ledger, at(170 + 31 * 24))).toEqual(emptyLedger());
});

test('a run whose entries stay pending is still cleaned up once the in-flight limit has passed too; one with nothing scheduled at once', () => {
  const ledger = appendRun(emptyLedger(), { runId: 'smoke-b', email: EMAIL, startedAt: T0 }, [entry({ runId: 'smoke-b' })]);
  const keepUntil = Date.parse(ledger.runs[0]!.keepUntil);
  expect(runsDueForCleanup(ledger, new Date(keepUntil + H))).toEqual([]);
  expect(runsDueForCleanup(ledger, new Date(keepUntil + MAX_IN_FLIGHT_MS))).toHaveLength(1);
  const nothing = appendRun(emptyLedger(), { runId: 'smoke-c', email: 'lengobaosang+smoke-c@gmail.com', startedAt: T0 }, []);
  expect(runsDueForCleanup(nothing, T0).map((r) => r.runId)).toEqual(['smoke-c']);
});

test('the ledger file: missing → empty, written atomically, read back equal; a damaged file is one line naming it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'smoke-ledger-'));
  try {
    const file = join(dir, 'nested', 'ledger.json');
    expect(readLedger(file)).toEqual(emptyLedger());
    const ledger = appendRun(emptyLedger(), { runId: 'smoke-a', email: EMAIL, startedAt: T0 }, [entry()]);
    writeLedger(file, ledger);
    expect(readLedger(file)).toEqual(ledger);
    expect(JSON.parse(readFileSync(file, 'utf8')).version).toBe(1);
    writeFileSync(file, '{"version": 1, "entries": [{"runId": "x"}], "runs": []}');
    expect(() => readLedger(file)).toThrow(LedgerFileError);
    expect(() => readLedger(file)).toThrow(/ledger\.json: entries\.0\.email /);
    expect(() => parseLedger('not json', 'reports/smoke-ledger.json')).toThrow('reports/smoke-ledger.json: not JSON — fix or delete it (it is rebuilt, losing the pending expectations)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
