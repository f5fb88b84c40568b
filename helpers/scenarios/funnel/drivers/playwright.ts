/**
 * The funnel page object for Playwright: accessible locators (getByLabel / getByRole, exact names),
 * webhook capture from the page's own network events.
 *
 *   const driver = playwrightDriver(page);   // a Page from the test fixture or from launchPlaywright()
 */
import { writeFile } from 'node:fs/promises';
import type { Locator, Page, Request } from 'playwright-core';
import { type CapturedWebhook, type FunnelDriver, parseBody, RESPONSE_BODY_LIMIT, settlePending } from '../driver.js';
import type { FunnelWebhook } from '../../../spec/index.js';
import { describeSelector, type Selector } from '../selectors.js';

export function playwrightDriver(page: Page): FunnelDriver {
  const records: CapturedWebhook[] = [];
  let pending = 0;
  let capturing = false;

  function locate(s: Selector): Locator {
    if ('label' in s) return page.getByLabel(s.label, { exact: true });
    if ('group' in s) return page.getByRole('radiogroup', { name: s.group, exact: true });
    if ('css' in s) return page.locator(s.css);
    return s.name ? page.getByRole(s.role, { name: s.name, exact: true }) : page.getByRole(s.role);
  }

  async function onRequest(request: Request, match: (url: string) => FunnelWebhook | null): Promise<void> {
    if (request.method() !== 'POST') return;
    const name = match(request.url());
    if (!name) return;
    const postData = request.postData();
    const record: CapturedWebhook = {
      name,
      url: request.url(),
      method: request.method(),
      postData,
      body: parseBody(postData),
      contentType: request.headers()['content-type'] ?? null,
      at: Date.now(),
      status: null,
    };
    records.push(record);
    pending++;
    try {
      const response = await request.response();
      if (response) {
        record.status = response.status();
        record.responseBody = await response
          .text()
          .then((t) => t.slice(0, RESPONSE_BODY_LIMIT))
          .catch(() => undefined);
      } else {
        record.failure = request.failure()?.errorText ?? 'no response';
      }
    } catch (error) {
      record.failure = request.failure()?.errorText ?? (error as Error).message;
    } finally {
      pending--;
    }
  }

  return {
    name: 'playwright',
    async goto(url) {
      await page.goto(url, { waitUntil: 'load' });
    },
    async fill(field, value) {
      await locate(field).fill(value);
    },
    async choose(choice, option) {
      const control = locate(choice);
      if ('group' in choice) await control.getByRole('radio', { name: option, exact: true }).check();
      else await control.selectOption({ label: option });
    },
    async click(target, opts = {}) {
      await locate(target).click({ clickCount: opts.count ?? 1 });
    },
    async waitForVisible(target, timeoutMs) {
      try {
        await locate(target).first().waitFor({ state: 'visible', timeout: timeoutMs });
      } catch {
        throw new Error(`${describeSelector(target)} did not become visible within ${timeoutMs} ms on ${page.url()}`);
      }
    },
    async textOf(target) {
      return (await locate(target).first().innerText()).trim();
    },
    async visibleErrors(target) {
      const texts: string[] = [];
      for (const element of await locate(target).all()) {
        if (!(await element.isVisible())) continue;
        const text = (await element.innerText()).trim();
        if (text) texts.push(text);
      }
      return texts;
    },
    async screenshot(path) {
      // Chromium mis-targets the next click after a full-page capture taken from a scrolled
      // position; capturing from the top and scrolling back avoids it.
      const scrolled = await page.evaluate(() => {
        const at = { x: window.scrollX, y: window.scrollY };
        window.scrollTo(0, 0);
        return at;
      });
      const png = await page.screenshot({ fullPage: true });
      await page.evaluate(({ x, y }) => window.scrollTo(x, y), scrolled);
      if (path) await writeFile(path, png);
      return png;
    },
    captureWebhooks(match) {
      if (capturing) throw new Error('playwright driver: webhook capture is already on');
      capturing = true;
      page.on('request', (request) => void onRequest(request, match));
    },
    captured() {
      return records.map((r) => ({ ...r }));
    },
    async settle(timeoutMs) {
      await settlePending(() => pending, timeoutMs);
    },
  };
}
