/**
 * Attaches evidence (payloads, executions, Notion pages, emails) to the Playwright/Allure report,
 * secrets redacted. The scenarios return structured results; the specs attach them from here.
 */
import type { TestInfo } from '@playwright/test';
import type { Redactor } from '../../helpers/clients/redact.js';

export async function attachJson(testInfo: TestInfo, name: string, value: unknown, redactor: Redactor): Promise<void> {
  const body = redactor.text(JSON.stringify(value, null, 2));
  await testInfo.attach(name, { body, contentType: 'application/json' });
}

export async function attachText(testInfo: TestInfo, name: string, text: string, redactor: Redactor): Promise<void> {
  await testInfo.attach(name, { body: redactor.text(text), contentType: 'text/plain' });
}

/** An SVG picture (e.g. a timeline), redacted like any text attachment. */
export async function attachSvg(testInfo: TestInfo, name: string, svg: string, redactor: Redactor): Promise<void> {
  await testInfo.attach(name, { body: redactor.text(svg), contentType: 'image/svg+xml' });
}
