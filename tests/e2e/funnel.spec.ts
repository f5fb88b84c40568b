/**
 * The website funnel, page side (issue §3, §4): the fixture site driven as a visitor would, through
 * Playwright AND Puppeteer, with every webhook the page posts captured in the browser and judged
 * against the spec's schemas. Needs only the fixture site and a capture-only backend.
 * (tests/e2e/funnel-stack.spec.ts follows the same funnel into Kestra, Notion and Resend.)
 */
import { labelBehaviour } from '../../helpers/tools/report/labels.js';
import { funnelTest as test, expect } from '../support/funnel-fixtures.js';
import {
  comparableCaptures, DRIVER_NAMES, emailOneTimingProblems, expectedPayloads, funnelJourney, invalidEmailJourney, journeyDataFor, judgeWebhooks,
  missingFirstNameJourney, ProductionRefusedError, resolveTarget, type JourneyReport,
} from '../../helpers/scenarios/funnel/index.js';
import { FUNNEL_URLS, SENDER } from '../../helpers/spec/index.js';

/** Long enough for a stray second request to show up after the page settled. */
const QUIET_MS = 400;

function submittedAt(report: JourneyReport): number {
  const step = report.steps.find((s) => s.name === 'complete the assessment');
  if (!step) throw new Error('the report has no "complete the assessment" step');
  return step.startedAt;
}

