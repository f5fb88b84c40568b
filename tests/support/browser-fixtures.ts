/**
 * The worker-scoped browser every e2e spec shares, declared once so that a worker can run the
 * funnel specs and the webhook specs alike: Playwright gives a worker to specs whose worker
 * fixtures are the same set, so tests/support/e2e-fixtures.ts extends this and
 * tests/support/funnel-fixtures.ts extends that (test-scoped fixtures only). Two different sets
 * meant two more e2e workers, each ~3 s to start.
 *
 * Nothing here starts before a test asks for it: a worker that runs only webhook specs never
 * launches Chromium.
 *
 * One Chromium per worker serves both drivers: Puppeteer launches it (puppeteer-core can only
 * drive a browser it launched or one with a DevTools endpoint), and Playwright's worker-scoped
 * `browser` connects to the same process over CDP — one browser start per worker, not two.
 */
import { test as base, chromium } from '@playwright/test';
import puppeteer, { type Browser } from 'puppeteer-core';
import { CHROMIUM_ARGS } from '../../helpers/scenarios/funnel/chromium.js';
import { chromiumExecutable } from '../../helpers/scenarios/funnel/browsers.js';

export interface BrowserWorkerFixtures {
  /** The worker's Chromium as Puppeteer sees it, launched on first call. */
  puppeteerBrowser: () => Promise<Browser>;
}

export const browserTest = base.extend<{}, BrowserWorkerFixtures>({
  puppeteerBrowser: [
    async ({}, use) => {
      let launched: Promise<Browser> | undefined;
      await use(() => {
        launched ??= (async () => {
          const executablePath = chromiumExecutable();
          if (!executablePath) throw new Error('puppeteer-core needs a Chromium executable: set CHROMIUM_PATH or install chromium');
          return puppeteer.launch({ executablePath, args: CHROMIUM_ARGS, headless: true, defaultViewport: { width: 1280, height: 900 } });
        })();
        return launched;
      });
      if (launched) await (await launched).close();
    },
    { scope: 'worker' },
  ],
  // Playwright's own browser fixture, replaced: the same Chromium, reached over its DevTools endpoint.
  browser: [
    async ({ puppeteerBrowser }, use) => {
      const shared = await puppeteerBrowser();
      const browser = await chromium.connectOverCDP(shared.wsEndpoint());
      await use(browser);
      await browser.close();
    },
    { scope: 'worker' },
  ],
});
