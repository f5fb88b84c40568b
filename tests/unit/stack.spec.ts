/**
 * The repository's flows, end to end, on the embedded stack (Kestra, Notion and Resend stand-ins):
 * every expectation comes from the spec module (helpers/spec) and the payload fixtures — never
 * from the flows under test.
 */
import { test as base, expect } from '../support/unit-test.js';
import { invalidPayloads, validPayload } from '../../helpers/scenarios/payloads.js';
import {
  amountText, CAMPAIGN_CONSTANTS, LEFTOVER_PLACEHOLDER, WEBSITE_EMAIL, websiteEmailStatus, SENDER, SEQUENCES, WEBHOOK_HANDLERS, WEBHOOK_NAMES, classifySegment, emailTags, idempotencyKey,
  NOTION_VERSION, renderTemplate, scheduleFor, sequenceForWebhook, type SequenceType, type TimingMode, type WebhookName,
} from '../../helpers/spec/index.js';
import { loadTemplateSeeds } from '../../helpers/standins/notion/index.js';
import { fallbackTemplate } from '../../helpers/scenarios/fallback-templates.js';
import { startLocalStack, type LocalStack } from '../../helpers/standins/stack.js';
import type { ExecutionJson } from '../../helpers/standins/kestra/index.js';
import { sequenceAnchor, templateValues } from '../../helpers/scenarios/expectations.js';
import { runWebhookStory } from '../../helpers/scenarios/webhook-story.js';
import { WEBHOOK_CASES } from '../../helpers/scenarios/webhook-cases.js';
import { localTargetFor } from '../../helpers/targets/local.js';
import { expectChecks } from '../support/checks.js';

const START = new Date('2025-12-01T12:00:00Z');

const test = base.extend<{ mode: TimingMode; stack: LocalStack }>({
  /** The deployment's timing mode (ENV_TESTING_MODE); `test.use({ mode: 'testing' })` switches it. */
  mode: ['production', { option: true }],
  stack: async ({ mode }, use) => {
    const stack = await startLocalStack({ startAt: START, retryDelayScale: 0.001, testingMode: mode === 'testing' });
    await use(stack);
    expect(stack.kestra.crashes(), 'Kestra stand-in crashes').toEqual([]);
    await stack.stop();
  },
});

async function fire(stack: LocalStack, webhook: WebhookName, body: unknown, url = stack.webhooks[webhook]) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, text, execution: text ? (JSON.parse(text) as ExecutionJson) : undefined };
}

/** Fires a webhook, waits until nothing runs, and returns the handler execution as it ended. */
async function fireAndSettle(stack: LocalStack, webhook: WebhookName, body: unknown): Promise<ExecutionJson> {
  const res = await fire(stack, webhook, body);
  expect(res.status, `${webhook} webhook`).toBe(200);
  await stack.kestra.settle();
  return stack.kestra.execution(res.execution!.id)!;
}

/** Every send-email execution started on behalf of one webhook execution (they share its correlation id). */
const sendsOf = (stack: LocalStack, root: ExecutionJson) =>
  stack.kestra.executions({ flowId: 'send-email', label: { key: 'system.correlationId', value: root.id } });

/** The anchor SPEC §2 gives (helpers/scenarios/expectations), from the handler's recorded arrival. */
const anchorOf = (sequence: SequenceType, handler: ExecutionJson, payload: Record<string, unknown>) =>
  sequenceAnchor(SEQUENCES[sequence].webhook, payload, new Date(handler.state.startDate));

const templates = new Map(loadTemplateSeeds().map((t) => [t['Template Name'], t]));

const expectedValues = templateValues;

const SEQUENCED = WEBHOOK_NAMES.filter((w) => sequenceForWebhook(w) !== null);

