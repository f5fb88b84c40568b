/**
 * Per-webhook outcomes the e2e specs hand to `npm run verify` for its summary. A spec appends one
 * JSON line per main webhook scenario to $VERIFY_RECORDS_FILE (when set); verify reads them back.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import type { WebhookName } from '../spec/index.js';

export interface WebhookRecord {
  name: WebhookName;
  executionId: string | null;
  state: string | null;
  emailsScheduled: number;
  emailsSent: number;
  notionChecks: 'passed' | 'failed' | 'skipped';
  durationMs: number;
  ok: boolean;
  error?: string;
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
