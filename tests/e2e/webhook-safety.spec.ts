/**
 * Bad input, duplicates and outages do no harm (SPEC §2, §4, §5): nothing written, nothing
 * scheduled, nothing sent twice — and every failure is visible.
 */
import { test, expect } from '../support/e2e-fixtures.js';
import { KestraHttpError } from '../../helpers/clients/kestra/index.js';
import { validPayload } from '../../helpers/scenarios/payloads.js';
import { SIMULTANEOUS_DUPLICATES, WEBHOOK_HANDLERS, WEBHOOK_NAMES, idempotencyKey, sequenceForWebhook, type WebhookName } from '../../helpers/spec/index.js';
import { expectedSends } from '../../helpers/scenarios/expectations.js';
import { fireAndSettle, handlerPolling, scheduledSendsFor, waitForEnd } from '../../helpers/scenarios/webhook-scenario.js';
import { runWebhookStory } from '../../helpers/scenarios/webhook-story.js';
import { fallbackTemplate } from '../../helpers/scenarios/fallback-templates.js';
import { attachJson } from '../support/attach.js';
import { expectChecks } from '../support/checks.js';
import { labelWebhookSpec } from '../../helpers/tools/report/labels.js';
import type { Target } from '../../helpers/targets/types.js';

/** Posts a webhook that must be refused; returns the HTTP status Kestra answered. */
async function refusedStatus(target: Target, webhook: WebhookName, payload: unknown, key = target.webhookKey(webhook)): Promise<number> {
  const handler = WEBHOOK_HANDLERS[webhook];
  try {
    const result = await target.kestra.fireWebhook(handler.namespace, handler.flowId, key, payload);
    return result.status;
  } catch (error) {
    if (error instanceof KestraHttpError) return error.status;
    throw error;
  }
}

/**
 * Kestra renders webhook `inputs` at trigger time: an invalid payload creates no execution and is
 * answered 409 on 1.1–1.3 — the pinned kestra/kestra:v1.3.16 (docker-compose.kestra.dokploy.yml) —
 * and 422 only from 1.4 (PR kestra-io/kestra#16871). Exactly the pinned release's code.
 */
const REFUSED_INPUT = 409;

const INVALID_FIELD: Record<WebhookName, [string, unknown]> = {
  signup: ['first_name', undefined],
  assessment: ['red_systems', 'many'],
  noshow: ['scheduled_call_time', 'tomorrow at noon'],
  postcall: ['call_outcome', 'yes'],
  onboarding: ['payment_confirmed', undefined],
};

for (const webhook of WEBHOOK_NAMES) {
  test(`${webhook}: an invalid payload is refused and leaves nothing behind @safety`, async ({ target, identity }) => {
    await labelWebhookSpec(webhook, 'invalid payload refused');
    const [field, value] = INVALID_FIELD[webhook];
    const payload: Record<string, unknown> = { ...validPayload(webhook), email: identity };
    if (value === undefined) delete payload[field];
    else payload[field] = value;
    expect(await refusedStatus(target, webhook, payload), `status for a bad ${field}`).toBe(REFUSED_INPUT);
    expect(await refusedStatus(target, webhook, { ...payload, email: 'not-an-email' }), 'status for a malformed email').toBe(REFUSED_INPUT);
    expect(await refusedStatus(target, webhook, 'email=' + identity), 'status for a body that is not JSON').toBe(REFUSED_INPUT);
    if (target.notion) {
      expect(await target.notion.contacts(identity), 'contacts').toEqual([]);
      expect(await target.notion.trackerPages(identity), 'tracker pages').toEqual([]);
    }
  });
}

test('a wrong webhook key is a 404 and runs nothing @safety', async ({ target, identity }) => {
  await labelWebhookSpec('noshow', 'wrong webhook key');
  expect(await refusedStatus(target, 'noshow', { ...validPayload('noshow'), email: identity }, 'not-the-key')).toBe(404);
  if (target.notion) expect(await target.notion.contacts(identity)).toEqual([]);
});

// Duplicates, the anchor fallback and unpaid onboarding are cases of the webhook story in the main
// job (helpers/scenarios/webhook-cases.ts, run by tests/e2e/webhooks.spec.ts).

/**
 * SPEC §5, duplicates at the same instant: the handlers run with Kestra's flow-level `concurrency`
 * (limit 1, behavior QUEUE), so identical webhooks are handled one after the other — the first
 * schedules, the others find the sequence active. Kestra's semantics: ExecutorService
 * #processExecutionRunning (executor/src/main/java/io/kestra/executor/ExecutorService.java, 1.x):
 * over the limit an execution is QUEUED and runs when a running one of the flow ends.
 */
