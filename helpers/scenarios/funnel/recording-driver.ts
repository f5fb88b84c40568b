/**
 * A FunnelDriver that drives nothing: it records every call (for unit tests of the journey runner
 * and the safety rails) and answers as a well-behaved page would. `postsOnClick` maps a button's
 * accessible name to the webhook a click on it "posts".
 */
import type { CapturedWebhook, FunnelDriver } from './driver.js';
import type { FunnelWebhook } from '../../spec/index.js';
import type { Selector } from './selectors.js';

export interface RecordingDriver {
  driver: FunnelDriver;
  /** One line per call, e.g. `fill {"label":"Email"} lengobaosang+x@gmail.com`. */
  calls: string[];
}

export function recordingDriver(opts: { postsOnClick?: Partial<Record<string, FunnelWebhook>> } = {}): RecordingDriver {
  const calls: string[] = [];
  const captured: CapturedWebhook[] = [];
  const describe = (s: Selector) => JSON.stringify(s);
  const driver: FunnelDriver = {
    name: 'playwright',
    async goto(url) {
      calls.push(`goto ${url}`);
    },
    async fill(field, value) {
      calls.push(`fill ${describe(field)} ${value}`);
    },
    async choose(choice, option) {
      calls.push(`choose ${describe(choice)} ${option}`);
    },
    async click(target, o = {}) {
      calls.push(`click ${describe(target)}${o.count ? ` x${o.count}` : ''}`);
      const name = 'name' in target && target.name ? opts.postsOnClick?.[target.name] : undefined;
      if (name) captured.push({ name, url: `http://hook.invalid/${name}`, method: 'POST', postData: '{}', body: {}, contentType: 'text/plain', at: Date.now(), status: 200 });
    },
    async waitForVisible(target) {
      calls.push(`visible ${describe(target)}`);
    },
    async textOf(target) {
      calls.push(`text ${describe(target)}`);
      return 'Your results — segment: CRITICAL URGENT OPTIMIZE';
    },
    async visibleErrors(target) {
      calls.push(`errors ${describe(target)}`);
      return ['Enter your first name', 'Enter a valid email address, like name@example.com'];
    },
    async screenshot() {
      calls.push('screenshot');
      return Buffer.from('');
    },
    captureWebhooks() {
      calls.push('capture');
    },
    captured: () => captured.map((c) => ({ ...c })),
    async settle() {},
  };
  return { driver, calls };
}
