/**
 * What send-email does when the easy answers are gone (SPEC §4.1, §4.2), in the main job:
 *  - a replay long after the email went out, when Resend no longer remembers the Idempotency-Key,
 *    sends nothing — only the tracker check stands between a replay and a second email;
 *  - a template Notion serves happily but that is inactive or in the trash gives the static copy
 *    and a WARNING execution, while Notion itself never fails (the quiet fallback).
 * Both need the virtual clock and the outbox; the template change also needs a Notion the harness
 * may edit: the stand-in targets only.
 */
import { test, expect } from '../support/e2e-fixtures.js';
import { SEQUENCES, idempotencyKey, renderTemplate } from '../../helpers/spec/index.js';
import { fallbackTemplate } from '../../helpers/scenarios/fallback-templates.js';
import { notionTemplate, waitForEnd } from '../../helpers/scenarios/webhook-scenario.js';
import { templateValues } from '../../helpers/scenarios/expectations.js';
import { runWebhookStory } from '../../helpers/scenarios/webhook-story.js';
import { labelWebhookSpec } from '../../helpers/tools/report/labels.js';
import { attachJson } from '../support/attach.js';
import { expectChecks } from '../support/checks.js';

const HOUR_MS = 3_600_000;
/** Resend forgets an Idempotency-Key after 24 hours (resend.com/docs/dashboard/emails/idempotency-keys). */
const RESEND_KEY_LIFETIME_MS = 24 * HOUR_MS;

test.beforeEach(({ target }) => {
  test.skip(!target.faults || !target.clock.advance || !target.outbox, `the ${target.name} target cannot move the clock, read the outbox or edit templates`);
});
test.afterEach(({ target }) => target.faults?.clear());

test('a send-email replayed more than 24 h after its email went out (Resend key expired) sends nothing @safety', async ({ target, identity, redactor }, testInfo) => {
  await labelWebhookSpec('noshow', 'replay after the idempotency key expired');
  const story = await runWebhookStory(target, { webhook: 'noshow', name: 'replayed send' }, { identity, deliver: true });
  await attachJson(testInfo, 'webhook story', story, redactor);
  expect(story.error).toBeUndefined();
  expectChecks(story.checks, 'the noshow sequence went out once before the replay');

  const first = story.scheduled.find((s) => s.emailNumber === 1)!;
  const key = idempotencyKey(identity, 'noshow', 1);
  const sentWithKey = async () => (await target.outbox!()).filter((e) => e.idempotencyKey === key);
  const [email] = await sentWithKey();
  expect(email, 'email #1 went out before the replay').toBeDefined();
  const trackerBefore = await target.notion!.trackerPages(identity);

  // Well past Resend's memory of the key: from here on only the flow's own check can stop a second email.
  await target.clock.advance!(RESEND_KEY_LIFETIME_MS + HOUR_MS);
  expect(target.clock.now().getTime() - Date.parse(email!.createdAt)).toBeGreaterThan(RESEND_KEY_LIFETIME_MS);

  const replay = await target.kestra.replayExecution(first.executionId);
  expect(replay.id, 'a replay is a new execution').not.toBe(first.executionId);
  const ended = await waitForEnd(target, replay.id, {});
  expect(ended.inputs, 'the replay ran with the original inputs').toEqual((await target.kestra.getExecution(first.executionId)).inputs);
  expect(ended.state.current, 'already sent → nothing to do, SUCCESS (SPEC §4.1)').toBe('SUCCESS');
  expect((await sentWithKey()).map((e) => e.id), 'email #1 still went out exactly once').toEqual([email!.id]);
  expect(await target.notion!.trackerPages(identity), 'the tracker is untouched').toEqual(trackerBefore);
});

for (const how of ['inactive', 'trashed'] as const) {
  test(`Notion answers but the template is ${how}: the static copy goes out and send-email ends WARNING @faults`, async ({ target, identity, redactor }, testInfo) => {
    await labelWebhookSpec('noshow', `quiet fallback: template ${how}`);
    const unusable = SEQUENCES.noshow.emails[0]!.template;
    const story = await runWebhookStory(target, { webhook: 'noshow', name: `template ${how}` }, {
      identity, deliver: true,
      template: (name) => (name === unusable ? fallbackTemplate(name) : notionTemplate(name)),
      beforeDelivery: () => target.faults!.templateUnusable(unusable, how),
    });
    await attachJson(testInfo, 'webhook story', story, redactor);
    expect(story.error).toBeUndefined();
    expectChecks(story.checks, `email #1 built from the static copy of ${unusable}, the others from Notion`);

    const [email] = story.emails.filter((e) => e.idempotencyKey === idempotencyKey(identity, 'noshow', 1));
    const copy = fallbackTemplate(unusable);
    expect(email!.subject).toBe(renderTemplate(copy.subject, templateValues('noshow', story.payload)));
    expect(email!.subject, 'the static copy is not the Notion copy').not.toBe(renderTemplate(notionTemplate(unusable).subject, templateValues('noshow', story.payload)));

    for (const send of story.scheduled) {
      const expected = send.emailNumber === 1 ? 'WARNING' : 'SUCCESS';
      expect((await target.kestra.getExecution(send.executionId)).state.current, `send #${send.emailNumber}`).toBe(expected);
    }
    // "log it" (SPEC §4.2): a WARN line of that send names the template it could not use.
    const first = story.scheduled.find((s) => s.emailNumber === 1)!;
    const warnings = (await target.kestra.getLogs(first.executionId, { minLevel: 'WARN' })).map((l) => l.message);
    expect(warnings.some((m) => m.includes(unusable) && /fallback/i.test(m)), `a WARN line naming ${unusable} and the fallback: ${JSON.stringify(warnings)}`).toBe(true);
  });
}