test.describe('website funnel on the fixture site', { tag: '@funnel' }, () => {
  test.beforeEach(async ({}, testInfo) => labelBehaviour({ epic: 'Website funnel', feature: 'journey on the fixture site', story: testInfo.title }));

  // Both drivers in one test: each journey is judged on what arrived since it began, then the two
  // drivers' captures are compared. (A separate parity test re-ran both journeys: 9 s of the suite.)
  test('Playwright and Puppeteer: a visitor completes the funnel; the page posts valid webhooks, Email #1 goes first, and both drivers capture the same payloads', async ({ openDriver, runFunnel, runId, funnelSite, captureStub }, testInfo) => {
    const captures: ReturnType<typeof comparableCaptures>[] = [];
    for (const driverName of DRIVER_NAMES) {
      const identity = `lengobaosang+${runId}-${driverName}@gmail.com`;
      const data = journeyDataFor(identity);
      const before = { received: captureStub.received().length, sent: funnelSite.sentEmails().length, outbox: captureStub.emails().length };
      const driver = await openDriver(driverName);
      const report = await runFunnel(driver, funnelJourney(data));

      await test.step(`${driverName}: the page posted signup, then assessment — once each, answered 200`, async () => {
        expect(report.webhooks.map((w) => w.name)).toEqual(['signup', 'assessment']);
        expect(report.webhooks.map((w) => w.status)).toEqual([200, 200]);
      });

      await test.step(`${driverName}: each body is valid under the spec schema and carries the visitor’s answers`, async () => {
        expect(judgeWebhooks(report.webhooks)).toEqual([
          { name: 'signup', status: 200, valid: true },
          { name: 'assessment', status: 200, valid: true },
        ]);
        const expected = expectedPayloads(data);
        expect(report.webhooks[0]!.body).toMatchObject(expected.signup);
        expect(report.webhooks[1]!.body).toMatchObject(expected.assessment);
      });

      await test.step(`${driverName}: what reached the webhook endpoints is what the browser sent`, async () => {
        expect(captureStub.received().slice(before.received).map((r) => ({ name: r.name, body: r.body }))).toEqual(report.webhooks.map((w) => ({ name: w.name, body: w.body })));
      });

      await test.step(`${driverName}: Email #1 was sent by the website before the webhook, and email_1_sent_at is its send time`, async () => {
        const sent = funnelSite.sentEmails().slice(before.sent);
        expect(sent).toHaveLength(1);
        expect(sent[0]).toMatchObject({ to: identity, status: 'sent' });
        const outbox = captureStub.emails().slice(before.outbox);
        expect(outbox).toHaveLength(1);
        expect(outbox[0]).toMatchObject({ from: SENDER, to: [identity], idempotencyKey: `5day-1-${identity}` });
        const assessment = report.webhooks[1]!;
        expect(emailOneTimingProblems({ assessment, submittedAt: submittedAt(report), websiteSentAt: sent[0]!.sentAt })).toEqual([]);
        // Resend had accepted it by then: the anchor Kestra schedules from is never before the real send.
        expect(Date.parse(sent[0]!.sentAt!)).toBeGreaterThanOrEqual(outbox[0]!.at);
      });

      await test.step(`${driverName}: a screenshot per step is attached`, async () => {
        const shots = testInfo.attachments.filter((a) => a.contentType === 'image/png' && a.name.startsWith(driverName));
        expect(shots.map((a) => a.name)).toEqual(report.steps.map((s, i) => `${driverName} ${String(i + 1).padStart(2, '0')} ${s.name}`));
      });
      captures.push(comparableCaptures(report.webhooks));
    }

    await test.step('both drivers captured the same payloads (run-specific fields masked)', async () => {
      expect(captures[0]).toHaveLength(2);
      expect(captures[1], 'puppeteer captures (run-specific fields masked) equal playwright’s').toEqual(captures[0]);
    });
  });

  for (const driverName of DRIVER_NAMES) {
    test(`${driverName}: an invalid email shows the error and fires no webhook`, async ({ openDriver, runFunnel, identity, funnelSite, captureStub }) => {
      const driver = await openDriver(driverName);
      const report = await runFunnel(driver, invalidEmailJourney(journeyDataFor(identity)));
      expect(report.ok).toBe(true);
      const errors = await driver.visibleErrors(resolveTarget('local').selectors.errors);
      expect(errors.join(' ')).toContain('Enter a valid email address');
      await new Promise((r) => setTimeout(r, QUIET_MS));
      expect(driver.captured(), 'webhook requests made by the page').toEqual([]);
      expect(captureStub.received()).toEqual([]);
      expect(funnelSite.sentEmails()).toEqual([]);
    });
  }

  test('playwright: a missing first name is named in the error; nothing is posted', async ({ openDriver, runFunnel, identity, captureStub }) => {
    const driver = await openDriver('playwright');
    await runFunnel(driver, missingFirstNameJourney(journeyDataFor(identity)));
    await new Promise((r) => setTimeout(r, QUIET_MS));
    expect(driver.captured()).toEqual([]);
    expect(captureStub.received()).toEqual([]);
  });

  for (const driverName of DRIVER_NAMES) {
    test(`${driverName}: a double submit posts each webhook once and sends Email #1 once`, async ({ openDriver, runFunnel, identity, funnelSite, captureStub }) => {
      const driver = await openDriver(driverName);
      await runFunnel(driver, funnelJourney(journeyDataFor(identity), { doubleSubmit: true }));
      await new Promise((r) => setTimeout(r, QUIET_MS));
      await driver.settle(5_000);
      expect(driver.captured().map((w) => w.name)).toEqual(['signup', 'assessment']);
      expect(captureStub.received().map((r) => r.name)).toEqual(['signup', 'assessment']);
      expect(funnelSite.sentEmails()).toHaveLength(1);
      expect(captureStub.emails()).toHaveLength(1);
    });
  }

  test('the recipient guard refuses a non-test address before the browser does anything', async ({ openDriver, runFunnel, page, captureStub }) => {
    const driver = await openDriver('playwright');
    await expect(runFunnel(driver, funnelJourney(journeyDataFor('someone@example.com')))).rejects.toThrow(/refusing recipient "someone@example.com"/);
    expect(page.url()).toBe('about:blank');
    expect(captureStub.received()).toEqual([]);
  });

  test('the production website is refused without the opt-in, before the browser opens it', async ({ openDriver, runFunnel, page, identity }) => {
    const driver = await openDriver('playwright');
    const journey = funnelJourney(journeyDataFor(identity));
    const env = { ...process.env, FUNNEL_ALLOW_PRODUCTION: undefined };
    await expect(runFunnel(driver, journey, { url: FUNNEL_URLS.production, target: resolveTarget('production'), env })).rejects.toThrow(ProductionRefusedError);
    expect(page.url()).toBe('about:blank');
  });
});
