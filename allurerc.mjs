/**
 * Allure 3 configuration of the harness, for plain `npx allure generate reports/allure-results`
 * (local env). `npm run report` builds the same configuration (helpers/tools/report/allure-config.mjs)
 * for Allure's engine in a lean child process; here it comes from environment variables:
 *
 *   HARNESS_REPORT_ENV      local | ci | prod — whose history the run joins (default: ci when CI=true, else local)
 *   HARNESS_REPORT_OUT      report directory (default reports/allure-report)
 *   HARNESS_REPORT_HISTORY  history file (default reports/history/<env>.jsonl)
 *   HARNESS_REPORT_VARIABLES  JSON object of extra report variables (e.g. the commit when no e2e run recorded one)
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { harnessAllureConfig } from './helpers/tools/report/allure-config.mjs';

const ROOT = dirname(fileURLToPath(import.meta.url));

const isCi = process.env.CI === 'true' || process.env.CI === '1';
const env = process.env.HARNESS_REPORT_ENV || (isCi ? 'ci' : 'local');

function extraVariables() {
  try {
    const parsed = JSON.parse(process.env.HARNESS_REPORT_VARIABLES || '{}');
    return Object.fromEntries(Object.entries(parsed).filter(([, v]) => typeof v === 'string'));
  } catch {
    return {};
  }
}

export default harnessAllureConfig({
  env,
  output: resolve(process.env.HARNESS_REPORT_OUT || join(ROOT, 'reports', 'allure-report')),
  historyPath: resolve(process.env.HARNESS_REPORT_HISTORY || join(ROOT, 'reports', 'history', `${env}.jsonl`)),
  variables: extraVariables(),
});
