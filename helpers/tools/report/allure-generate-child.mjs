/**
 * `allure generate` as a lean child process of `npm run report` (helpers/tools/report/allure-generate.ts):
 * Allure 3's own engine (@allurereport/core's AllureReport, what the `allure` CLI's generate command
 * runs) with the harness configuration (allure-config.mjs), without the CLI and its every other
 * command to load. Plain JavaScript run by plain Node: loaded under a TypeScript loader's hooks
 * (tsx, Playwright), the same modules cost about twice the CPU.
 *
 *   node allure-generate-child.mjs '{"env","cwd","resultsDir","outDir","historyFile","variables"}'
 *
 * Exit 0 when the report is written; 1 with Allure's message on stderr otherwise.
 */
import { AllureReport, resolveConfig } from '@allurereport/core';
import { harnessAllureConfig } from './allure-config.mjs';

try {
  const input = JSON.parse(process.argv[2] ?? '');
  const config = await resolveConfig(
    harnessAllureConfig({ env: input.env, output: input.outDir, historyPath: input.historyFile, variables: input.variables }),
    { cwd: input.cwd },
  );
  const report = new AllureReport(config);
  await report.start();
  await report.readDirectory(input.resultsDir);
  await report.done();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