const AT_ONCE = SIMULTANEOUS_DUPLICATES;
for (const webhook of WEBHOOK_NAMES.filter((w) => sequenceForWebhook(w) !== null)) {
  test(`${webhook}: ${AT_ONCE} identical webhooks at once make one contact, one scheduled sequence, each email sent once @safety`, async ({ target, identity }) => {
    test.setTimeout(300_000);
    await labelWebhookSpec(webhook, `${AT_ONCE} identical webhooks at once`);
    const payload: Record<string, unknown> = { ...validPayload(webhook), email: identity };
    if (webhook === 'assessment') payload.email_1_sent_at = target.clock.now().toISOString();
    const handler = WEBHOOK_HANDLERS[webhook];
    const fired = await Promise.all(
      Array.from({ length: AT_ONCE }, () => target.kestra.fireWebhook(handler.namespace, handler.flowId, target.webhookKey(webhook), payload)),
    );
    expect(fired.map((f) => f.status), 'every webhook accepted').toEqual(Array(AT_ONCE).fill(200));
    const ended = await Promise.all(fired.map((f) => waitForEnd(target, f.execution!.id, handlerPolling(target, 240_000))));
    expect(ended.map((e) => e.state.current), 'every handler execution ends SUCCESS').toEqual(Array(AT_ONCE).fill('SUCCESS'));
    const expected = expectedSends(webhook, payload, new Date(ended[0]!.state.startDate ?? target.clock.now()), target.timing);
    const sends = (await Promise.all(ended.map((e) => scheduledSendsFor(target, e.id, 0)))).flat();
    expect(sends.map((s) => s.emailNumber).sort((a, b) => a - b), 'one scheduled sequence across all handlers').toEqual(expected.map((e) => e.emailNumber));
    if (target.notion) {
      expect(await target.notion.contacts(identity), 'contacts').toHaveLength(1);
      const numbers = (await target.notion.trackerPages(identity)).map((p) => p.number ?? 0).sort((a, b) => a - b);
      expect(numbers, 'one tracker page per email').toEqual([...new Set(numbers)]);
    }
    if (target.clock.advance && target.outbox) {
      await target.clock.advance(Math.max(...expected.map((e) => e.sendAt.getTime())) - target.clock.now().getTime() + 60_000);
      const emails = (await target.outbox()).filter((e) => e.to.includes(identity));
      expect(emails.map((e) => e.idempotencyKey).sort(), 'each email sent once').toEqual(expected.map((e) => idempotencyKey(identity, e.sequence, e.emailNumber)).sort());
    }
  });
}

test.describe('outages (stand-in targets only) @faults', () => {
  test.beforeEach(({ target }) => {
    test.skip(!target.faults || !target.clock.advance || !target.outbox, `the ${target.name} target cannot inject faults or move the clock`);
  });
  test.afterEach(({ target }) => target.faults?.clear());

  test('Notion failing to serve templates: the static fallback copy is sent and the execution ends WARNING', async ({ target, identity, redactor }, testInfo) => {
    await labelWebhookSpec('noshow', 'Notion template outage: fallback copy');
    const story = await runWebhookStory(target, { webhook: 'noshow', name: 'Notion template outage' }, {
      identity, deliver: true, template: fallbackTemplate,
      beforeDelivery: () => target.faults!.notion({ route: 'query', dataSource: 'templates', kind: 503, times: 1000 }),
    });
    await attachJson(testInfo, 'webhook story', story, redactor);
    expect(story.error).toBeUndefined();
    expectChecks(story.checks, 'emails built from the fallback copy, tracked and logged');
    expect(story.emails).toHaveLength(story.scheduled.length);
    for (const send of story.scheduled) expect((await target.kestra.getExecution(send.executionId)).state.current, `send #${send.emailNumber}`).toBe('WARNING');
  });

  test('Notion failing to record a sent email: the email still goes out, exactly once', async ({ target, identity }) => {
    await labelWebhookSpec('postcall', 'Notion tracker outage: email still sent once');
    const payload = { ...validPayload('postcall'), email: identity };
    const fired = await fireAndSettle(target, 'postcall', payload);
    const expected = expectedSends('postcall', payload, fired.arrival, target.timing);
    target.faults!.notion({ route: 'updatePage', dataSource: 'tracker', kind: 500, times: 1000 });
    await target.clock.advance!(Math.max(...expected.map((e) => e.sendAt.getTime())) - target.clock.now().getTime() + 60_000);
    const emails = (await target.outbox!()).filter((e) => e.to.includes(identity));
    expect(emails.map((e) => e.idempotencyKey).sort()).toEqual([...new Set(emails.map((e) => e.idempotencyKey))].sort());
    expect(emails).toHaveLength(expected.length);
    const sends = await scheduledSendsFor(target, fired.execution.id, expected.length);
    for (const send of sends) expect((await target.kestra.getExecution(send.executionId)).state.current, `send #${send.emailNumber}`).toBe('WARNING');
  });

  test('Resend answering 429: the send is retried and the email goes out exactly once', async ({ target, identity }) => {
    await labelWebhookSpec('onboarding', 'Resend rate limit: retried, sent once');
    const payload = { ...validPayload('onboarding'), email: identity };
    const fired = await fireAndSettle(target, 'onboarding', payload);
    const expected = expectedSends('onboarding', payload, fired.arrival, target.timing);
    target.faults!.resend({ route: 'sendEmail', kind: 429, times: 2 });
    await target.clock.advance!(Math.max(...expected.map((e) => e.sendAt.getTime())) - target.clock.now().getTime() + 60_000);
    const emails = (await target.outbox!()).filter((e) => e.to.includes(identity));
    expect(emails.map((e) => e.tags.find((t) => t.name === 'email_number')?.value).sort()).toEqual(['1', '2', '3']);
    const sends = await scheduledSendsFor(target, fired.execution.id, expected.length);
    for (const send of sends) expect((await target.kestra.getExecution(send.executionId)).state.current, `send #${send.emailNumber}`).toBe('SUCCESS');
  });
});
