/**
 * Allure 3 configuration of the harness. `npm run report` (helpers/tools/cli/report.ts) drives it through
 * environment variables; plain `npx allure generate reports/allure-results` works too (local env).
 *
 *   HARNESS_REPORT_ENV      local | ci | prod — whose history the run joins (default: ci when CI=true, else local)
 *   HARNESS_REPORT_OUT      report directory (default reports/allure-report)
 *   HARNESS_REPORT_HISTORY  history file (default reports/history/<env>.jsonl)
 *   HARNESS_REPORT_VARIABLES  JSON object of extra report variables (e.g. the commit when no e2e run recorded one)
 *
 * Output (one generation, so the run is appended to the history exactly once):
 *   <out>/index.html              Allure's summary page, linking the two reports below
 *   <out>/awesome/index.html      the multi-file report (serve it: `npx allure open <out>`)
 *   <out>/single-file/index.html  the same report as ONE self-contained HTML file, opens from disk offline
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPORT_CATEGORIES } from './helpers/tools/report/categories.mjs';

const ROOT = dirname(fileURLToPath(import.meta.url));
const REPORT_ENVIRONMENTS = ['local', 'ci', 'prod'];

const isCi = process.env.CI === 'true' || process.env.CI === '1';
const env = process.env.HARNESS_REPORT_ENV || (isCi ? 'ci' : 'local');
if (!REPORT_ENVIRONMENTS.includes(env)) {
  throw new Error(`HARNESS_REPORT_ENV must be one of ${REPORT_ENVIRONMENTS.join(', ')} (got "${env}")`);
}

const reportName = `Kestra campaign harness — ${env}`;
/** Behaviour tree: project, then the spec's sequence (epic), webhook (feature), scenario (story); unlabelled tests fall back to their file. */
const groupBy = ['parentSuite', 'epic', 'feature', 'story', 'suite'];

function extraVariables() {
  try {
    const parsed = JSON.parse(process.env.HARNESS_REPORT_VARIABLES || '{}');
    return Object.fromEntries(Object.entries(parsed).filter(([, v]) => typeof v === 'string'));
  } catch {
    return {};
  }
}

export default {
  name: reportName,
  output: resolve(process.env.HARNESS_REPORT_OUT || join(ROOT, 'reports', 'allure-report')),
  historyPath: resolve(process.env.HARNESS_REPORT_HISTORY || join(ROOT, 'reports', 'history', `${env}.jsonl`)),
  // Enough runs for trends and Allure's flaky rule (it looks at the last 5), without an ever-growing file.
  historyLimit: 30,
  appendHistory: true,
  variables: { 'report environment': env, ...extraVariables() },
  categories: { rules: [...REPORT_CATEGORIES] },
  plugins: {
    awesome: {
      options: { reportName, singleFile: false, groupBy },
    },
    'single-file': {
      import: '@allurereport/plugin-awesome',
      options: { reportName, singleFile: true, groupBy },
    },
  },
};
