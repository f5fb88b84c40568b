/**
 * Starting a headless Chromium outside the test runner (the probe; the Puppeteer specs), the same
 * way playwright.config.ts does: $CHROMIUM_PATH, else the system Chromium — never a download.
 *
 *   const session = await openBrowser('puppeteer');
 *   await runJourney(session.driver, journey, {...});
 *   await session.close();
 */
import { createRequire } from 'node:module';
import { CHROMIUM_ARGS, resolveChromium } from './chromium.js';
import type { DriverName, FunnelDriver } from './driver.js';
import { playwrightDriver } from './drivers/playwright.js';
import { puppeteerDriver } from './drivers/puppeteer.js';

export interface BrowserSession {
  driver: FunnelDriver;
  close(): Promise<void>;
}

const VIEWPORT = { width: 1280, height: 900 };

// Each browser library is loaded only when it is used: playwright-core alone is ~1 s of CPU to
// load, a fifth of a Puppeteer-driven probe run.
const require = createRequire(import.meta.url);
const playwrightChromium = (): typeof import('playwright-core').chromium => (require('playwright-core') as typeof import('playwright-core')).chromium;

function playwrightBundledPath(): string | undefined {
  try {
    return playwrightChromium().executablePath();
  } catch {
    return undefined;
  }
}

/** The Chromium executable to launch; throws the install hint when there is none. */
export function chromiumExecutable(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const choice = resolveChromium(env, undefined, playwrightBundledPath);
  if (choice.kind === 'missing') throw new Error(choice.message);
  return choice.kind === 'path' ? choice.path : playwrightBundledPath();
}

export async function openBrowser(driver: DriverName, env: NodeJS.ProcessEnv = process.env): Promise<BrowserSession> {
  const executablePath = chromiumExecutable(env);
  if (driver === 'puppeteer') {
    if (!executablePath) throw new Error('puppeteer-core needs a Chromium executable: set CHROMIUM_PATH or install chromium');
    const { default: puppeteer } = await import('puppeteer-core');
    const browser = await puppeteer.launch({ executablePath, args: CHROMIUM_ARGS, headless: true, defaultViewport: VIEWPORT });
    const page = await browser.newPage();
    return { driver: puppeteerDriver(page), close: () => browser.close() };
  }
  const browser = await playwrightChromium().launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  return { driver: playwrightDriver(page), close: () => browser.close() };
}
