/**
 * Playwright fixtures for the funnel specs: a run id and its test identity, the fixture site wired
 * to a capture-only backend, the selectors of the local target, and both drivers.
 *
 *   import { funnelTest as test, expect } from './funnel-fixtures.js';
 *   test('…', async ({ openDriver, runFunnel, identity, funnelSite }) => {
 *     const report = await runFunnel(await openDriver('puppeteer'), funnelJourney(journeyDataFor(identity)));
 *   });
 *
 * A spec that follows the funnel into the local stack overrides `funnelSite` (and `backend`) with
 * `funnelTest.extend(...)`. `runFunnel` wraps every journey step in `test.step()` and attaches each
 * step's screenshot to the report (Allure picks attachments up); Playwright keeps the trace on failure.
 *
 * Built on the e2e specs' fixtures (tests/support/e2e-fixtures.ts) so that one worker runs both
 * kinds: the worker-scoped set, one Chromium shared by both drivers included, is declared once in
 * tests/support/browser-fixtures.ts; everything added here is test-scoped.
 */
import type { BrowserContext as PuppeteerContext } from 'puppeteer-core';
import { test as e2eTest, expect } from './e2e-fixtures.js';
import { newRunId, testIdentityFor } from '../../helpers/spec/index.js';
import { startCaptureStub, type CaptureStub } from '../../helpers/standins/website/capture-stub.js';
import type { DriverName, FunnelDriver } from '../../helpers/scenarios/funnel/driver.js';
import { playwrightDriver } from '../../helpers/scenarios/funnel/drivers/playwright.js';
import { puppeteerDriver } from '../../helpers/scenarios/funnel/drivers/puppeteer.js';
import { type Journey, type JourneyReport, runJourney, type RunJourneyOptions } from '../../helpers/scenarios/funnel/journey.js';
import { resolveTarget, type FunnelTarget } from '../../helpers/scenarios/funnel/selectors.js';
import { startFunnelSite, type FunnelSite } from '../../helpers/standins/website/site.js';

export interface FunnelFixtures {
  /** Unique per test: names the identity and the run's artefacts. */
  runId: string;
  /** `lengobaosang+<run-id>@gmail.com` (SPEC §9). */
  identity: string;
  /** Where the fixture site posts: a capture-only stub unless a spec overrides it. */
  captureStub: CaptureStub;
  funnelSite: FunnelSite;
  funnelTarget: FunnelTarget;
  /** A fresh driver: Playwright on the test's page (then new pages), Puppeteer on a new page in a context of its own. */
  openDriver: (name: DriverName) => Promise<FunnelDriver>;
  /** runJourney against `funnelSite` with a test.step per step, screenshots attached, failures thrown. */
  runFunnel: (driver: FunnelDriver, journey: Journey, opts?: Partial<RunJourneyOptions>) => Promise<JourneyReport>;
}

export const funnelTest = e2eTest.extend<FunnelFixtures>({
  runId: async ({}, use) => {
    await use(newRunId());
  },
  identity: async ({ runId }, use) => {
    await use(testIdentityFor(runId));
  },
  captureStub: async ({}, use) => {
    const stub = await startCaptureStub();
    await use(stub);
    await stub.stop();
  },
  funnelSite: async ({ captureStub }, use) => {
    const site = await startFunnelSite({ webhooks: captureStub.webhooks, resend: captureStub.resend });
    await use(site);
    await site.stop();
  },
  funnelTarget: async ({}, use) => {
    await use(resolveTarget('local'));
  },
  // On `context`, not `page`: a page is a renderer process (~0.5 s of Chromium CPU), which a
  // Puppeteer-only test never uses. The first Playwright driver takes the test's `page` when the
  // test asked for it (it is then the context's first page), else opens one.
  openDriver: async ({ context, puppeteerBrowser }, use) => {
    const puppeteerContexts: PuppeteerContext[] = [];
    let pageTaken = false;
    await use(async (name) => {
      if (name === 'playwright') {
        const target = (!pageTaken && context.pages()[0]) || (await context.newPage());
        pageTaken = true;
        return playwrightDriver(target);
      }
      // Its own browser context, as each Playwright test has: no cookie or storage crosses tests.
      const own = await (await puppeteerBrowser()).createBrowserContext();
      puppeteerContexts.push(own);
      return puppeteerDriver(await own.newPage());
    });
    for (const c of puppeteerContexts) await c.close().catch(() => undefined);
  },
  runFunnel: async ({ funnelSite, funnelTarget }, use, testInfo) => {
    await use((driver, journey, opts = {}) =>
      runJourney(driver, journey, {
        url: funnelSite.url,
        target: funnelTarget,
        step: (name, body) => e2eTest.step(`${driver.name}: ${name}`, body),
        onScreenshot: async ({ step, index, png }) => {
          await testInfo.attach(`${driver.name} ${String(index + 1).padStart(2, '0')} ${step}`, { body: png, contentType: 'image/png' });
        },
        rethrow: true,
        ...opts,
      }),
    );
  },
});

export { expect };
