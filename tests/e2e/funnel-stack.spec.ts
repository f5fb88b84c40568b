/**
 * The website funnel followed through (issue §3): a visitor completes the fixture site's funnel,
 * whose webhooks and Email #1 go to the local stack (Kestra, Notion and Resend stand-ins running
 * this repository's flows). Then: both handler executions SUCCESS, the contact in Notion once,
 * Email #1 tracked as sent by the website at `email_1_sent_at`, Emails #2–#5 scheduled per SPEC §2
 * and never #1 — and a double submit still leaves one contact and one schedule.
 *
 * Expectations come from helpers/spec (through helpers/scenarios/expectations), never from the flows.
 * Skipped, with the reason, while helpers/standins/stack.ts does not provide startLocalStack().
 */
import { labelBehaviour } from '../../helpers/tools/report/labels.js';
import { funnelTest, expect } from '../support/funnel-fixtures.js';
import { emailOneTimingProblems, expectedPayloads, funnelJourney, journeyDataFor, judgeWebhooks, startFunnelSite, type JourneyReport } from '../../helpers/scenarios/funnel/index.js';
import { createKestraClient, type Execution, type KestraClient } from '../../helpers/clients/kestra/index.js';
import { NotionReadBack } from '../../helpers/clients/notion/read-back.js';
import { SENDER, WEBHOOK_HANDLERS, idempotencyKey, kestraEmails, websiteEmails, type NotionDatabaseKey } from '../../helpers/spec/index.js';
import { expectedSends, expectedSegment, expectedWebsitePages } from '../../helpers/scenarios/expectations.js';
import { scheduledSendsOf } from '../../helpers/scenarios/scheduled-sends.js';
import { scheduleChecks } from '../../helpers/scenarios/webhook-scenario.js';
import { iso } from '../../helpers/scenarios/checks.js';
import { expectChecks } from '../support/checks.js';

/** The parts of startLocalStack()'s handle this spec uses. */
interface StackHandle {
  kestra: { url: string; settle(): Promise<void> };
  notion: { url: string; token: string; dataSourceIds: Readonly<Record<NotionDatabaseKey, string>> };
  resend: { url: string; apiKey: string; outbox(): { to: string[]; from: string; idempotencyKey: string | null; tags: { name: string; value: string }[] }[] };
  webhooks: Readonly<Record<'signup' | 'assessment', string>>;
  credentials: { kestra: { username: string; password: string } | false };
  stop(): Promise<void>;
}

const stackModule = await import('../../helpers/standins/stack.js').catch(() => null);
const startLocalStack = stackModule && typeof stackModule.startLocalStack === 'function' ? (stackModule.startLocalStack as () => Promise<StackHandle>) : null;
const stackAvailable = startLocalStack !== null;

const SCHEDULE_TOLERANCE_MS = 2_000;
const HANDLER_DEADLINE_MS = 30_000;

interface StackFixtures {
  stack: StackHandle;
  kestra: KestraClient;
  notion: NotionReadBack;
}

const test = funnelTest.extend<StackFixtures>({
  stack: async ({}, use) => {
    const stack = await startLocalStack!();
    await use(stack);
    await stack.stop();
  },
  // The fixture site posts to the stack's webhooks and sends Email #1 through its Resend.
  funnelSite: async ({ stack }, use) => {
    const site = await startFunnelSite({ webhooks: { signup: stack.webhooks.signup, assessment: stack.webhooks.assessment }, resend: { url: stack.resend.url, apiKey: stack.resend.apiKey } });
    await use(site);
    await site.stop();
  },
  kestra: async ({ stack }, use) => {
    await use(createKestraClient({ baseUrl: stack.kestra.url, auth: stack.credentials.kestra || undefined }));
  },
  notion: async ({ stack }, use) => {
    await use(new NotionReadBack({ token: stack.notion.token, dataSourceIds: { ...stack.notion.dataSourceIds }, baseUrl: stack.notion.url }));
  },
});

/** The handler executions started by webhooks carrying this visitor's email, oldest first. */
async function handlerExecutions(kestra: KestraClient, webhook: 'signup' | 'assessment', email: string): Promise<Execution[]> {
  const { namespace, flowId } = WEBHOOK_HANDLERS[webhook];
  const all = await kestra.searchAllExecutions({ namespace, flowId });
  return all.filter((e) => (e.trigger?.variables?.body as { email?: unknown } | undefined)?.email === email);
}

async function terminal(kestra: KestraClient, executions: Execution[]): Promise<Execution[]> {
  return Promise.all(executions.map((e) => kestra.waitForTerminal(e.id, { deadlineMs: HANDLER_DEADLINE_MS })));
}

function webhookBody(report: JourneyReport, name: 'signup' | 'assessment'): Record<string, unknown> {
  const found = report.webhooks.find((w) => w.name === name);
  if (!found) throw new Error(`the page posted no ${name} webhook`);
  return found.body as Record<string, unknown>;
}

