/**
 * Prints one plain closing line — `N passed, N failed, N skipped` — that any CI can read,
 * alongside Playwright's own output. Counts outcomes, so a `test.fail()` that fails as expected
 * passes, and a test that passed on retry (flaky) passes.
 */
import type { Reporter, TestCase } from '@playwright/test/reporter';

export default class SummaryLineReporter implements Reporter {
  private readonly tests = new Set<TestCase>();

  onTestEnd(test: TestCase): void {
    this.tests.add(test);
  }

  onEnd(): void {
    let passed = 0, failed = 0, skipped = 0;
    for (const test of this.tests) {
      const outcome = test.outcome();
      if (outcome === 'skipped') skipped++;
      else if (outcome === 'unexpected') failed++;
      else passed++;
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }

  printsToStdio(): boolean {
    return false;
  }
}
