/** Asserts a scenario's checks in Playwright: each failed check shows its own expected-vs-actual diff. */
import { expect } from '@playwright/test';
import type { Check } from '../../helpers/scenarios/checks.js';

export function expectChecks(checks: readonly Check[], context = 'checks'): void {
  for (const check of checks) if (!check.ok) expect.soft(check.actual, check.name).toEqual(check.expected);
  expect(checks.filter((c) => !c.ok).map((c) => c.name), `${context}: failed`).toEqual([]);
  expect(checks.length, `${context}: at least one check ran`).toBeGreaterThan(0);
}
