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
 * One Chromium per worker serves both drivers. Playwright launches it (its own pipe transport, the
 * project's launchOptions) with a DevTools port open too, and Puppeteer connects to that port on
 * first use. The other way round — Puppeteer launching, Playwright connecting over CDP — cost about
 * 2 s more CPU per funnel.spec.ts run: Playwright's WebSocket compresses every CDP message
 * (permessage-deflate, in Chromium and in the worker), and a CDP-connected Playwright also
 * instruments every page Puppeteer opens.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test as base, type Browser as PlaywrightBrowser } from '@playwright/test';
import type { Browser } from 'puppeteer-core';

export interface BrowserWorkerFixtures {
  /** The worker's Chromium as Puppeteer sees it, connected on first call. */
  puppeteerBrowser: () => Promise<Browser>;
}

export const PUPPETEER_VIEWPORT = { width: 1280, height: 900 };

/**
 * The DevTools WebSocket URL of a Chromium started with --remote-debugging-port=0: Chromium writes
 * the port it took, and the browser target's path, to DevToolsActivePort in its profile directory,
 * whose path its command line gives (Browser.getBrowserCommandLine needs --enable-automation).
 */
async function devtoolsEndpoint(browser: PlaywrightBrowser): Promise<string> {
  const cdp = await browser.newBrowserCDPSession();
  const { arguments: argv } = await cdp.send('Browser.getBrowserCommandLine');
  await cdp.detach();
  const profile = argv.find((a) => a.startsWith('--user-data-dir='))?.slice('--user-data-dir='.length);
  if (!profile) throw new Error(`Chromium's command line names no --user-data-dir: ${argv.join(' ')}`);
  const file = join(profile, 'DevToolsActivePort');
  // Written once the DevTools server listens, which may be a moment after the pipe is up.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const [port, path] = (await readFile(file, 'utf8').catch(() => '')).trim().split('\n');
    if (port && path) return `ws://127.0.0.1:${port}${path}`;
    if (Date.now() > deadline) throw new Error(`${file}: Chromium wrote no DevTools port within 10 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const browserTest = base.extend<{}, BrowserWorkerFixtures>({
  // Playwright's own browser fixture, replaced only to open the DevTools port Puppeteer needs.
  browser: [
    async ({ playwright, browserName, launchOptions, headless }, use) => {
      const args = [...(launchOptions.args ?? []), '--remote-debugging-port=0', '--enable-automation'];
      const browser = await playwright[browserName].launch({ ...launchOptions, headless, args });
      await use(browser);
      await browser.close();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  puppeteerBrowser: [
    async ({ browser }, use) => {
      let connected: Promise<Browser> | undefined;
      await use(() =>
        (connected ??= (async () => {
          // Loaded on first use: the webhook specs (npm run verify runs them alone) never pay its ~0.4 s.
          const { default: puppeteer } = await import('puppeteer-core');
          return puppeteer.connect({ browserWSEndpoint: await devtoolsEndpoint(browser), defaultViewport: PUPPETEER_VIEWPORT });
        })()),
      );
      // Playwright closes the browser; Puppeteer only lets go of it.
      if (connected) await (await connected).disconnect();
    },
    { scope: 'worker' },
  ],
});
