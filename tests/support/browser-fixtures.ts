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
 *
 * Built on `_baseTest` (as tests/support/unit-test.ts), with our own `browser`, `context` and `page`:
 * `test` from @playwright/test sets up about forty fixtures around every test — the option fixtures,
 * 'context configuration' and 'trace recording' — each a boxed step whose stack Playwright captures
 * and source-maps, even for the webhook specs that never open a page (about 2.3 s of CPU per
 * `npm run verify`). What the browser tests had from them is kept here: the project's
 * `browserName`, `headless`, `launchOptions`, `trace` and `screenshot` options (playwright.config.ts),
 * a fresh context per test with @playwright/test's context defaults, its trace (actions, network,
 * console, sources) kept on failure, and on failure a screenshot of each of its pages and the
 * error context (errors and the page's ARIA snapshot).
 * Playwright's API calls no longer appear as report steps; the journey steps (test.step) still do.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  _baseTest, chromium, firefox, webkit, type Browser as PlaywrightBrowser, type BrowserContext, type Page, type PlaywrightWorkerOptions, type TestInfo,
} from '@playwright/test';
import type { Browser } from 'puppeteer-core';

type BrowserOptions = Pick<PlaywrightWorkerOptions, 'browserName' | 'headless' | 'launchOptions' | 'trace' | 'screenshot'>;

export interface BrowserWorkerFixtures extends BrowserOptions {
  browser: PlaywrightBrowser;
  /** The worker's Chromium as Puppeteer sees it, connected on first call. */
  puppeteerBrowser: () => Promise<Browser>;
}

export interface BrowserTestFixtures {
  /** A fresh context per test, traced as the project's `trace` option says. */
  context: BrowserContext;
  page: Page;
}

export const PUPPETEER_VIEWPORT = { width: 1280, height: 900 };

/** The context options @playwright/test's `context` fixture gives where the library's defaults differ. */
const CONTEXT_DEFAULTS = { locale: 'en-US' } as const;

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

/** The trace and screenshot modes implemented here; another one in playwright.config.ts is refused by name. */
function artifactModes(trace: BrowserOptions['trace'], screenshot: BrowserOptions['screenshot']) {
  const traceOptions = typeof trace === 'string' ? { mode: trace } : trace;
  const shotMode = typeof screenshot === 'string' ? screenshot : screenshot.mode;
  if (!['off', 'on', 'retain-on-failure'].includes(traceOptions.mode)) {
    throw new Error(`tests/support/browser-fixtures.ts: trace mode '${traceOptions.mode}' is not implemented (off, on, retain-on-failure)`);
  }
  if (!['off', 'on', 'only-on-failure'].includes(shotMode)) {
    throw new Error(`tests/support/browser-fixtures.ts: screenshot mode '${shotMode}' is not implemented (off, on, only-on-failure)`);
  }
  const snapshots = 'snapshots' in traceOptions ? traceOptions.snapshots : undefined;
  return {
    trace: traceOptions.mode,
    screenshot: shotMode,
    tracing: {
      screenshots: 'screenshots' in traceOptions ? (traceOptions.screenshots ?? true) : true,
      snapshots: snapshots === undefined ? true : typeof snapshots === 'boolean' ? snapshots : snapshots.dom !== false,
      sources: 'sources' in traceOptions ? (traceOptions.sources ?? true) : true,
    },
  };
}

/**
 * `error-context.md`, as @playwright/test writes it for a failed browser test: where the test
 * failed, its errors, and the ARIA snapshot of the page it was on (what `Error Context:` points to).
 */
async function attachErrorContext(context: BrowserContext, testInfo: TestInfo): Promise<void> {
  const page = context.pages().at(-1);
  const snapshot = page ? await page.locator('body').ariaSnapshot({ timeout: 5_000 }).catch(() => undefined) : undefined;
  const lines = [`# Test info`, '', `- Name: ${testInfo.titlePath.slice(1).join(' >> ')}`, `- Location: ${testInfo.file}:${testInfo.line}:${testInfo.column}`, ''];
  const plain = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');
  lines.push('# Error details', '', ...testInfo.errors.map((e) => ['```', plain(e.message ?? e.value ?? ''), '```', ''].join('\n')));
  if (snapshot !== undefined) lines.push('# Page snapshot', '', '```yaml', snapshot, '```', '');
  const path = testInfo.outputPath('error-context.md');
  await writeFile(path, lines.join('\n'), 'utf8');
  await testInfo.attach('error-context', { path, contentType: 'text/markdown' });
}

/** Screenshots of the context's pages, attached as Playwright names them; a page that cannot be shot is skipped. */
async function attachScreenshots(context: BrowserContext, testInfo: TestInfo): Promise<void> {
  for (const [i, page] of context.pages().entries()) {
    const path = testInfo.outputPath(`test-${testInfo.status === testInfo.expectedStatus ? 'finished' : 'failed'}-${i + 1}.png`);
    if (await page.screenshot({ path, timeout: 5_000 }).then(() => true, () => false)) await testInfo.attach('screenshot', { path, contentType: 'image/png' });
  }
}

export const browserTest = _baseTest.extend<BrowserTestFixtures, BrowserWorkerFixtures>({
  browserName: ['chromium', { scope: 'worker', option: true }],
  headless: [true, { scope: 'worker', option: true }],
  launchOptions: [{}, { scope: 'worker', option: true }],
  trace: ['off', { scope: 'worker', option: true }],
  screenshot: ['off', { scope: 'worker', option: true }],
  // Launched on first use: a worker that runs only webhook specs never starts Chromium.
  browser: [
    async ({ browserName, launchOptions, headless }, use) => {
      const args = [...(launchOptions.args ?? []), '--remote-debugging-port=0', '--enable-automation'];
      const browser = await { chromium, firefox, webkit }[browserName].launch({ ...launchOptions, headless, args });
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
  context: async ({ browser, trace, screenshot }, use, testInfo) => {
    const modes = artifactModes(trace, screenshot);
    const context = await browser.newContext(CONTEXT_DEFAULTS);
    // As the runner sets it (actionTimeout/navigationTimeout 0): no timeout of its own, the test's bounds it.
    context.setDefaultTimeout(0);
    if (modes.trace !== 'off') await context.tracing.start({ title: testInfo.titlePath.join(' › '), ...modes.tracing });
    await use(context);
    const failed = testInfo.status !== testInfo.expectedStatus;
    if (failed && testInfo.errors.length > 0) await attachErrorContext(context, testInfo);
    if (modes.screenshot === 'on' || (modes.screenshot === 'only-on-failure' && failed)) await attachScreenshots(context, testInfo);
    if (modes.trace === 'on' || (modes.trace === 'retain-on-failure' && failed)) {
      const path = testInfo.outputPath('trace.zip');
      await context.tracing.stop({ path });
      await testInfo.attach('trace', { path, contentType: 'application/zip' });
    } else if (modes.trace !== 'off') await context.tracing.stop();
    await context.close();
  },
  page: async ({ context }, use) => {
    await use(await context.newPage());
  },
});
