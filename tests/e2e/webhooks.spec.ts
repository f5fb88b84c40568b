/**
 * The main job: the five webhooks, each fired with a valid payload and with a case on each side of
 * every boundary of SPEC §1–§5 (segments, anchor, Email #1 status, payment, duplicates, create vs
 * update), told once by helpers/scenarios/webhook-story.ts. Each case leads to the right execution,
 * Notion records, schedule and — where the clock can move — emails, tracker values and analytics.
 * Expectations come from helpers/spec through helpers/scenarios/expectations — never from the flows.
 */
import { test, expect } from '../support/e2e-fixtures.js';
import { attachJson, attachSvg, attachText } from '../support/attach.js';
import { expectChecks } from '../support/checks.js';
import { validPayload } from '../../helpers/scenarios/payloads.js';
import { WEBHOOK_HANDLERS, kestraEmails, sequenceForWebhook, websiteEmails } from '../../helpers/spec/index.js';
import { recordOf, recordWebhookOutcome } from '../../helpers/scenarios/records.js';
import { runWebhookStory, storyTolerance } from '../../helpers/scenarios/webhook-story.js';
import { recordedTimeline } from '../../helpers/scenarios/timeline-record.js';
import { renderTimelineSvg, timelineFromRecord } from '../../helpers/tools/verify/timeline.js';
import { WEBHOOK_CASES } from '../../helpers/scenarios/webhook-cases.js';
import { labelWebhookSpec } from '../../helpers/tools/report/labels.js';
import { handlerPolling, waitForEnd } from '../../helpers/scenarios/webhook-scenario.js';

for (const kase of WEBHOOK_CASES) {
  test(`${kase.webhook}: ${kase.name} — execution, Notion, schedule, delivery per SPEC @webhook`, async ({ target, identity, redactor }, testInfo) => {
    await labelWebhookSpec(kase.webhook, kase.name);
    const story = await runWebhookStory(target, kase, { identity });
    // A repeat (duplicate, update) schedules nothing of its own: its picture would only mislead.
    const timeline = kase.before ? null : recordedTimeline(story, target.timing, storyTolerance(target));
    recordWebhookOutcome(recordOf(story, kase.main === true, kase.main === true ? timeline : null));
    await attachJson(testInfo, 'webhook story (payload, execution, records, checks)', story, redactor);
    if (timeline) await attachSvg(testInfo, `timeline (${timeline.sequence})`, renderTimelineSvg(timelineFromRecord(timeline)), redactor);
    if (!story.ok && story.execution) {
      await attachJson(testInfo, 'Kestra logs (handler)', await target.kestra.getLogs(story.execution.id).catch(() => []), redactor);
      for (const [name, text] of Object.entries((await target.diagnostics?.().catch(() => undefined)) ?? {})) await attachText(testInfo, name, text, redactor);
    }
    expect(story.error, 'the story was told to the end').toBeUndefined();
    expectChecks(story.checks, `${kase.webhook}: ${kase.name}`);
    const sequence = sequenceForWebhook(kase.webhook);
    if (story.delivered && sequence) {
      // SPEC §1: Kestra sends its emails, never the website's.
      const numbers = story.emails.map((e) => Number(e.tags.find((t) => t.name === 'email_number')?.value)).sort();
      expect(numbers, 'emails Kestra sent').toEqual(kestraEmails(sequence.type).map((e) => e.number));
      for (const own of websiteEmails(sequence.type)) expect(numbers, `Kestra never sends the website's #${own.number}`).not.toContain(own.number);
    }
  });
}

test.describe('testing-mode offsets (SPEC §2): a second local stack with ENV_TESTING_MODE on', () => {
  for (const kase of WEBHOOK_CASES.filter((c) => c.main && sequenceForWebhook(c.webhook) !== null && c.webhook === 'noshow')) {
    test(`${kase.webhook}: scheduled at anchor + testing offset @webhook`, async ({ target, identity, redactor }, testInfo) => {
      test.skip(target.name !== 'local', `the ${target.name} target runs with one timing mode (${target.timing})`);
      // Imported here: listing this file's tests (Playwright's runner) needs no stand-in.
      const { startLocalTarget } = await import('../../helpers/targets/local.js');
      const testing = await startLocalTarget({ timing: 'testing' });
      try {
        const story = await runWebhookStory(testing, kase, { identity });
        await attachJson(testInfo, 'webhook story (testing mode)', story, redactor);
        expect(story.error).toBeUndefined();
        expectChecks(story.checks, `${kase.webhook} in testing mode`);
      } finally {
        await testing.stop();
      }
    });
  }
});

test('the webhook route keeps working in the tenant-less form Kestra 1.x still accepts @webhook', async ({ target, identity }) => {
  await labelWebhookSpec('signup', 'tenant-less webhook route');
  const handler = WEBHOOK_HANDLERS.signup;
  const result = await target.kestra.fireWebhook(handler.namespace, handler.flowId, target.webhookKey('signup'), { ...validPayload('signup'), email: identity }, { tenantless: true });
  expect(result.status).toBe(200);
  const done = await waitForEnd(target, result.execution!.id, handlerPolling(target, 60_000));
  expect(done.state.current).toBe('SUCCESS');
});