test.describe('the stack', () => {
  test('describes itself as the one JSON object stack:local prints: three loopback URLs and the five webhook URLs', async ({ stack }) => {
    const described = stack.describe();
    expect(Object.keys(described)).toEqual(['kestra', 'notion', 'resend', 'webhooks']);
    for (const url of [described.kestra, described.notion, described.resend]) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Object.keys(described.webhooks).sort()).toEqual([...WEBHOOK_NAMES].sort());
    for (const w of WEBHOOK_NAMES) {
      expect(described.webhooks[w]).toBe(`${described.kestra}/api/v1/main/executions/webhook/${WEBHOOK_HANDLERS[w].namespace}/${WEBHOOK_HANDLERS[w].flowId}/${stack.webhookKeys[w]}`);
    }
    expect(JSON.stringify(described)).not.toContain(stack.credentials.notionToken);
    expect(JSON.stringify(described)).not.toContain(stack.credentials.resendApiKey);
  });

  test('the Kestra API wants the stack\'s Basic credentials; the webhooks do not', async ({ stack }) => {
    expect((await fetch(`${stack.kestra.url}/api/v1/main/executions/search`)).status).toBe(401);
    const auth = stack.credentials.kestra as { username: string; password: string };
    const ok = await fetch(`${stack.kestra.url}/api/v1/main/executions/search`, { headers: { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` } });
    expect(ok.status).toBe(200);
  });
});

test.describe('health check', () => {
  test('christmas/health-check reaches the four Notion data sources and Resend: SUCCESS, both outputs true', async ({ stack }) => {
    const run = stack.kestra.run('christmas', 'health-check');
    await stack.kestra.settle();
    const exec = stack.kestra.execution(run.id)!;
    expect(exec.state.current).toBe('SUCCESS');
    expect(exec.outputs).toEqual({ notion_ok: true, resend_ok: true });
  });

  test('christmas/health-check FAILS when Resend keeps answering 500 (after its retries)', async ({ stack }) => {
    stack.resend.injectFault({ route: 'listDomains', kind: 500, times: 5 });
    const run = stack.kestra.run('christmas', 'health-check');
    await stack.kestra.settle();
    expect(stack.kestra.execution(run.id)!.state.current).toBe('FAILED');
  });
});

test.describe('handlers with the valid payloads', () => {
  for (const webhook of WEBHOOK_NAMES) {
    test(`${webhook}: the handler ends SUCCESS`, async ({ stack }) => {
      const handler = await fireAndSettle(stack, webhook, validPayload(webhook));
      expect(handler.flowId).toBe(WEBHOOK_HANDLERS[webhook].flowId);
      expect(handler.state.current).toBe('SUCCESS');
      const failed = stack.kestra.executions().filter((e) => !['SUCCESS', 'CREATED'].includes(e.state.current));
      expect(failed.map((e) => `${e.flowId} ${e.state.current}`)).toEqual([]);
    });
  }

  test('signup: the contact is created (never duplicated) and nothing is scheduled or sent', async ({ stack }) => {
    const payload = validPayload('signup');
    const first = await fireAndSettle(stack, 'signup', payload);
    await fireAndSettle(stack, 'signup', { ...payload, business_name: 'Renamed Salon' });
    const contacts = stack.notion.pages('contacts').filter((c) => c.Email === payload.email);
    expect(contacts).toHaveLength(1);
    expect(contacts[0]).toMatchObject({ 'First Name': payload.first_name, 'Business Name': 'Renamed Salon', Source: payload.source });
    expect(sendsOf(stack, first)).toEqual([]);
    await stack.kestra.clock.advance({ days: 10 });
    expect(stack.resend.outbox()).toEqual([]);
  });

  test('assessment: the contact carries the segment, Email #1 is tracked as sent by the website at email_1_sent_at', async ({ stack }) => {
    const payload = validPayload('assessment');
    await fireAndSettle(stack, 'assessment', payload);
    expect(stack.notion.pages('contacts')[0]).toMatchObject({ Email: payload.email, Segment: classifySegment(payload) });
    const first = stack.notion.pages('tracker').find((p) => p['Email Number'] === 1)!;
    expect(first).toMatchObject({ 'Sequence Type': WEBSITE_EMAIL.sequence, 'Email Number': WEBSITE_EMAIL.number, Status: websiteEmailStatus(payload), 'Sent By': WEBSITE_EMAIL.sentBy });
    expect(new Date(String(first['Sent At'])).toISOString()).toBe(new Date(payload.email_1_sent_at!).toISOString());
  });

  test('onboarding without a confirmed payment writes and schedules nothing, and a WARN line says why', async ({ stack }) => {
    const handler = await fireAndSettle(stack, 'onboarding', validPayload('onboarding', { payment_confirmed: false }));
    expect(handler.state.current).toBe('SUCCESS');
    expect(handler.outputs).toEqual({ scheduled: false });
    expect(stack.notion.pages('contacts')).toEqual([]);
    expect(sendsOf(stack, handler)).toEqual([]);
    expect(stack.kestra.logs(handler.id).some((l) => l.level === 'WARN' && /Payment not confirmed/.test(l.message))).toBe(true);
  });
});

test.describe('scheduling (SPEC §2): children CREATED at anchor + offset', () => {
  for (const mode of ['production', 'testing'] as const satisfies readonly TimingMode[]) {
    test.describe(`${mode} mode`, () => {
      test.use({ mode });
      for (const webhook of SEQUENCED) {
        const sequence = sequenceForWebhook(webhook)!.type;
        test(`${sequence}: one send-email per Kestra email, CREATED with scheduleDate = anchor + offset`, async ({ stack }) => {
          // email_1_sent_at = the webhook's arrival, so even testing-mode offsets lie in the future
          const payload = { ...validPayload(webhook), ...(webhook === 'assessment' ? { email_1_sent_at: START.toISOString() } : {}) } as Record<string, unknown>;
          const handler = await fireAndSettle(stack, webhook, payload);
          const expected = scheduleFor(anchorOf(sequence, handler, payload), sequence, mode);
          const sends = sendsOf(stack, handler).sort((a, b) => Date.parse(a.scheduleDate!) - Date.parse(b.scheduleDate!));
          expect(sends.map((e) => e.state.current)).toEqual(expected.map(() => 'CREATED'));
          expect(sends.map((e) => new Date(e.scheduleDate!).toISOString())).toEqual(expected.map((e) => e.sendAt.toISOString()));
          expect(sends.map((e) => e.inputs.template_name)).toEqual(expected.map((e) => e.template));
          expect(sends.map((e) => e.inputs.email_number)).toEqual(expected.map((e) => e.number));
          expect(sends.every((e) => e.labels.some((l) => l.key === 'sequence' && l.value === sequence))).toBe(true);
          const tracked = stack.notion.pages('tracker').filter((p) => p.Status === 'scheduled');
          expect(tracked.map((p) => p['Email Number']).sort()).toEqual(expected.map((e) => e.number));
        });
      }
    });
  }

  test('right after the webhook, the scheduled children are visible through the executions API (search by parent id)', async ({ stack }) => {
    const handler = await fireAndSettle(stack, 'noshow', validPayload('noshow'));
    const auth = stack.credentials.kestra as { username: string; password: string };
    const headers = { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` };
    const search = async (query: string) => (await (await fetch(`${stack.kestra.url}/api/v1/main/executions/search?${query}`, { headers })).json()) as { total: number; results: ExecutionJson[] };
    const scheduleEmail = await search('filters[flowId][EQUALS]=schedule-email&size=100');
    const parentIds = scheduleEmail.results.map((e) => e.id);
    expect(parentIds).toHaveLength(3);
    for (const id of parentIds) {
      const children = await search(`filters[triggerExecutionId][EQUALS]=${id}&filters[flowId][EQUALS]=send-email`);
      expect(children.total).toBe(1);
      expect(children.results[0]!.state.current).toBe('CREATED');
    }
    const byCorrelation = await search(`filters[labels][EQUALS][system.correlationId]=${handler.id}&filters[state][EQUALS]=CREATED`);
    expect(byCorrelation.total).toBe(3);
  });
});

test.describe('sending (SPEC §4) once the clock passes', () => {
  for (const kase of WEBHOOK_CASES.filter((c) => c.main && sequenceForWebhook(c.webhook) !== null)) {
    const sequence = sequenceForWebhook(kase.webhook)!.type;
    test(`${sequence}: the webhook story's checks all hold — each email from its Notion template, Sent At = time of sending, Resend ID, Last Email Sent, analytics`, async ({ stack }) => {
      const story = await runWebhookStory(localTargetFor(stack, { ownsStack: false }), kase, { identity: String(validPayload(kase.webhook).email), deliver: true });
      expect(story.error).toBeUndefined();
      expectChecks(story.checks, `${sequence} story`);
      // On the virtual clock each email goes out exactly at its scheduled time.
      expect(story.emails.map((e) => e.createdAt).sort(), 'outbox times = scheduleDates').toEqual(story.scheduled.map((s) => s.scheduleDate!.toISOString()).sort());
      const sends = story.scheduled.map((s) => stack.kestra.execution(s.executionId)!);
      expect(sends.map((e) => `${e.inputs.email_number} ${e.state.current} ${String(e.outputs.template_source)}`), 'send-email executions').toEqual(story.scheduled.map((s) => `${s.emailNumber} SUCCESS notion`));
      for (const email of story.emails) expect(LEFTOVER_PLACEHOLDER.test(`${email.subject} ${email.html}`), `placeholders left in ${email.subject}`).toBe(false);
    });
  }

  test('Kestra never sends 5-day Email #1', async ({ stack }) => {
    await fireAndSettle(stack, 'assessment', validPayload('assessment'));
    await stack.kestra.clock.advance({ days: 8 });
    const numbers = stack.resend.outbox().map((m) => m.tags.find((t) => t.name === 'email_number')!.value).sort();
    expect(numbers).toEqual(SEQUENCES['5day'].emails.filter((e) => e.sentBy === 'kestra').map((e) => String(e.number)));
  });

  test('without email_1_sent_at the 5-day anchor is the webhook\'s arrival, with a WARN line', async ({ stack }) => {
    const payload = validPayload('assessment');
    delete (payload as Record<string, unknown>).email_1_sent_at;
    const handler = await fireAndSettle(stack, 'assessment', payload);
    expect(handler.outputs.anchor).toBe('2025-12-01T12:00:00Z');
    expect(stack.kestra.logs(handler.id).some((l) => l.level === 'WARN' && /email_1_sent_at missing/.test(l.message))).toBe(true);
    const dates = sendsOf(stack, handler).map((e) => new Date(e.scheduleDate!).toISOString()).sort();
    expect(dates).toEqual(scheduleFor(START, '5day', 'production').map((e) => e.sendAt.toISOString()));
  });

  test('a send-email for an email the tracker already shows as sent does nothing (idempotency, SPEC §4.1)', async ({ stack }) => {
    const handler = await fireAndSettle(stack, 'noshow', validPayload('noshow'));
    await stack.kestra.clock.advance({ minutes: 6 });
    expect(stack.resend.outbox()).toHaveLength(1);
    const first = sendsOf(stack, handler).find((e) => e.state.current === 'SUCCESS')!;
    const again = stack.kestra.run('christmas', 'send-email', first.inputs);
    await stack.kestra.settle();
    expect(stack.kestra.execution(again.id)!.state.current).toBe('SUCCESS');
    expect(stack.kestra.execution(again.id)!.taskRunList.map((t) => t.taskId)).toContain('end_already_sent');
    expect(stack.resend.outbox()).toHaveLength(1);
  });
});

test.describe('duplicates and bad input', () => {
  for (const webhook of SEQUENCED) {
    test(`a duplicate ${webhook} webhook for an active sequence schedules nothing new`, async ({ stack }) => {
      const payload = validPayload(webhook);
      const first = await fireAndSettle(stack, webhook, payload);
      const second = await fireAndSettle(stack, webhook, payload);
      expect(first.outputs.scheduled).toBe(true);
      expect(second.state.current).toBe('SUCCESS');
      expect(second.outputs.scheduled).toBe(false);
      expect(sendsOf(stack, second)).toEqual([]);
      expect(stack.kestra.executions({ flowId: 'send-email' })).toHaveLength(sendsOf(stack, first).length);
    });
  }

  // Issue 12 item 7: Notion refuses a select filter naming an option the data source does not have
  // yet, and a fresh Tracker has none; the duplicate checks must still work there, not fail and be skipped.
  for (const webhook of SEQUENCED) {
    test(`on a fresh Tracker (no select options yet) a duplicate ${webhook} webhook still schedules nothing new`, async () => {
      const stack = await startLocalStack({ startAt: START, retryDelayScale: 0.001, notion: { withoutSelectOptions: ['tracker'] } });
      try {
        const payload = validPayload(webhook);
        const first = await fireAndSettle(stack, webhook, payload);
        const second = await fireAndSettle(stack, webhook, payload);
        expect(first.outputs.scheduled).toBe(true);
        expect(second.outputs.scheduled).toBe(false);
        expect(sendsOf(stack, second)).toEqual([]);
        expect(stack.notion.requests().filter((r) => r.status >= 400).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([]);
        expect(stack.kestra.crashes()).toEqual([]);
      } finally {
        await stack.stop();
      }
    });
  }

  /**
   * Kestra renders webhook inputs to TEXT before reading them as typed inputs, so a JSON value of the
   * wrong type that prints like a right one ("2" vs 2, "true" vs true, 42 vs "42") cannot be refused by
   * the handlers' typed inputs: a flow issue reported to the lead, kept here as expected failures
   * that turn into passes (and so fail loudly) once the flows refuse them.
   */
  for (const c of invalidPayloads()) {
    // Pinned kestra/kestra:v1.3.16: 409 on 1.1–1.3, 422 only from 1.4 (kestra-io/kestra#16871; SPEC §5).
    test(`invalid ${c.webhook} payload (${c.case}) → 409, nothing created, nothing written`, async ({ stack }) => {
      const res = await fire(stack, c.webhook, c.payload);
      expect(res.status).toBe(409);
      await stack.kestra.settle();
      expect(stack.kestra.executions()).toEqual([]);
      expect(stack.notion.requests().filter((r) => r.method !== 'GET')).toEqual([]);
    });
  }

  test('a wrong webhook key is 404 and creates nothing', async ({ stack }) => {
    const url = stack.webhooks.signup.replace(stack.webhookKeys.signup, 'not-the-key');
    const res = await fire(stack, 'signup', validPayload('signup'), url);
    expect(res.status).toBe(404);
    await stack.kestra.settle();
    expect(stack.kestra.executions()).toEqual([]);
  });

  test('the tenant-less webhook path runs the same handler', async ({ stack }) => {
    const res = await fire(stack, 'signup', validPayload('signup'), stack.webhooks.signup.replace('/api/v1/main/', '/api/v1/'));
    expect(res.status).toBe(200);
    await stack.kestra.settle();
    expect(stack.kestra.execution(res.execution!.id)!.state.current).toBe('SUCCESS');
  });
});

test.describe('failures of the services', () => {
  test('Notion failing to serve the template: the static fallback copy is sent and send-email ends WARNING', async ({ stack }) => {
    const payload = validPayload('noshow');
    const handler = await fireAndSettle(stack, 'noshow', payload);
    stack.notion.injectFault({ route: 'query', kind: 503, times: 10, dataSource: 'templates' });
    await stack.kestra.clock.advance({ minutes: 6 });
    const [sent] = sendsOf(stack, handler).filter((e) => e.state.current !== 'CREATED');
    expect(sent!.state.current).toBe('WARNING');
    // The fallback path ends with Exit WARNING, so real Kestra renders no flow outputs (ExecutorService#process
    // skips onEnd for a terminated execution, executor/.../ExecutorService.java 1.x): the WARN line tells the source.
    expect(sent!.outputs).toEqual({});
    expect(stack.kestra.logs(sent!.id).some((l) => l.level === 'WARN' && /fallback/.test(l.message))).toBe(true);
    const [email] = stack.resend.outbox();
    expect(email!.subject).not.toBe(renderTemplate(templates.get('noshow_recovery_email_1')!.Subject, expectedValues('noshow', payload)));
    expect(email!.subject).toContain(payload.first_name);
    expect(LEFTOVER_PLACEHOLDER.test(`${email!.subject} ${email!.html}`)).toBe(false);
    expect(stack.notion.pages('tracker').find((p) => p['Email Number'] === 1 && p['Sequence Type'] === 'noshow')).toMatchObject({ Status: 'sent' });
  });

  // https://resend.com/docs/api-reference/errors: 409 invalid_idempotent_request — "Change your idempotency
  // key or payload": retrying the same request can never succeed, so the flow must not retry it.
  test('Resend answering 409 invalid_idempotent_request: one attempt, no retry, the send fails naming the refusal', async ({ stack }) => {
    const payload = validPayload('noshow');
    const handler = await fireAndSettle(stack, 'noshow', payload);
    // The flow's key for noshow #1, already used by another payload within the last 24 hours.
    const key = idempotencyKey(String(payload.email), 'noshow', 1);
    const earlier = await fetch(`${stack.resend.url}/emails`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.credentials.resendApiKey}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify({ from: SENDER, to: [payload.email], subject: 'an earlier, different email', html: '<p>x</p>' }),
    });
    expect(earlier.status).toBe(200);
    await stack.kestra.clock.advance({ minutes: 6 });
    const flowSends = stack.resend.requests().filter((r) => r.method === 'POST' && r.path === '/emails').slice(1);
    expect(flowSends.map((r) => r.status)).toEqual([409]);
    expect(stack.resend.outbox()).toHaveLength(1);
    const sent = sendsOf(stack, handler).find((e) => e.state.current !== 'CREATED')!;
    expect(sent.state.current).toBe('FAILED');
    const child = stack.kestra.executions({ flowId: 'resend-send-email' }).find((e) => e.state.current === 'FAILED')!;
    expect(stack.kestra.logs(child.id).some((l) => /HTTP 409.*invalid_idempotent_request/.test(l.message))).toBe(true);
  });

  test('Resend answering 500 once: the send is retried and goes out exactly once', async ({ stack }) => {
    const handler = await fireAndSettle(stack, 'noshow', validPayload('noshow'));
    stack.resend.injectFault({ route: 'sendEmail', kind: 500, times: 1 });
    await stack.kestra.clock.advance({ minutes: 6 });
    expect(stack.resend.requests().filter((r) => r.method === 'POST' && r.path === '/emails').map((r) => r.status)).toEqual([500, 200]);
    expect(stack.resend.outbox()).toHaveLength(1);
    expect(sendsOf(stack, handler).find((e) => e.state.current !== 'CREATED')!.state.current).toBe('SUCCESS');
  });

  test('Resend answering 429: the send is retried and the email goes out exactly once', async () => {
    // 2 sends a second, bursts of 1; Kestra's exponential waits (0, 2, 4 … × PT1S) scaled by 0.1
    const stack = await startLocalStack({ startAt: START, retryDelayScale: 0.1, resend: { rateLimit: { perSecond: 2, burst: 1 } } });
    try {
      const payload = validPayload('noshow');
      const handler = await fireAndSettle(stack, 'noshow', payload);
      // use up the one token, so the flow's first attempt is refused with 429
      await fetch(`${stack.resend.url}/domains`, { headers: { authorization: `Bearer ${stack.credentials.resendApiKey}` } });
      await stack.kestra.clock.advance({ minutes: 6 });
      // (a refused call is logged before its route is matched: select by method and path)
      const sends = stack.resend.requests().filter((r) => r.method === 'POST' && r.path === '/emails');
      expect(sends[0]!.status).toBe(429);
      expect(sends[sends.length - 1]!.status).toBe(200);
      expect(stack.resend.outbox()).toHaveLength(1);
      const sent = sendsOf(stack, handler).find((e) => e.state.current !== 'CREATED')!;
      expect(sent.state.current).toBe('SUCCESS');
    } finally {
      await stack.stop();
    }
  });
});