test.describe('website funnel followed into the local stack', { tag: '@funnel' }, () => {
  funnelTest.beforeEach(async ({}, testInfo) => labelBehaviour({ epic: 'Website funnel', feature: 'journey followed into the local stack', story: testInfo.title }));

  test.skip(!stackAvailable, 'local stack not built yet (helpers/standins/stack.ts has no startLocalStack)');

  test('playwright: the funnel leads to SUCCESS executions, one contact, Email #1 tracked as the website’s, #2–#5 scheduled', async ({ openDriver, runFunnel, identity, stack, kestra, notion, funnelSite }) => {
    const data = journeyDataFor(identity);
    const report = await runFunnel(await openDriver('playwright'), funnelJourney(data));
    const assessment = webhookBody(report, 'assessment');

    await test.step('the page posted valid payloads, answered 200 by Kestra', async () => {
      expect(judgeWebhooks(report.webhooks)).toEqual([
        { name: 'signup', status: 200, valid: true },
        { name: 'assessment', status: 200, valid: true },
      ]);
      expect(assessment).toMatchObject(expectedPayloads(data).assessment);
      const sent = funnelSite.sentEmails();
      expect(sent).toHaveLength(1);
      const submitted = report.steps.find((s) => s.name === 'complete the assessment')!.startedAt;
      expect(emailOneTimingProblems({ assessment: report.webhooks[1]!, submittedAt: submitted, websiteSentAt: sent[0]!.sentAt })).toEqual([]);
    });

    const [signupRun, assessmentRun] = await test.step('both handler executions end SUCCESS', async () => {
      await stack.kestra.settle();
      const signups = await terminal(kestra, await handlerExecutions(kestra, 'signup', identity));
      const assessments = await terminal(kestra, await handlerExecutions(kestra, 'assessment', identity));
      expect(signups.map((e) => e.state.current), 'signup-handler executions').toEqual(['SUCCESS']);
      expect(assessments.map((e) => e.state.current), 'assessment-handler executions').toEqual(['SUCCESS']);
      return [signups[0]!, assessments[0]!];
    });
    expect(signupRun.id).not.toBe(assessmentRun.id);

    await test.step('the contact is in Notion once, with the segment of SPEC §3', async () => {
      const contacts = await notion.contacts(identity);
      expect(contacts, `contacts for ${identity}`).toHaveLength(1);
      expect(contacts[0]).toMatchObject({ email: identity, firstName: data.firstName, businessName: data.businessName, segment: expectedSegment('assessment', assessment) });
    });

    await test.step('Email #1 is the website’s: in Resend once, tracked sent by website at email_1_sent_at', async () => {
      const outbox = stack.resend.outbox().filter((e) => e.to.includes(identity));
      const own = websiteEmails('5day');
      expect(outbox, 'emails accepted by Resend so far: the website\'s own').toHaveLength(own.length);
      expect(outbox[0]).toMatchObject({ from: SENDER, idempotencyKey: idempotencyKey(identity, '5day', own[0]!.number) });
      const tracker = await notion.trackerPages(identity, '5day');
      const website = tracker.filter((p) => p.sentBy === 'website');
      const arrival = new Date(assessmentRun.state.startDate ?? Date.now());
      expect(website.map((p) => ({ sequence: p.sequence, number: p.number, status: p.status, sentAt: iso(p.sentAt) })), 'tracker pages of the website\'s emails (Sent At = email_1_sent_at)').toEqual(expectedWebsitePages('assessment', assessment, arrival));
    });

    await test.step('Emails #2–#5 are scheduled from email_1_sent_at (SPEC §2), never #1', async () => {
      const arrival = new Date(assessmentRun.state.startDate ?? Date.now());
      const expected = expectedSends('assessment', assessment, arrival, 'production');
      const sends = scheduledSendsOf(await kestra.findChildren(assessmentRun.id, { descendants: true }));
      expectChecks(scheduleChecks(sends, expected, identity, SCHEDULE_TOLERANCE_MS));
      expect(sends.map((s) => s.emailNumber)).toEqual(kestraEmails('5day').map((e) => e.number));
      const tracker = (await notion.trackerPages(identity, '5day')).filter((p) => p.sentBy === 'kestra');
      expect(tracker.map((p) => [p.number, p.status])).toEqual(kestraEmails('5day').map((e) => [e.number, 'scheduled']));
    });
  });

  test('puppeteer: a double submit leaves one contact and one schedule', async ({ openDriver, runFunnel, identity, stack, kestra, notion, funnelSite }) => {
    const report = await runFunnel(await openDriver('puppeteer'), funnelJourney(journeyDataFor(identity), { doubleSubmit: true }));
    await stack.kestra.settle();
    await new Promise((r) => setTimeout(r, 300));
    await stack.kestra.settle();

    expect(report.webhooks.map((w) => w.name), 'webhooks the page posted').toEqual(['signup', 'assessment']);
    expect(funnelSite.sentEmails(), 'Email #1 sends').toHaveLength(1);
    const assessments = await terminal(kestra, await handlerExecutions(kestra, 'assessment', identity));
    expect(assessments.map((e) => e.state.current)).toEqual(['SUCCESS']);
    expect(await notion.contacts(identity), 'contacts').toHaveLength(1);
    const sends = scheduledSendsOf(await kestra.findChildren(assessments[0]!.id, { descendants: true }));
    expect(sends.map((s) => s.emailNumber), 'one schedule').toEqual(kestraEmails('5day').map((e) => e.number));
    const tracker = await notion.trackerPages(identity, '5day');
    expect(tracker.map((p) => p.number).sort(), 'one tracker page per email').toEqual([...websiteEmails('5day'), ...kestraEmails('5day')].map((e) => e.number).sort());
  });
});
