/**
 * `allure generate` as a lean child process of `npm run report` (helpers/tools/report/allure-generate.ts):
 * Allure 3's own engine (@allurereport/core's AllureReport, what the `allure` CLI's generate command
 * runs) with the harness configuration (allure-config.mjs), without the CLI and its every other
 * command to load. Plain JavaScript run by plain Node: loaded under a TypeScript loader's hooks
 * (tsx, Playwright), the same modules cost about twice the CPU.
 *
 * Started with an IPC channel, it generates one report per message, in turn, for as long as its
 * parent stays connected: a process that builds several reports pays for the engine's start-up
 * (about 1.7 s of CPU, against 0.2–0.3 s per report once loaded) only once.
 *
 *   message in:  {"env","cwd","resultsDir","outDir","historyFile","variables"}
 *   message out: {"code": 0 | 1, "output": what the engine printed meanwhile, and its error message}
 */
import { AllureReport, resolveConfig } from '@allurereport/core';
import { harnessAllureConfig } from './allure-config.mjs';

/** Runs `work` with everything written to stdout/stderr captured (the parent reads it per report). */
async function capturing(work) {
  let output = '';
  const writes = { out: process.stdout.write, err: process.stderr.write };
  const capture = (chunk, encoding, callback) => {
    output += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    if (typeof encoding === 'function') encoding();
    else if (typeof callback === 'function') callback();
    return true;
  };
  process.stdout.write = capture;
  process.stderr.write = capture;
  try {
    await work();
    return { code: 0, output };
  } catch (error) {
    return { code: 1, output: `${output}${error instanceof Error ? error.message : String(error)}\n` };
  } finally {
    process.stdout.write = writes.out;
    process.stderr.write = writes.err;
  }
}

async function generate(input) {
  const config = await resolveConfig(
    harnessAllureConfig({ env: input.env, output: input.outDir, historyPath: input.historyFile, variables: input.variables }),
    { cwd: input.cwd },
  );
  const report = new AllureReport(config);
  await report.start();
  await report.readDirectory(input.resultsDir);
  await report.done();
}

if (!process.send) {
  process.stderr.write('allure-generate-child.mjs is started by helpers/tools/report/allure-generate.ts (it needs an IPC channel)\n');
  process.exit(2);
}

// One report at a time: the output capture is process-wide.
let queue = Promise.resolve();
process.on('message', (input) => {
  queue = queue.then(async () => process.send(await capturing(() => generate(input))));
});
process.on('disconnect', () => process.exit(0));