test.describe('large amounts (issue 12 item 6)', () => {
  // Jackson writes a double with Java's Double.toString, which switches to "computerized scientific notation"
  // from 10^7 (docs.oracle.com/en/java/javase/21/docs/api/java.base/java/lang/Double.html#toString(double)):
  // 9999999.5 → "9999999.5", 10000000.5 → "1.00000005E7". A valid amount must be accepted on both sides
  // and read in the email as its plain decimal text (helpers/spec amountText).
  for (const [amount, shown] of [[9999999.5, '9999999.5'], [10000000.5, '10000000.5'], [10000000, '10000000']] as const) {
    test(`revenue_leak_total ${amount} is accepted and the email shows $${shown}`, async ({ stack }) => {
      const payload = { ...validPayload('assessment'), revenue_leak_total: amount } as Record<string, unknown>;
      const handler = await fireAndSettle(stack, 'assessment', payload);
      expect(handler.state.current).toBe('SUCCESS');
      const [first] = scheduleFor(anchorOf('5day', handler, payload), '5day', 'production');
      await stack.kestra.clock.advanceTo(new Date(first!.sendAt.getTime() + 60_000));
      const [sent] = stack.resend.outbox();
      expect(sent!.html).toBe(renderTemplate(templates.get(first!.template)!.Body, { ...expectedValues('assessment', payload), revenue_leak_total: amountText(amount) }));
      expect(sent!.html).toContain(`$${shown}`);
    });
  }

  test('a string amount is still refused (409 on the pinned 1.3)', async ({ stack }) => {
    const res = await fire(stack, 'assessment', { ...validPayload('assessment'), revenue_leak_total: '14700' });
    expect(res.status).toBe(409);
  });
});

