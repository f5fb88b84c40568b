/**
 * `test` for the unit specs: Playwright's root test type, without the browser fixtures.
 *
 *   import { test, expect } from '../support/unit-test.js';
 *
 * Why: `test` from '@playwright/test' sets up its browser-context fixtures around every test, even
 * one that never touches a browser ('trace recording', 'context configuration' and the option
 * fixtures they read). Each is a boxed step, and Playwright captures and source-maps a stack for
 * every boxed step's setup and teardown. Measured on this repository's unit project: about 22 ms of
 * CPU per test, half of the unit workers' CPU (500 empty tests: 17.1 s CPU with `test`, 5.9 s
 * with this one). Unit specs use no browser fixture; the one that drives Chromium launches it itself.
 *
 * `_baseTest` is exported and typed by @playwright/test (types/test.d.ts) as the test type the
 * browser fixtures are added to. If a Playwright upgrade drops it, this fails at load, naming why.
 */
import { _baseTest, expect, type TestInfo } from '@playwright/test';

if (typeof _baseTest?.extend !== 'function') {
  throw new Error('tests/support/unit-test.ts: @playwright/test no longer exports _baseTest; use `test` from @playwright/test here instead');
}

export const test = _baseTest;
export { expect, type TestInfo };
