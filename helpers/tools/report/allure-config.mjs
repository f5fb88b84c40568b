/**
 * The harness's Allure 3 report configuration, as a function of where it goes: used by
 * `npm run report` (generate.ts → allure-generate-child.mjs) and, through allurerc.mjs, by plain
 * `npx allure generate`. Plain JavaScript so allurerc.mjs loads with plain Node, no tsx.
 *
 * One generation writes both reports (so a run is appended to the history exactly once):
 *   <output>/index.html              Allure's summary page, linking the two reports below
 *   <output>/awesome/index.html      the multi-file report (serve it: `npx allure open <output>`)
 *   <output>/single-file/index.html  the same report as ONE self-contained HTML file, opens from disk offline
 */
import { REPORT_CATEGORIES } from './categories.mjs';

export const REPORT_ENVIRONMENTS = ['local', 'ci', 'prod'];

/** Behaviour tree: project, then the spec's sequence (epic), webhook (feature), scenario (story); unlabelled tests fall back to their file. */
const GROUP_BY = ['parentSuite', 'epic', 'feature', 'story', 'suite'];

/**
 * @param {{ env: string, output: string, historyPath: string, variables?: Record<string, string> }} where
 */
export function harnessAllureConfig({ env, output, historyPath, variables = {} }) {
  if (!REPORT_ENVIRONMENTS.includes(env)) {
    throw new Error(`HARNESS_REPORT_ENV must be one of ${REPORT_ENVIRONMENTS.join(', ')} (got "${env}")`);
  }
  const reportName = `Kestra campaign harness — ${env}`;
  return {
    name: reportName,
    output,
    historyPath,
    // Enough runs for trends and Allure's flaky rule (it looks at the last 5), without an ever-growing file.
    historyLimit: 30,
    appendHistory: true,
    variables: { 'report environment': env, ...variables },
    categories: { rules: [...REPORT_CATEGORIES] },
    plugins: {
      awesome: {
        options: { reportName, singleFile: false, groupBy: GROUP_BY },
      },
      'single-file': {
        import: '@allurereport/plugin-awesome',
        options: { reportName, singleFile: true, groupBy: GROUP_BY },
      },
    },
  };
}
