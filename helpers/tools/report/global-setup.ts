/**
 * Playwright globalSetup: every run starts a fresh reports/allure-results (allure-playwright never
 * empties it, and stale results would show up as retries); trends live in reports/history instead.
 * `npm test` runs the unit and e2e projects in one run, so its report holds both.
 */
import { prepareReportRun } from './environment-file.js';

export default function globalSetup(): void {
  prepareReportRun({ cleanResults: true });
}
