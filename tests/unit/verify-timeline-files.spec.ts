/**
 * The timeline wired in (issue 15): a told story becomes a recorded timeline (ISO strings, as the
 * e2e spec writes it to VERIFY_RECORDS_FILE), and verify's writer turns the main cases' records into
 * reports/timeline-<sequence>.svg with a count of the emails off — all in-process, no verify spawn.
 */
import { test, expect } from '../support/unit-test.js';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectedSends } from '../../helpers/scenarios/expectations.js';
import { validPayload } from '../../helpers/scenarios/payloads.js';
import { recordOf, type WebhookRecord } from '../../helpers/scenarios/records.js';
import { recordedTimeline } from '../../helpers/scenarios/timeline-record.js';
import type { WebhookStory } from '../../helpers/scenarios/webhook-story.js';
import { MISMATCH_COLOUR } from '../../helpers/tools/verify/timeline.js';
import { timelineLines, writeTimelines } from '../../helpers/tools/verify/timeline-files.js';
import { kestraEmails } from '../../helpers/spec/index.js';

const arrival = new Date('2026-12-01T10:00:00Z');
const identity = 'lengobaosang+timeline@gmail.com';

/** A noshow story as the target would tell it; `shiftMs` moves each email's scheduleDate off the spec. */
function noshowStory(shiftMs: (n: number) => number = () => 0): WebhookStory {
  const payload = { ...validPayload('noshow'), email: identity };
  const expected = expectedSends('noshow', payload, arrival, 'production');
  expect(expected.length, 'the spec schedules the noshow sequence for the valid payload').toBeGreaterThan(1);
  return {
    webhook: 'noshow', case: 'valid payload', payload, status: 200,
    execution: { id: 'exec-1', state: 'SUCCESS', arrival: arrival.toISOString() },
    contacts: [],
    scheduled: expected.map((e) => ({ executionId: `s${e.emailNumber}`, state: 'CREATED', scheduleDate: new Date(e.sendAt.getTime() + shiftMs(e.emailNumber)), sequence: e.sequence, emailNumber: e.emailNumber, template: e.template, recipient: identity })),
    trackerPages: expected.map((e) => ({ pageId: `p${e.emailNumber}`, name: null, email: identity, sequence: e.sequence, number: e.emailNumber, status: 'sent', sentBy: 'kestra', scheduledFor: e.sendAt.toISOString(), sentAt: new Date(e.sendAt.getTime() + 30_000).toISOString(), resendId: `r${e.emailNumber}` })),
    emails: expected.map((e) => ({ id: `r${e.emailNumber}`, from: 'x', to: [identity], subject: 's', tags: [{ name: 'email_number', value: String(e.emailNumber) }], createdAt: new Date(e.sendAt.getTime() + 30_000).toISOString() })),
    analytics: [], delivered: true, notionChecked: true, checks: [], ok: true, durationMs: 1,
  };
}

test('a told story becomes a recorded timeline: expected from helpers/spec, observed from the story', () => {
  const t = recordedTimeline(noshowStory(), 'production', 2_000)!;
  const spec = kestraEmails('noshow');
  expect(t.sequence).toBe('noshow');
  expect(t.anchor).toBe(arrival.toISOString());
  expect(t.toleranceMs).toBe(2_000);
  expect(t.emails.map((e) => [e.number, e.template, e.expectedAt])).toEqual(spec.map((e) => [e.number, e.template, new Date(arrival.getTime() + e.productionOffsetMinutes! * 60_000).toISOString()]));
  expect(t.emails.every((e) => e.scheduledAt === e.expectedAt)).toBe(true);
  expect(t.emails.map((e) => e.sentAt)).toEqual(t.emails.map((e) => new Date(Date.parse(e.expectedAt) + 30_000).toISOString()));
  expect(t.emails.map((e) => e.trackedAt)).toEqual(t.emails.map((e) => e.sentAt));
  // No execution: nothing was scheduled, so no picture.
  expect(recordedTimeline({ ...noshowStory(), execution: null }, 'production')).toBeNull();
});

test('verify writes reports/timeline-<sequence>.svg for main cases, red only where an email is off', () => {
  const dir = mkdtempSync(join(tmpdir(), 'verify-timeline-'));
  try {
    writeFileSync(join(dir, 'timeline-stale.svg'), '<svg/>'); // an earlier run's picture goes
    writeFileSync(join(dir, 'verify-summary.json'), '{}'); // other reports stay
    const exact = noshowStory();
    const main: WebhookRecord = recordOf(exact, true, recordedTimeline(exact, 'production', 2_000));
    const notMain: WebhookRecord = { ...main, main: false, name: 'postcall', timeline: { ...main.timeline!, sequence: 'postcall' } };

    let files = writeTimelines(dir, [notMain, main]);
    expect(files).toEqual([{ file: 'reports/timeline-noshow.svg', sequence: 'noshow', emails: main.timeline!.emails.length, emailsOff: 0 }]);
    expect(readdirSync(dir).sort()).toEqual(['timeline-noshow.svg', 'verify-summary.json']);
    let svg = readFileSync(join(dir, 'timeline-noshow.svg'), 'utf8');
    expect(svg).toContain(`data-sequence="noshow"`);
    expect([...svg.matchAll(/<g class="email" data-email="(\d+)" data-template="([^"]+)"/g)].map((m) => [Number(m[1]), m[2]])).toEqual(kestraEmails('noshow').map((e) => [e.number, e.template]));
    for (const e of main.timeline!.emails) expect(svg).toContain(`<g class="scheduled" data-at="${e.scheduledAt}" fill="#2e7d32">`);
    expect(svg).not.toContain(MISMATCH_COLOUR);
    expect(timelineLines(files)).toEqual([`timeline: reports/timeline-noshow.svg (${files[0]!.emails} emails on time)`]);

    // Email #2 scheduled 3 s late (tolerance 2 s): that row, and only that row, is red; the count says 1.
    const late = noshowStory((n) => (n === 2 ? 3_000 : 0));
    files = writeTimelines(dir, [recordOf(late, true, recordedTimeline(late, 'production', 2_000))]);
    expect(files[0]!.emailsOff).toBe(1);
    svg = readFileSync(join(dir, 'timeline-noshow.svg'), 'utf8');
    expect([...svg.matchAll(/<g class="email mismatch" data-email="(\d+)"/g)].map((m) => Number(m[1]))).toEqual([2]);
    expect(svg).toContain(`<g class="scheduled" data-at="${late.scheduled.find((s) => s.emailNumber === 2)!.scheduleDate!.toISOString()}" fill="${MISMATCH_COLOUR}">`);
    expect(timelineLines(files)).toEqual([`timeline: reports/timeline-noshow.svg (1 of ${files[0]!.emails} emails off — marked red)`]);

    // No main record with a timeline: no picture, and the old one is gone.
    expect(writeTimelines(dir, [notMain])).toEqual([]);
    expect(existsSync(join(dir, 'timeline-noshow.svg'))).toBe(false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
