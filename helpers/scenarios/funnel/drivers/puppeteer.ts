/**
 * The funnel page object for Puppeteer: elements found through Chromium's accessibility tree
 * (`aria/<name>[role="…"]` queries — the same label/role/name the Playwright driver uses), webhook
 * capture from the page's network events.
 *
 *   const driver = puppeteerDriver(page);   // a puppeteer-core Page (see launchPuppeteer())
 */
import { writeFile } from 'node:fs/promises';
import type { ElementHandle, HTTPRequest, HTTPResponse, Page } from 'puppeteer-core';
import { type CapturedWebhook, type FunnelDriver, parseBody, pollUntil, RESPONSE_BODY_LIMIT, settlePending } from '../driver.js';
import type { FunnelWebhook } from '../../../spec/index.js';
import { describeSelector, type Selector } from '../selectors.js';

const DEFAULT_TIMEOUT_MS = 10_000;
const FORM_CONTROLS = new Set(['INPUT', 'SELECT', 'TEXTAREA']);

/** `aria/<name>[role="<role>"]`, Puppeteer's accessibility-tree query. */
function ariaQuery(name: string | undefined, role?: string): string {
  return `aria/${name ?? ''}${role ? `[role="${role}"]` : ''}`;
}

export function puppeteerDriver(page: Page, opts: { timeoutMs?: number } = {}): FunnelDriver {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const records: CapturedWebhook[] = [];
  const byRequest = new Map<HTTPRequest, CapturedWebhook>();
  let pending = 0;
  let capturing = false;

  /** Every element the selector names, in document order. */
  async function all(s: Selector): Promise<ElementHandle[]> {
    if ('css' in s) return page.$$(s.css);
    if ('group' in s) return page.$$(ariaQuery(s.group, 'radiogroup'));
    if ('role' in s) return page.$$(ariaQuery(s.name, s.role));
    // A label names a form control (the <label> element itself is not what we want).
    const found = await page.$$(ariaQuery(s.label));
    const controls: ElementHandle[] = [];
    for (const handle of found) {
      if (FORM_CONTROLS.has(await handle.evaluate((el) => el.tagName))) controls.push(handle);
      else void handle.dispose();
    }
    return controls;
  }

  async function one(s: Selector, visible = false): Promise<ElementHandle> {
    return pollUntil(
      async () => {
        for (const handle of await all(s)) if (!visible || (await handle.isVisible())) return handle;
        return undefined;
      },
      timeoutMs,
      () => `puppeteer driver: no ${visible ? 'visible ' : ''}element for ${describeSelector(s)} on ${page.url()}`,
    );
  }

  function onRequest(request: HTTPRequest, match: (url: string) => FunnelWebhook | null): void {
    if (request.method() !== 'POST') return;
    const name = match(request.url());
    if (!name) return;
    const record: CapturedWebhook = {
      name,
      url: request.url(),
      method: request.method(),
      postData: null,
      body: undefined,
      contentType: request.headers()['content-type'] ?? null,
      at: Date.now(),
      status: null,
    };
    records.push(record);
    byRequest.set(request, record);
    pending += 2; // the body, then the response
    request
      .fetchPostData()
      .then((postData) => {
        record.postData = postData ?? null;
        record.body = parseBody(postData);
      })
      .catch(() => undefined)
      .finally(() => pending--);
  }

  async function onResponse(response: HTTPResponse): Promise<void> {
    const record = byRequest.get(response.request());
    if (!record) return;
    byRequest.delete(response.request()); // answered: a later failure (reading an opaque body) is not the request's
    record.status = response.status();
    try {
      record.responseBody = (await response.text()).slice(0, RESPONSE_BODY_LIMIT);
    } catch {
      // an opaque (no-cors) response has no body the page may read
    } finally {
      pending--;
    }
  }

  function onRequestFailed(request: HTTPRequest): void {
    const record = byRequest.get(request);
    if (!record) return;
    byRequest.delete(request);
    record.failure = request.failure()?.errorText ?? 'request failed';
    pending--;
  }

  return {
    name: 'puppeteer',
    async goto(url) {
      await page.goto(url, { waitUntil: 'load', timeout: timeoutMs * 3 });
    },
    async fill(field, value) {
      const control = await one(field, true);
      // Focus and select as a person would, clear, then enter the text in one input event — what
      // Playwright's fill() does (Input.insertText). Typing key by key (ElementHandle.type) cost
      // ~1 s of Chromium CPU per journey and the page listens to no key events.
      await control.click({ count: 3 });
      await control.evaluate((el) => {
        if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) el.value = '';
      });
      if (value) await page.keyboard.sendCharacter(value);
    },
    async choose(choice, option) {
      const control = await one(choice, true);
      if ('group' in choice) {
        const radio = await pollUntil(
          async () => (await control.$(ariaQuery(option, 'radio'))) ?? undefined,
          timeoutMs,
          () => `puppeteer driver: no radio "${option}" in ${describeSelector(choice)}`,
        );
        await radio.click();
        return;
      }
      const value = await control.evaluate((el, label) => {
        if (!(el instanceof HTMLSelectElement)) return { error: `is a <${el.tagName.toLowerCase()}>, not a <select>` };
        const found = [...el.options].find((o) => o.label.trim() === label || o.text.trim() === label);
        return found ? { value: found.value } : { error: `has no option "${label}"` };
      }, option);
      if ('error' in value) throw new Error(`puppeteer driver: ${describeSelector(choice)} ${value.error}`);
      await control.select(value.value);
    },
    async click(target, opts = {}) {
      const element = await one(target, true);
      await element.click({ count: opts.count ?? 1 });
    },
    async waitForVisible(target, waitMs) {
      try {
        await pollUntil(
          async () => {
            for (const handle of await all(target)) if (await handle.isVisible()) return true;
            return undefined;
          },
          waitMs,
          () => '',
        );
      } catch {
        throw new Error(`${describeSelector(target)} did not become visible within ${waitMs} ms on ${page.url()}`);
      }
    },
    async textOf(target) {
      const element = await one(target);
      return ((await element.evaluate((el) => (el as HTMLElement).innerText)) ?? '').trim();
    },
    async visibleErrors(target) {
      const texts: string[] = [];
      for (const element of await all(target)) {
        if (!(await element.isVisible())) continue;
        const text = ((await element.evaluate((el) => (el as HTMLElement).innerText)) ?? '').trim();
        if (text) texts.push(text);
      }
      return texts;
    },
    async screenshot(path) {
      // As in the Playwright driver: capture from the top, then scroll back (Chromium otherwise
      // mis-targets the next click after a full-page capture from a scrolled position).
      const scrolled = await page.evaluate(() => {
        const at = { x: window.scrollX, y: window.scrollY };
        window.scrollTo(0, 0);
        return at;
      });
      // optimizeForSpeed: Chromium's fast PNG encoder — larger files, about half the encoding CPU.
      const png = Buffer.from(await page.screenshot({ fullPage: true, optimizeForSpeed: true }));
      await page.evaluate(({ x, y }) => window.scrollTo(x, y), scrolled);
      if (path) await writeFile(path, png);
      return png;
    },
    captureWebhooks(match) {
      if (capturing) throw new Error('puppeteer driver: webhook capture is already on');
      capturing = true;
      page.on('request', (request) => onRequest(request, match));
      page.on('response', (response) => void onResponse(response));
      page.on('requestfailed', onRequestFailed);
    },
    captured() {
      return records.map((r) => ({ ...r }));
    },
    async settle(waitMs) {
      await settlePending(() => pending, waitMs);
    },
  };
}
