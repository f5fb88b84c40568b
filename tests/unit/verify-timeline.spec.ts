/**
 * The schedule as a picture (issue 15, "let people see the schedule"): the SVG's content — one row
 * per email the spec schedules, the expected times from helpers/spec, observed marks where given,
 * a mismatch in red and only a mismatch — not just that a file exists.
 */
import { test, expect } from '../support/unit-test.js';
import { expectedTimeline, isMismatch, MISMATCH_COLOUR, renderTimelineSvg, type Timeline } from '../../helpers/tools/verify/timeline.js';
import { kestraEmails, SEQUENCES } from '../../helpers/spec/index.js';

const anchor = new Date('2026-12-01T10:00:00Z');
const HOUR = 3_600_000;

/** The rows of the picture: email number, template, classes, expected and scheduled times. */
function rows(svg: string) {
  return [...svg.matchAll(/<g class="email( mismatch)?" data-email="(\d+)" data-template="([^"]+)">([\s\S]*?)<\/g>\n(?=<g class="email|<text x="220")/g)].map((m) => ({
    number: Number(m[2]),
    template: m[3],
    mismatch: m[1] !== undefined,
    expectedAt: /class="expected"[^>]*data-at="([^"]+)"/.exec(m[4]!)?.[1],
    scheduledAt: /<g class="scheduled" data-at="([^"]+)" fill="([^"]+)"/.exec(m[4]!)?.slice(1),
    sent: /<g class="sent" data-at="([^"]+)"/.exec(m[4]!)?.[1],
    tracked: /<g class="tracked" data-at="([^"]+)"/.exec(m[4]!)?.[1],
    note: /<text class="note"[^>]*fill="([^"]+)">([^<]*)</.exec(m[4]!)?.slice(1),
  }));
}

test('expected times come from helpers/spec: anchor + each scheduled email’s offset', () => {
  const t = expectedTimeline('5day', anchor, 'production');
  expect(t.emails.map((e) => [e.number, e.template])).toEqual(kestraEmails('5day').map((e) => [e.number, e.template]));
  expect(t.emails.map((e) => e.expectedAt.getTime() - anchor.getTime())).toEqual(kestraEmails('5day').map((e) => e.productionOffsetMinutes! * 60_000));
  expect(expectedTimeline('noshow', anchor, 'testing').emails.map((e) => (e.expectedAt.getTime() - anchor.getTime()) / 60_000)).toEqual(SEQUENCES.noshow.emails.map((e) => e.testingOffsetMinutes));
});

test('a run that matches the spec: every row present, in order, marks placed, nothing red', () => {
  const t: Timeline = expectedTimeline('postcall', anchor, 'production');
  for (const e of t.emails) Object.assign(e, { scheduledAt: new Date(e.expectedAt.getTime() + 1_000), sentAt: new Date(e.expectedAt.getTime() + 5_000), trackedAt: new Date(e.expectedAt.getTime() + 6_000) });
  const svg = renderTimelineSvg(t);
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(svg).toContain('<title>postcall sequence (postcall webhook, production offsets) — anchor 2026-12-01T10:00:00.000Z</title>');
  const r = rows(svg);
  expect(r.map((x) => [x.number, x.template, x.mismatch])).toEqual([[1, 'postcall_maybe_email_1', false], [2, 'postcall_maybe_email_2', false], [3, 'postcall_maybe_email_3', false]]);
  expect(r.map((x) => x.expectedAt)).toEqual(['2026-12-01T11:00:00.000Z', '2026-12-04T10:00:00.000Z', '2026-12-08T10:00:00.000Z']);
  expect(r.map((x) => x.note)).toEqual([['#2e7d32', '+1 h'], ['#2e7d32', '+72 h'], ['#2e7d32', '+168 h']]);
  expect(r.every((x) => x.sent && x.tracked && x.scheduledAt?.[1] === '#2e7d32')).toBe(true);
  expect(svg).not.toContain(MISMATCH_COLOUR);
  // Later emails sit further right on the time axis.
  const xs = [...svg.matchAll(/class="expected" d="M ([\d.]+) /g)].map((m) => Number(m[1]));
  expect(xs).toEqual([...xs].sort((a, b) => a - b));
  expect(xs[0]).toBeGreaterThan(220);
});

test('a mismatch is red, on that row only — off by more than the tolerance, or never scheduled', () => {
  const t = expectedTimeline('5day', anchor, 'production');
  t.emails[0]!.scheduledAt = new Date(t.emails[0]!.expectedAt.getTime() + 2_000); // at the tolerance: fine
  t.emails[1]!.scheduledAt = new Date(t.emails[1]!.expectedAt.getTime() + 24 * HOUR); // a day late
  t.emails[2]!.scheduledAt = new Date(t.emails[2]!.expectedAt.getTime() - 2_001); // just past the tolerance
  // email #5 (index 3) was never scheduled
  const r = rows(renderTimelineSvg(t));
  expect(r.map((x) => [x.number, x.mismatch])).toEqual([[2, false], [3, true], [4, true], [5, true]]);
  expect(r[1]!.note).toEqual([MISMATCH_COLOUR, 'scheduled +96 h, expected +72 h']);
  expect(r[1]!.scheduledAt?.[1]).toBe(MISMATCH_COLOUR);
  expect(r[3]!.note).toEqual([MISMATCH_COLOUR, 'not scheduled']);
  expect(r[3]!.scheduledAt).toBeUndefined();
  expect(isMismatch({ ...t.emails[0]!, scheduledAt: new Date(t.emails[0]!.expectedAt.getTime() - 2_000) })).toBe(false);
});

test('template names are escaped: the SVG stays well-formed', () => {
  const t = expectedTimeline('onboarding', anchor, 'testing');
  t.emails[0]!.template = 'a<b>&"c"';
  const svg = renderTimelineSvg(t);
  expect(svg).toContain('data-template="a&lt;b&gt;&amp;&quot;c&quot;"');
  expect(svg).not.toContain('a<b>');
});
