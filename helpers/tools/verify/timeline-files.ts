/**
 * The timeline pictures verify writes: reports/timeline-<sequence>.svg for each sequence a main
 * case recorded (issue 15). Pictures of an earlier run are removed first, so the folder shows this run.
 */
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WebhookRecord } from '../../scenarios/records.js';
import { mismatchCount, renderTimelineSvg, timelineFromRecord } from './timeline.js';

export interface TimelineFile {
  /** Path as printed and stored in verify-summary.json: `reports/timeline-<sequence>.svg`. */
  file: string;
  sequence: string;
  emails: number;
  /** Emails whose scheduled time is missing or off the expected one by more than the tolerance (drawn red). */
  emailsOff: number;
}

const TIMELINE_FILE = /^timeline-[a-z0-9-]+\.svg$/;

export function writeTimelines(reportsDir: string, records: readonly WebhookRecord[], prefix = 'reports'): TimelineFile[] {
  for (const name of readdirSync(reportsDir)) if (TIMELINE_FILE.test(name)) rmSync(join(reportsDir, name));
  const written: TimelineFile[] = [];
  for (const record of records) {
    if (!record.main || !record.timeline || written.some((w) => w.sequence === record.timeline!.sequence)) continue;
    const timeline = timelineFromRecord(record.timeline);
    const name = `timeline-${timeline.sequence}.svg`;
    writeFileSync(join(reportsDir, name), renderTimelineSvg(timeline));
    written.push({ file: `${prefix}/${name}`, sequence: timeline.sequence, emails: timeline.emails.length, emailsOff: mismatchCount(timeline) });
  }
  return written;
}

/** One line per picture for the summary output. */
export function timelineLines(files: readonly TimelineFile[]): string[] {
  return files.map((f) => `timeline: ${f.file}${f.emailsOff === 0 ? ` (${f.emails} emails on time)` : ` (${f.emailsOff} of ${f.emails} emails off — marked red)`}`);
}
