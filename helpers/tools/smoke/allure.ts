/**
 * The smoke's checks as Allure results (one test result per check, its details attached as text),
 * written next to the Playwright results so `npm run report -- --env prod` builds the nightly
 * report from them. Everything written goes through the run's redactor.
 *
 * Format: Allure's result files — `<uuid>-result.json` {uuid, historyId, name, fullName, status,
 * statusDetails, stage, start, stop, labels, attachments} and `<uuid>-attachment.txt`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redactor } from '../../clients/redact.js';
import type { CheckStatus, SmokeResult } from './run.js';

const STATUS: Record<CheckStatus, 'passed' | 'failed' | 'skipped'> = { passed: 'passed', warning: 'passed', failed: 'failed', skipped: 'skipped' };

/** Writes one result per check; returns the files written. */
export function writeAllureResults(result: SmokeResult, dir: string, redactor: Redactor): string[] {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  let clock = Date.parse(result.startedAt);
  if (!Number.isFinite(clock)) clock = Date.now();
  for (const check of result.checks) {
    const uuid = randomUUID();
    const attachment = `${uuid}-attachment.txt`;
    writeFileSync(join(dir, attachment), redactor.text(check.details.join('\n')));
    files.push(attachment);
    const start = clock;
    const stop = start + check.durationMs;
    clock = stop;
    const fullName = `production smoke: ${check.id}`;
    const body = {
      uuid,
      historyId: createHash('md5').update(fullName).digest('hex'),
      testCaseId: createHash('md5').update(fullName).digest('hex'),
      name: `${check.id} — ${check.title}`,
      fullName,
      status: STATUS[check.status],
      statusDetails: check.status === 'passed' ? {} : { message: redactor.text(`${check.status}: ${check.details[0] ?? ''}`) },
      stage: 'finished',
      start,
      stop,
      labels: [
        { name: 'suite', value: 'production smoke' },
        { name: 'parentSuite', value: result.target },
        { name: 'epic', value: 'production smoke' },
        { name: 'feature', value: check.group },
        { name: 'tag', value: 'smoke' },
        ...(check.status === 'warning' ? [{ name: 'tag', value: 'warning' }] : []),
      ],
      parameters: [{ name: 'run', value: result.runId }],
      attachments: [{ name: 'details', source: attachment, type: 'text/plain' }],
      steps: [],
    };
    const file = `${uuid}-result.json`;
    writeFileSync(join(dir, file), redactor.text(JSON.stringify(body, null, 2)));
    files.push(file);
  }
  return files;
}
