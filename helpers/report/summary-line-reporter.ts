/**
 * Prints one plain closing line — `N passed, N failed, N skipped` — that any CI can read,
 * alongside Playwright's own list output.
 */
import type { Reporter, TestCase, TestResult, FullResult } from '@playwright/test/reporter';

export default class SummaryLineReporter implements Reporter {
  private readonly outcomes = new Map<string, TestResult['status']>();

  onTestEnd(test: TestCase, result: TestResult): void {
    this.outcomes.set(test.id, result.status); // the last retry decides
  }

  onEnd(_result: FullResult): void {
    let passed = 0, failed = 0, skipped = 0;
    for (const status of this.outcomes.values()) {
      if (status === 'passed') passed++;
      else if (status === 'skipped') skipped++;
      else failed++;
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }

  printsToStdio(): boolean {
    return false;
  }
}
