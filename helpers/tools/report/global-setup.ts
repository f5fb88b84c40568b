/**
 * Playwright globalSetup: every run starts a fresh reports/allure-results (allure-playwright never
 * empties it, and stale results would show up as retries); trends live in reports/history instead.
 * `npm test` runs the unit and e2e projects in one run, so its report holds both.
 *
 * The previous run's results (a few thousand files) are moved aside at once and deleted in the
 * background while Playwright loads the specs: deleting them in place held the start of every run
 * for about 1.7 s. A run killed before the deletion finished leaves a `.allure-results-old-*`
 * folder, which the next run deletes too.
 */
import { existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DEFAULT_RESULTS_DIR, prepareReportRun } from './environment-file.js';

const OLD_PREFIX = '.allure-results-old-';

export default function globalSetup(): void {
  const reports = dirname(DEFAULT_RESULTS_DIR);
  if (existsSync(DEFAULT_RESULTS_DIR)) {
    renameSync(DEFAULT_RESULTS_DIR, join(reports, `${OLD_PREFIX}${process.pid}-${Date.now()}`));
    // Recreated at once: a reporter may have made it before this ran and not check again.
    mkdirSync(DEFAULT_RESULTS_DIR, { recursive: true });
  }
  const old = existsSync(reports) ? readdirSync(reports).filter((name) => name.startsWith(OLD_PREFIX)) : [];
  // Not awaited: the runner lives until the last test ends, long after these finish.
  for (const name of old) void rm(join(reports, name), { recursive: true, force: true }).catch(() => undefined);
  prepareReportRun({ cleanResults: true });
}
