/**
 * A told story's schedule as plain data (ISO strings) for the timeline picture (issue 15): per email
 * the expected send time (anchor + the spec's offset, helpers/spec), and what was observed — the
 * send-email execution's scheduleDate, the outbox email's time, the tracker page's Sent At (its
 * Scheduled For before delivery). Recorded by the e2e spec; drawn by helpers/tools/verify/timeline.ts.
 */
import { sequenceForWebhook, type SequenceType, type TimingMode } from '../spec/index.js';
import { iso } from './checks.js';
import { expectedSends, sequenceAnchor } from './expectations.js';
import type { WebhookStory } from './webhook-story.js';

export interface RecordedTimeline {
  sequence: SequenceType;
  anchor: string;
  timing: TimingMode;
  /** How far a scheduled time may be from the expected one (the story's tolerance). */
  toleranceMs?: number;
  emails: { number: number; template: string; expectedAt: string; scheduledAt: string | null; sentAt: string | null; trackedAt: string | null }[];
}

/** Null when the story started no sequence (no webhook execution, or the spec schedules nothing). */
export function recordedTimeline(story: WebhookStory, timing: TimingMode, toleranceMs?: number): RecordedTimeline | null {
  const sequence = sequenceForWebhook(story.webhook);
  if (!sequence || !story.execution) return null;
  const arrival = new Date(story.execution.arrival);
  const expected = expectedSends(story.webhook, story.payload, arrival, timing);
  if (expected.length === 0) return null;
  const emails = expected.map((want) => {
    const scheduled = story.scheduled.find((s) => s.sequence === want.sequence && s.emailNumber === want.emailNumber);
    const sent = story.emails.find((e) => e.tags.some((t) => t.name === 'email_number' && t.value === String(want.emailNumber)));
    const page = story.trackerPages.find((p) => p.sentBy === 'kestra' && p.sequence === want.sequence && p.number === want.emailNumber);
    return {
      number: want.emailNumber,
      template: want.template,
      expectedAt: want.sendAt.toISOString(),
      scheduledAt: iso(scheduled?.scheduleDate),
      sentAt: iso(sent?.createdAt),
      trackedAt: iso(page?.sentAt ?? page?.scheduledFor),
    };
  });
  return { sequence: sequence.type, anchor: sequenceAnchor(story.webhook, story.payload, arrival).toISOString(), timing, ...(toleranceMs === undefined ? {} : { toleranceMs }), emails };
}
