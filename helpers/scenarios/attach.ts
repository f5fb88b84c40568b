/**
 * Attaches evidence (payloads, executions, Notion pages, emails) to the Playwright/Allure report,
 * secrets redacted. It sits with the scenarios, not in tools/report, because the webhook scenario
 * attaches as it goes; once the scenario returns structured results, the callers attach them.
 */
import type { TestInfo } from '@playwright/test';
import { Redactor } from '../clients/redact.js';

export function redactorFor(secrets: readonly string[]): Redactor {
  const redactor = new Redactor();
  for (const secret of secrets) redactor.add(secret);
  return redactor;
}

export async function attachJson(testInfo: TestInfo, name: string, value: unknown, redactor: Redactor): Promise<void> {
  const body = redactor.text(JSON.stringify(value, null, 2));
  await testInfo.attach(name, { body, contentType: 'application/json' });
}

export async function attachText(testInfo: TestInfo, name: string, text: string, redactor: Redactor): Promise<void> {
  await testInfo.attach(name, { body: redactor.text(text), contentType: 'text/plain' });
}
