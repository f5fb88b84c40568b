/** Which Chromium the browser specs drive: $CHROMIUM_PATH, else the system one, else Playwright's own. */
import { test, expect } from '../support/unit-test.js';
import { resolveChromium, CHROMIUM_INSTALL_HINT } from '../../helpers/scenarios/funnel/chromium.js';

const only = (...paths: string[]) => (p: string) => paths.includes(p);

test('CHROMIUM_PATH wins when it exists', () => {
  expect(resolveChromium({ CHROMIUM_PATH: '/opt/chrome' }, only('/opt/chrome', '/usr/bin/chromium'))).toEqual({ kind: 'path', path: '/opt/chrome', from: 'CHROMIUM_PATH' });
});

test('a CHROMIUM_PATH that does not exist is an error naming it, not a silent fallback', () => {
  const choice = resolveChromium({ CHROMIUM_PATH: '/nope' }, only('/usr/bin/chromium'));
  expect(choice).toMatchObject({ kind: 'missing' });
  expect(choice.kind === 'missing' && choice.message).toContain('/nope');
});

test('without CHROMIUM_PATH the system Chromium is used', () => {
  expect(resolveChromium({}, only('/usr/bin/chromium'))).toEqual({ kind: 'path', path: '/usr/bin/chromium', from: 'system' });
});

test('then the Chromium Playwright installed itself', () => {
  expect(resolveChromium({}, only('/pw/chrome'), () => '/pw/chrome')).toEqual({ kind: 'playwright-bundled' });
});

test('with none, one line saying how to install one', () => {
  const choice = resolveChromium({}, only(), () => '/pw/missing');
  expect(choice).toEqual({ kind: 'missing', message: CHROMIUM_INSTALL_HINT });
  expect(CHROMIUM_INSTALL_HINT).toMatch(/apt-get install -y chromium/);
  expect(CHROMIUM_INSTALL_HINT).not.toContain('\n');
});
