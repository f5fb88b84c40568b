import { defineConfig } from '@playwright/test';
import { chromium } from '@playwright/test';
import { resolveChromium, CHROMIUM_ARGS } from './helpers/scenarios/funnel/chromium.js';

const browser = resolveChromium(process.env, undefined, () => {
  try {
    return chromium.executablePath();
  } catch {
    return undefined;
  }
});
const launchOptions =
  browser.kind === 'path' ? { executablePath: browser.path, args: CHROMIUM_ARGS } : { args: CHROMIUM_ARGS };
// Unit specs need no browser: say once, in the runner's own process, why browser specs will fail.
if (browser.kind === 'missing' && process.env.TEST_WORKER_INDEX === undefined) process.stderr.write(`chromium: ${browser.message}\n`);

export default defineConfig({
  outputDir: 'test-results',
  globalSetup: './helpers/tools/report/global-setup.ts',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  // Playwright's default is half the cores: one worker on a 2-core machine, which then sits idle
  // whenever a spec waits on a child process, a browser or a server. One worker per core instead.
  workers: '100%',
  reporter: [
    [process.env.CI ? 'line' : 'list'],
    ['./helpers/tools/report/allure-reporter.ts', { resultsDir: 'reports/allure-results', detail: false, suiteTitle: true }],
    ['./helpers/tools/report/summary-line-reporter.ts'],
  ],
  projects: [
    {
      name: 'unit',
      testDir: 'tests/unit',
      timeout: 30_000,
    },
    {
      name: 'e2e',
      testDir: 'tests/e2e',
      timeout: 120_000,
      use: {
        browserName: 'chromium',
        headless: true,
        launchOptions,
        // A failed test keeps its trace — every action with its timing and error, the network,
        // the console, the sources — without the screencast or the DOM snapshots. The screencast
        // made Chromium encode frames through every browser test (about a quarter of its CPU in
        // funnel.spec.ts); the snapshots serialised the DOM around every action of every test,
        // passing or not (about 5 s of CPU, a sixth of funnel.spec.ts). What they showed is kept
        // cheaper: each journey step attaches a full-page screenshot, and a failure adds one.
        trace: { mode: 'retain-on-failure', screenshots: false, snapshots: false },
        screenshot: 'only-on-failure',
      },
    },
  ],
});