test.describe('the quiet fallback (issue 13 item 3; SPEC §4.2)', () => {
  /** Changes the template page through Notion's API, as an editor would (PATCH /v1/pages/{id}). */
  async function patchTemplate(stack: LocalStack, name: string, body: unknown) {
    const page = stack.notion.pages('templates').find((t) => t['Template Name'] === name)!;
    const res = await fetch(`${stack.notion.url}/v1/pages/${page.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${stack.notion.token}`, 'notion-version': NOTION_VERSION, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
  }

  for (const [why, change] of [
    ['inactive', { properties: { Active: { checkbox: false } } }],
    ['missing (trashed)', { in_trash: true }],
  ] as const) {
    test(`Notion answers but the template is ${why}: the static copy is sent and send-email ends WARNING`, async ({ stack }) => {
      const payload = validPayload('noshow') as Record<string, unknown>;
      const [first] = scheduleFor(START, 'noshow', 'production');
      await patchTemplate(stack, first!.template, change);
      const handler = await fireAndSettle(stack, 'noshow', payload);
      await stack.kestra.clock.advanceTo(new Date(first!.sendAt.getTime() + 60_000));
      const [sent] = sendsOf(stack, handler).filter((e) => e.state.current !== 'CREATED');
      expect(sent!.state.current).toBe('WARNING');
      // Notion never failed: every call it answered was a success, so the WARNING is the fallback's own
      expect(stack.notion.requests().every((r) => r.status < 400)).toBe(true);
      expect(stack.kestra.logs(sent!.id).filter((l) => l.level === 'WARN').map((l) => l.message)).toContain(`Notion has no usable template ${first!.template}: sending the static fallback copy`);
      const copy = fallbackTemplate(first!.template);
      const [email] = stack.resend.outbox();
      expect(email!.subject).toBe(renderTemplate(copy.subject, expectedValues('noshow', payload)));
      expect(email!.html).toBe(renderTemplate(copy.body, expectedValues('noshow', payload)));
    });
  }
});

test.describe('replays (issue 13 item 4; SPEC §4.1)', () => {
  // Resend keeps an idempotency key for 24 hours (resend.com/docs/dashboard/emails/idempotency-keys: "expire
  // after 24 hours"), so after that only send-email's tracker check stands between a rerun and a second email.
  test('send-email run again more than 24 h after the email went out (Resend key expired) sends nothing', async ({ stack }) => {
    const payload = validPayload('noshow') as Record<string, unknown>;
    const handler = await fireAndSettle(stack, 'noshow', payload);
    const [first] = scheduleFor(START, 'noshow', 'production');
    await stack.kestra.clock.advanceTo(new Date(first!.sendAt.getTime() + 60_000));
    const original = sendsOf(stack, handler).find((e) => e.inputs.email_number === 1 && e.state.current === 'SUCCESS')!;
    const key = idempotencyKey(String(payload.email), 'noshow', 1);
    const sentOnce = () => stack.resend.outbox().filter((m) => m.idempotencyKey === key);
    expect(sentOnce()).toHaveLength(1);

    await stack.kestra.clock.advance({ hours: 25 });
    const rerun = stack.kestra.run('christmas', 'send-email', original.inputs);
    await stack.kestra.settle();
    expect(stack.kestra.execution(rerun.id)!.state.current).toBe('SUCCESS');
    expect(stack.kestra.execution(rerun.id)!.taskRunList.map((t) => t.taskId)).toContain('end_already_sent');
    expect(sentOnce()).toHaveLength(1);

    // …and the guard was needed: 25 h on, Resend itself would accept the same key and payload as new.
    const [email] = sentOnce();
    const direct = await fetch(`${stack.resend.url}/emails`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.credentials.resendApiKey}`, 'idempotency-key': key, 'content-type': 'application/json' },
      body: JSON.stringify({ from: email!.from, to: email!.to, subject: email!.subject, html: email!.html, tags: email!.tags }),
    });
    expect(direct.status).toBe(200);
    expect(sentOnce()).toHaveLength(2);
  });
});
