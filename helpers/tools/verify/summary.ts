/** The verify summary: one row per webhook, as a table for people and JSON for machines. */
import { WEBHOOK_NAMES } from '../../spec/index.js';
import type { WebhookRecord } from '../../scenarios/records.js';
import type { TimelineFile } from './timeline-files.js';

export type StepOutcome = 'passed' | 'failed' | 'not run';

export interface VerifySummary {
  target: string;
  ok: boolean;
  durationMs: number;
  lint: StepOutcome;
  specs: StepOutcome;
  /** Why the specs did not run (the target cannot run here, or lint failed). */
  notRunReason?: string;
  /** The timeline pictures written for this run (one per sequence a main case started). */
  timelines?: TimelineFile[];
  webhooks: {
    name: string; executionId: string | null; state: string | null; emailsScheduled: number; emailsSent: number; ok: boolean;
    /** Boundary cases told for this webhook (main included) and how many of their checks passed / failed. */
    cases: number; checksPassed: number; checksFailed: number;
  }[];
}

/**
 * One row per webhook in spec order, showing its main case; the webhook is ok only when every case
 * told for it passed. A webhook with no record did not run and is not ok.
 */
export function summarize(target: string, records: WebhookRecord[], lint: StepOutcome, specs: StepOutcome, durationMs: number, notRunReason?: string): { summary: VerifySummary; rows: WebhookRecord[] } {
  const perWebhook = WEBHOOK_NAMES.map((name) => records.filter((r) => r.name === name));
  const rows = WEBHOOK_NAMES.map((name, i): WebhookRecord => {
    const cases = perWebhook[i]!;
    const main = cases.find((r) => r.main) ?? cases.at(-1);
    if (!main) return { name, executionId: null, state: null, emailsScheduled: 0, emailsSent: 0, notionChecks: 'skipped', durationMs: 0, ok: false, error: 'not run' };
    const failedCase = cases.find((r) => !r.ok);
    return { ...main, ok: failedCase === undefined, ...(failedCase ? { error: `${failedCase.case ?? 'case'}: ${failedCase.error ?? 'failed'}` } : {}) };
  });
  const webhooks = rows.map(({ name, executionId, state, emailsScheduled, emailsSent, ok }, i) => {
    const cases = perWebhook[i]!;
    const sum = (key: 'checksPassed' | 'checksFailed') => cases.reduce((n, r) => n + (r[key] ?? 0), 0);
    return { name, executionId, state, emailsScheduled, emailsSent, ok, cases: cases.length, checksPassed: sum('checksPassed'), checksFailed: sum('checksFailed') };
  });
  const ok = lint === 'passed' && specs === 'passed' && webhooks.every((w) => w.ok);
  return { summary: { target, ok, durationMs, lint, specs, ...(notRunReason ? { notRunReason } : {}), webhooks }, rows };
}

export function summaryTable(rows: WebhookRecord[]): string {
  const header = ['webhook', 'execution', 'state', 'scheduled', 'sent', 'notion', 'checks', 'time', 'result'];
  const body = rows.map((r) => [
    r.name, r.executionId ?? '-', r.state ?? '-', String(r.emailsScheduled), String(r.emailsSent), r.notionChecks,
    r.checksPassed === undefined ? '-' : `${r.checksPassed}/${r.checksPassed + (r.checksFailed ?? 0)}`,
    `${(r.durationMs / 1000).toFixed(1)} s`, r.ok ? 'ok' : r.error === 'not run' ? 'not run' : `FAILED${r.error ? `: ${r.error}` : ''}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
