/**
 * The main job: each of the five webhooks, fired with a valid payload, leads to the right
 * execution, the right Notion records and the right emails at the right times (SPEC §1–§5).
 * Expectations come from helpers/spec through helpers/scenarios/expectations — never from the flows.
 */
import { test, expect } from '../support/e2e-fixtures.js';
import { validPayload } from '../../helpers/scenarios/payloads.js';
import { WEBHOOK_HANDLERS, WEBHOOK_NAMES, sequenceForWebhook, type WebhookName } from '../../helpers/spec/index.js';
import { expectedSegment, expectedSends, kestraEmailCount } from '../../helpers/scenarios/expectations.js';
import { recordWebhookOutcome, type WebhookRecord } from '../../helpers/scenarios/records.js';
import { attachJson, attachText } from '../../helpers/scenarios/attach.js';
import { labelWebhookSpec } from '../../helpers/tools/report/labels.js';
import { fireAndSettle, scheduledSendsFor, expectScheduleMatches, deliverAndCheck } from '../../helpers/scenarios/webhook-scenario.js';

const SCHEDULE_TOLERANCE_MS = 2_000;

for (const webhook of WEBHOOK_NAMES) {
  const sequence = sequenceForWebhook(webhook);
  test(`${webhook}: a valid payload is handled per SPEC — execution, Notion, schedule${sequence ? ', delivery' : ''} @webhook`, async ({ target, identity, redactor }, testInfo) => {
    await labelWebhookSpec(webhook, 'valid payload handled per SPEC');
    const started = Date.now();
    const record: WebhookRecord = { name: webhook, executionId: null, state: null, emailsScheduled: 0, emailsSent: 0, notionChecks: 'skipped', durationMs: 0, ok: false };
    try {
      const payload: Record<string, unknown> = { ...validPayload(webhook as WebhookName), email: identity };
      // The website sends Email #1 moments before it posts the assessment webhook.
      if (webhook === 'assessment') payload.email_1_sent_at = new Date(target.clock.now().getTime() - 5_000).toISOString();
      await attachJson(testInfo, 'payload sent', payload, redactor);

      const fired = await test.step('fire the webhook → the handler execution succeeds', async () => {
        const result = await fireAndSettle(target, webhook, payload);
        record.executionId = result.execution.id;
        record.state = result.execution.state.current;
        await attachJson(testInfo, 'handler execution', result.execution, redactor);
        expect(result.status, 'webhook HTTP status').toBe(200);
        expect(result.execution.state.current, `execution ${result.execution.id}`).toBe('SUCCESS');
        return result;
      });

      if (target.notion) {
        await test.step('the contact exists in Notion exactly once, with the payload\'s fields', async () => {
          const contacts = await target.notion!.contacts(identity);
          await attachJson(testInfo, 'Notion contacts', contacts, redactor);
          expect(contacts, `contacts for ${identity}`).toHaveLength(1);
          expect(contacts[0]).toMatchObject({ email: identity, firstName: payload.first_name, businessName: payload.business_name });
          const segment = expectedSegment(webhook, payload);
          if (segment) expect(contacts[0]!.segment, 'segment (SPEC §3)').toBe(segment);
        });
      }

      const expected = expectedSends(webhook, payload, fired.arrival, target.timing);
      await test.step(`${expected.length} emails are scheduled at anchor + offset (${target.timing} timing)`, async () => {
        const sends = await scheduledSendsFor(target, fired.execution.id, expected.length);
        record.emailsScheduled = sends.length;
        await attachJson(testInfo, 'scheduled sends', sends, redactor);
        expectScheduleMatches(sends, expected, identity, SCHEDULE_TOLERANCE_MS);
        if (webhook === 'assessment') expect(sends.map((s) => s.emailNumber), 'Kestra never schedules 5-day Email #1').not.toContain(1);
      });

      if (target.notion) {
        await test.step('tracker pages match the schedule (and Email #1 is the website\'s)', async () => {
          const pages = await target.notion!.trackerPages(identity);
          await attachJson(testInfo, 'Notion tracker pages', pages, redactor);
          const kestraPages = pages.filter((p) => p.sentBy === 'kestra');
          expect(kestraPages.map((p) => [p.sequence, p.number, p.status])).toEqual(expected.map((e) => [e.sequence, e.emailNumber, 'scheduled']));
          for (const page of kestraPages) {
            const want = expected.find((e) => e.emailNumber === page.number)!;
            expect(Math.abs(new Date(page.scheduledFor!).getTime() - want.sendAt.getTime()), `Scheduled For of #${page.number}`).toBeLessThanOrEqual(SCHEDULE_TOLERANCE_MS);
          }
          const websitePages = pages.filter((p) => p.sentBy === 'website');
          if (webhook === 'assessment') {
            expect(websitePages.map((p) => [p.sequence, p.number, p.status])).toEqual([['5day', 1, 'sent']]);
            expect(new Date(websitePages[0]!.sentAt!).toISOString()).toBe(new Date(String(payload.email_1_sent_at)).toISOString());
          } else {
            expect(websitePages).toEqual([]);
          }
        });
        record.notionChecks = 'passed';
      }

      if (expected.length > 0 && target.clock.advance && target.outbox) {
        await test.step('when the clock passes each send time, every email goes out once and is tracked', async () => {
          const delivered = await deliverAndCheck(target, webhook, payload, expected, testInfo, redactor);
          record.emailsSent = delivered;
          expect(delivered).toBe(kestraEmailCount(webhook));
        });
      }
      record.ok = true;
    } catch (error) {
      record.error = (error as Error).message.split('\n')[0];
      if (record.notionChecks === 'skipped' && target.notion) record.notionChecks = 'failed';
      if (record.executionId) {
        const logs = await target.kestra.getLogs(record.executionId).catch(() => []);
        await attachJson(testInfo, 'Kestra logs (handler)', logs, redactor);
      }
      for (const [name, text] of Object.entries((await target.diagnostics?.().catch(() => undefined)) ?? {})) await attachText(testInfo, name, text, redactor);
      throw error;
    } finally {
      record.durationMs = Date.now() - started;
      recordWebhookOutcome(record);
    }
  });
}

test('the webhook route keeps working in the tenant-less form Kestra 1.x still accepts @webhook', async ({ target, identity }) => {
  await labelWebhookSpec('signup', 'tenant-less webhook route');
  const handler = WEBHOOK_HANDLERS.signup;
  const result = await target.kestra.fireWebhook(handler.namespace, handler.flowId, target.webhookKey('signup'), { ...validPayload('signup'), email: identity }, { tenantless: true });
  expect(result.status).toBe(200);
  const done = await target.kestra.waitForTerminal(result.execution!.id, { deadlineMs: 60_000 });
  expect(done.state.current).toBe('SUCCESS');
});
