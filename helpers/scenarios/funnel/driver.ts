/**
 * What a browser driver must do for the funnel journey — nothing more. The journey
 * (helpers/scenarios/funnel/journey.ts) is written once against this interface; Playwright and Puppeteer
 * each implement it in a page object of their own (helpers/scenarios/funnel/drivers/*).
 *
 * Elements are found by accessible label, role and name (helpers/scenarios/funnel/selectors.ts); a driver
 * never invents selectors of its own.
 */
import type { FunnelWebhook } from '../../spec/index.js';
import type { Selector } from './selectors.js';

export type DriverName = 'playwright' | 'puppeteer';
export const DRIVER_NAMES: readonly DriverName[] = ['playwright', 'puppeteer'];

/** One webhook request the page made, as the browser sent it. */
export interface CapturedWebhook {
  name: FunnelWebhook;
  url: string;
  method: string;
  /** The raw request body. */
  postData: string | null;
  /** The body parsed as JSON; undefined when it is not JSON. */
  body: unknown;
  /** The request's Content-Type header, as sent. */
  contentType: string | null;
  /** When the browser issued it (epoch ms, this machine's clock). */
  at: number;
  /** The HTTP status the browser received; null while pending or when the request failed. */
  status: number | null;
  /** The response body (at most 64 KiB), when the browser could read it — e.g. Kestra's execution JSON. */
  responseBody?: string;
  /** Why the request failed (network error, blocked…). */
  failure?: string;
}

export interface FunnelDriver {
  readonly name: DriverName;
  /** Opens a page and waits for it to load. */
  goto(url: string): Promise<void>;
  /** Types `value` into the control the selector names (cleared first). */
  fill(field: Selector, value: string): Promise<void>;
  /** Picks an option by its visible label: a radio in a group, or an option of a select. */
  choose(choice: Selector, option: string): Promise<void>;
  /** Clicks like a person; `count: 2` is a double click. */
  click(target: Selector, opts?: { count?: number }): Promise<void>;
  /** Resolves once the element is visible; throws naming the selector after `timeoutMs`. */
  waitForVisible(target: Selector, timeoutMs: number): Promise<void>;
  /** The visible text of the (first) element. */
  textOf(target: Selector): Promise<string>;
  /** The trimmed, non-empty texts of every visible element the selector matches (e.g. role=alert). */
  visibleErrors(target: Selector): Promise<string[]>;
  /** A full-page PNG, also written to `path` when given. */
  screenshot(path?: string): Promise<Buffer>;
  /** Starts recording every POST whose URL `match` names; call before `goto`. */
  captureWebhooks(match: (url: string) => FunnelWebhook | null): void;
  /** Every webhook request recorded so far, in the order the page made them. */
  captured(): CapturedWebhook[];
  /** Resolves once every recorded request has its response or failure (or after `timeoutMs`). */
  settle(timeoutMs: number): Promise<void>;
}

export const RESPONSE_BODY_LIMIT = 64 * 1024;

/** Parses a request body as JSON; undefined when it is empty or not JSON. */
export function parseBody(postData: string | null | undefined): unknown {
  if (!postData) return undefined;
  try {
    return JSON.parse(postData) as unknown;
  } catch {
    return undefined;
  }
}

/** Polls `probe` until it returns a value other than undefined, or throws `what` after the deadline. */
export async function pollUntil<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: () => string, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message.split('\n')[0]})` : '';
      throw new Error(`${what()} — gave up after ${timeoutMs} ms${cause}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Waits until no recorded request is still waiting for its response (or the deadline passes). */
export async function settlePending(pending: () => number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (pending() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
}
