/**
 * A campaign's timing as a picture: one SVG per sequence, from a plain data structure. The time
 * axis starts at the anchor; each email is a row with its expected send time (from helpers/spec,
 * a hollow diamond) and, when known, when it was scheduled, sent and tracked (filled marks). A
 * scheduled time off the expected one by more than the tolerance is drawn and labelled in red.
 *
 * Self-contained (no DOM, no dependencies): wiring it into the verify summary and the Allure
 * report reads the same structure.
 */
import { scheduleFor, SEQUENCES, type SequenceType, type TimingMode } from '../../spec/index.js';
import type { RecordedTimeline } from '../../scenarios/timeline-record.js';

export interface TimelineEmail {
  number: number;
  template: string;
  /** anchor + the spec's offset. */
  expectedAt: Date;
  scheduledAt?: Date | null;
  sentAt?: Date | null;
  trackedAt?: Date | null;
}

export interface Timeline {
  sequence: SequenceType;
  anchor: Date;
  timing: TimingMode;
  emails: TimelineEmail[];
  /** How far a scheduled time may be from the expected one (default 2 s, as the specs allow). */
  toleranceMs?: number;
}

export const MISMATCH_COLOUR = '#d32f2f';
const OK_COLOUR = '#2e7d32';
const EXPECTED_COLOUR = '#555';

/** The expected part of a timeline, straight from the spec; the caller adds what it observed. */
export function expectedTimeline(sequence: SequenceType, anchor: Date, timing: TimingMode): Timeline {
  return { sequence, anchor, timing, emails: scheduleFor(anchor, sequence, timing).map((e) => ({ number: e.number, template: e.template, expectedAt: e.sendAt })) };
}

/** Whether an email's scheduled time misses the expected one (an email never scheduled is a miss too). */
export function isMismatch(email: TimelineEmail, toleranceMs = 2_000): boolean {
  return !email.scheduledAt || Math.abs(email.scheduledAt.getTime() - email.expectedAt.getTime()) > toleranceMs;
}

/** A recorded timeline (ISO strings, as the e2e spec writes it) as the structure the renderer draws. */
export function timelineFromRecord(r: RecordedTimeline): Timeline {
  const date = (s: string | null) => (s === null ? null : new Date(s));
  return {
    sequence: r.sequence, anchor: new Date(r.anchor), timing: r.timing, ...(r.toleranceMs === undefined ? {} : { toleranceMs: r.toleranceMs }),
    emails: r.emails.map((e) => ({ number: e.number, template: e.template, expectedAt: new Date(e.expectedAt), scheduledAt: date(e.scheduledAt), sentAt: date(e.sentAt), trackedAt: date(e.trackedAt) })),
  };
}

/** How many emails of a timeline the renderer marks red. */
export function mismatchCount(t: Timeline): number {
  return t.emails.filter((e) => isMismatch(e, t.toleranceMs)).length;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function offsetLabel(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (Math.abs(minutes) < 60) return `+${minutes} min`;
  const hours = minutes / 60;
  return Number.isInteger(hours) ? `+${hours} h` : `+${hours.toFixed(1)} h`;
}

export function renderTimelineSvg(t: Timeline): string {
  const tolerance = t.toleranceMs ?? 2_000;
  const left = 220;
  const width = 900;
  const right = width - 40;
  const rowHeight = 34;
  const top = 56;
  const height = top + t.emails.length * rowHeight + 40;
  const times = t.emails.flatMap((e) => [e.expectedAt, e.scheduledAt, e.sentAt, e.trackedAt]).filter((d): d is Date => d instanceof Date).map((d) => d.getTime());
  const start = t.anchor.getTime();
  const end = Math.max(start + 60_000, ...times);
  const x = (d: Date) => left + ((d.getTime() - start) / (end - start)) * (right - left);
  const title = `${t.sequence} sequence (${SEQUENCES[t.sequence].webhook} webhook, ${t.timing} offsets) — anchor ${t.anchor.toISOString()}`;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12" data-sequence="${t.sequence}">`,
    `<title>${esc(title)}</title>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${esc(title)}</text>`,
    `<line class="anchor" x1="${left}" y1="${top - 16}" x2="${left}" y2="${height - 30}" stroke="#000" stroke-dasharray="4 3"/>`,
    `<text x="${left}" y="${top - 20}" text-anchor="middle">anchor</text>`,
  ];
  t.emails.forEach((e, i) => {
    const y = top + i * rowHeight + rowHeight / 2;
    const miss = isMismatch(e, tolerance);
    const colour = miss ? MISMATCH_COLOUR : OK_COLOUR;
    out.push(`<g class="email${miss ? ' mismatch' : ''}" data-email="${e.number}" data-template="${esc(e.template)}">`);
    out.push(`<text x="10" y="${y + 4}" fill="${miss ? MISMATCH_COLOUR : '#000'}">#${e.number} ${esc(e.template)}</text>`);
    out.push(`<line x1="${left}" y1="${y}" x2="${right}" y2="${y}" stroke="#ddd"/>`);
    const ex = x(e.expectedAt);
    out.push(`<path class="expected" d="M ${ex} ${y - 7} L ${ex + 7} ${y} L ${ex} ${y + 7} L ${ex - 7} ${y} Z" fill="none" stroke="${EXPECTED_COLOUR}" data-at="${e.expectedAt.toISOString()}"><title>expected ${e.expectedAt.toISOString()} (${offsetLabel(e.expectedAt.getTime() - start)})</title></path>`);
    const mark = (cls: string, at: Date | null | undefined, shape: (cx: number) => string) => {
      if (!at) return;
      out.push(`<g class="${cls}" data-at="${at.toISOString()}" fill="${cls === 'scheduled' ? colour : cls === 'sent' ? '#1565c0' : '#6a1b9a'}">${shape(x(at))}<title>${cls} ${at.toISOString()}</title></g>`);
    };
    mark('scheduled', e.scheduledAt, (cx) => `<circle cx="${cx}" cy="${y}" r="4"/>`);
    mark('sent', e.sentAt, (cx) => `<rect x="${cx - 4}" y="${y - 10}" width="8" height="4"/>`);
    mark('tracked', e.trackedAt, (cx) => `<rect x="${cx - 4}" y="${y + 6}" width="8" height="4"/>`);
    const note = !e.scheduledAt ? 'not scheduled' : miss ? `scheduled ${offsetLabel(e.scheduledAt.getTime() - start)}, expected ${offsetLabel(e.expectedAt.getTime() - start)}` : offsetLabel(e.expectedAt.getTime() - start);
    out.push(`<text class="note" x="${Math.min(ex + 10, right - 150)}" y="${y - 9}" fill="${colour}">${esc(note)}</text>`);
    out.push('</g>');
  });
  out.push(`<text x="${left}" y="${height - 12}" fill="#555">◇ expected (spec) · ● scheduled (red: off by more than ${tolerance / 1000} s) · ▀ sent · ▄ tracked</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
