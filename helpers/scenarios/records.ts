/**
 * Per-webhook outcomes the e2e specs hand to `npm run verify` for its summary. A spec appends one
 * JSON line per main webhook scenario to $VERIFY_RECORDS_FILE (when set); verify reads them back.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import type { WebhookName } from '../spec/index.js';
import type { WebhookStory } from './webhook-story.js';
import type { RecordedTimeline } from './timeline-record.js';

export interface WebhookRecord {
  name: WebhookName;
  /** The case of the webhook story (helpers/scenarios/webhook-cases.ts); `main` marks the one the summary row shows. */
  case?: string;
  main?: boolean;
  checksPassed?: number;
  checksFailed?: number;
  executionId: string | null;
  state: string | null;
  emailsScheduled: number;
  emailsSent: number;
  notionChecks: 'passed' | 'failed' | 'skipped';
  durationMs: number;
  ok: boolean;
  error?: string;
  /** The main case's schedule for the timeline picture (helpers/scenarios/timeline-record.ts). */
  timeline?: RecordedTimeline;
}

export const RECORDS_ENV = 'VERIFY_RECORDS_FILE';

export function recordWebhookOutcome(record: WebhookRecord, file = process.env[RECORDS_ENV]): void {
  if (file) appendFileSync(file, `${JSON.stringify(record)}\n`);
}

export function readWebhookRecords(file: string): WebhookRecord[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as WebhookRecord);
}

/** The record of one told story. */
export function recordOf(story: WebhookStory, main: boolean, timeline?: RecordedTimeline | null): WebhookRecord {
  const failed = story.checks.filter((c) => !c.ok);
  return {
    name: story.webhook,
    case: story.case,
    main,
    executionId: story.execution?.id ?? null,
    state: story.execution?.state ?? null,
    emailsScheduled: story.scheduled.length,
    emailsSent: story.emails.length,
    notionChecks: !story.notionChecked ? 'skipped' : failed.some((c) => /contact|tracker|analytics/.test(c.name)) ? 'failed' : 'passed',
    checksPassed: story.checks.length - failed.length,
    checksFailed: failed.length,
    durationMs: story.durationMs,
    ok: story.ok,
    ...(story.ok ? {} : { error: story.error ?? failed.map((c) => c.name).join('; ') }),
    ...(timeline ? { timeline } : {}),
  };
}
