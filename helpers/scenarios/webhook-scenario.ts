/**
 * The steps of one webhook scenario, shared by the e2e specs and `npm run verify`: fire and wait,
 * find what was scheduled, check it against the spec, deliver (where the clock can be moved) and
 * check the emails and the tracker.
 */
import { expect, type TestInfo } from '@playwright/test';
import type { Execution } from '../clients/kestra/index.js';
import type { Redactor } from '../clients/redact.js';
import { WEBHOOK_HANDLERS, type WebhookName } from '../spec/index.js';
import { loadTemplateSeeds } from '../standins/notion/seed.js';
import { attachJson } from './attach.js';
import type { Target } from '../targets/types.js';
import { expectedEmail, type ExpectedSend } from './expectations.js';
import { scheduledSendsOf, type ScheduledSend } from './scheduled-sends.js';

/** How long a handler may take on a target before the spec gives up (a real Kestra is slower). */
export function handlerDeadlineMs(target: Target): number {
  return target.name === 'local' ? 30_000 : 180_000;
}

export interface FiredWebhook {
  status: number;
  execution: Execution;
  /** When Kestra recorded the webhook's arrival (the handler execution's start). */
  arrival: Date;
}

/** Fires a webhook and waits for the handler execution to end. */
export async function fireAndSettle(target: Target, webhook: WebhookName, payload: unknown): Promise<FiredWebhook> {
  const handler = WEBHOOK_HANDLERS[webhook];
  const before = target.clock.now();
  const result = await target.kestra.fireWebhook(handler.namespace, handler.flowId, target.webhookKey(webhook), payload);
  const after = target.clock.now();
  if (!result.execution) throw new Error(`${webhook} webhook answered ${result.status} without an execution`);
  const execution = await target.kestra.waitForTerminal(result.execution.id, { deadlineMs: handlerDeadlineMs(target) });
  const arrival = new Date(execution.state.startDate ?? execution.state.histories[0]?.date ?? before);
  // The arrival Kestra recorded must lie between our send and its answer (a remote clock may drift a little).
  const skewMs = target.name === 'local' ? 0 : 120_000;
  expect(arrival.getTime(), 'execution start = webhook arrival').toBeGreaterThanOrEqual(before.getTime() - skewMs);
  expect(arrival.getTime(), 'execution start = webhook arrival').toBeLessThanOrEqual(after.getTime() + skewMs);
  return { status: result.status, execution, arrival };
}

/** The send-email executions scheduled under a handler execution (its descendants), waiting for `atLeast`. */
export async function scheduledSendsFor(target: Target, handlerExecutionId: string, atLeast: number): Promise<ScheduledSend[]> {
  const deadline = Date.now() + (target.name === 'local' ? 5_000 : 60_000);
  for (;;) {
    const sends = scheduledSendsOf(await target.kestra.findChildren(handlerExecutionId, { descendants: true }));
    if (sends.length >= atLeast || Date.now() > deadline) return sends;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Scheduled sends equal the spec's: same emails, templates and recipient, CREATED, at anchor + offset. */
export function expectScheduleMatches(sends: ScheduledSend[], expected: ExpectedSend[], recipient: string, toleranceMs: number): void {
  expect(sends.map((s) => [s.sequence, s.emailNumber, s.template]), 'scheduled emails (sequence, number, template)').toEqual(
    expected.map((e) => [e.sequence, e.emailNumber, e.template]),
  );
  for (const [i, send] of sends.entries()) {
    const want = expected[i]!;
    expect(send.recipient, `recipient of #${send.emailNumber}`).toBe(recipient);
    expect(send.state, `state of scheduled #${send.emailNumber} (${send.executionId})`).toBe('CREATED');
    expect(send.scheduleDate, `scheduleDate of #${send.emailNumber}`).not.toBeNull();
    const drift = Math.abs(send.scheduleDate!.getTime() - want.sendAt.getTime());
    expect(drift, `scheduleDate of #${send.emailNumber}: ${send.scheduleDate!.toISOString()} vs ${want.sendAt.toISOString()}`).toBeLessThanOrEqual(toleranceMs);
  }
}

/** The Notion copy of a template (the stand-in's seed), as the flows should fetch it. */
export function notionTemplate(name: string): { subject: string; body: string } {
  const seed = loadTemplateSeeds().find((t) => t['Template Name'] === name);
  if (!seed) throw new Error(`fixtures/notion/templates.json has no template "${name}"`);
  return { subject: seed.Subject, body: seed.Body };
}

/**
 * Moves the clock past the last send time, then checks every email in the outbox against the
 * template and the payload, and the tracker and contact updates. Returns how many were delivered.
 */
export async function deliverAndCheck(
  target: Target,
  webhook: WebhookName,
  payload: Record<string, unknown>,
  expected: ExpectedSend[],
  testInfo: TestInfo,
  redactor: Redactor,
  template: (name: string) => { subject: string; body: string } = notionTemplate,
): Promise<number> {
  const recipient = String(payload.email);
  const last = Math.max(...expected.map((e) => e.sendAt.getTime()));
  await target.clock.advance!(Math.max(0, last - target.clock.now().getTime()) + 60_000);

  const emails = (await target.outbox!()).filter((e) => e.to.includes(recipient));
  await attachJson(testInfo, 'emails sent', emails, redactor);
  expect(emails.length, `emails to ${recipient}`).toBe(expected.length);
  for (const want of expected) {
    const wanted = expectedEmail(webhook, payload, want, template(want.template));
    const email = emails.find((e) => e.idempotencyKey === wanted.idempotencyKey);
    expect(email, `email ${want.sequence} #${want.emailNumber} (Idempotency-Key ${wanted.idempotencyKey})`).toBeDefined();
    expect({ from: email!.from, to: email!.to, subject: email!.subject, html: email!.html, tags: email!.tags }).toEqual({
      from: wanted.from, to: [wanted.to], subject: wanted.subject, html: wanted.html, tags: wanted.tags,
    });
  }

  if (target.notion) {
    const pages = (await target.notion.trackerPages(recipient)).filter((p) => p.sentBy === 'kestra');
    await attachJson(testInfo, 'Notion tracker pages after delivery', pages, redactor);
    expect(pages.map((p) => [p.number, p.status])).toEqual(expected.map((e) => [e.emailNumber, 'sent']));
    for (const page of pages) {
      const email = emails.find((e) => e.tags.some((t) => t.name === 'email_number' && t.value === String(page.number)));
      expect(page.resendId, `Resend ID on tracker #${page.number}`).toBe(email?.id);
      expect(page.sentAt, `Sent At on tracker #${page.number}`).not.toBeNull();
    }
    const [contact] = await target.notion.contacts(recipient);
    expect(contact?.lastEmailSent, 'contact Last Email Sent').not.toBeNull();
  }
  return emails.length;
}
