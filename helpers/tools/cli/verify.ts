/**
 * npm run verify [-- --target local|container|remote] — the main job.
 *
 * 1. lints the flows and the compose file (npm run lint);
 * 2. runs the webhook e2e specs (tests/e2e/webhooks.spec.ts, webhook-safety.spec.ts, webhook-rules.spec.ts,
 *    webhook-replays.spec.ts) on the target. Lint and Playwright start together (lint takes about a second, Playwright's
 *    start-up longer: on two cores the two overlap); Playwright's output is held until lint has
 *    printed, and a lint error stops the specs, which then count as not run;
 * 3. prints a summary table and writes reports/verify-summary.json:
 *    { target, ok, durationMs, lint, specs, webhooks: [{ name, executionId, state, emailsScheduled, emailsSent, ok }], timelines };
 * 4. writes reports/timeline-<sequence>.svg per sequence a main case started and prints one line each.
 * The target comes from --target, else HARNESS_TARGET, else `local`.
 *
 * Exit codes: 0 everything passed; 1 a lint error or a failed spec; 2 usage or configuration error.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TARGET_NAMES, type TargetName } from '../../config/variables.js';
import { ConfigError, selectedTarget } from '../../config/env.js';
import { targetPreflight } from '../verify/preflight.js';
import { readWebhookRecords, RECORDS_ENV } from '../../scenarios/records.js';
import { summarize, summaryTable, type StepOutcome } from '../verify/summary.js';
import { timelineLines, writeTimelines } from '../verify/timeline-files.js';

/** The repository root (not imported from kestra-model/repository-flows.ts, which loads the YAML parser verify never needs). */
const REPOSITORY_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const USAGE = 'usage: npm run verify [-- --target local|container|remote]';
const SPEC_FILES = ['tests/e2e/webhooks.spec.ts', 'tests/e2e/webhook-safety.spec.ts', 'tests/e2e/webhook-rules.spec.ts', 'tests/e2e/webhook-replays.spec.ts'];

function fail(code: 1 | 2, message: string): never {
  process.stderr.write(`verify: ${message}\n`);
  process.exit(code);
}

/** The target from the arguments (else HARNESS_TARGET, else local); a ConfigError is a usage error. */
export function parseVerifyArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): { help: true } | { help: false; target: TargetName } {
  let target: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { help: true };
    if (arg === '--target') {
      target = argv[++i];
      if (target === undefined || target.startsWith('-')) throw new ConfigError(`--target needs a value: ${TARGET_NAMES.join(', ')} — ${USAGE}`);
    } else if (arg.startsWith('--target=')) target = arg.slice('--target='.length);
    else throw new ConfigError(`unknown argument "${arg}" — ${USAGE}`);
  }
  if (target === undefined) return { help: false, target: selectedTarget(env) };
  if (!(TARGET_NAMES as readonly string[]).includes(target)) throw new ConfigError(`--target must be one of ${TARGET_NAMES.join(', ')} (got "${target}")`);
  return { help: false, target: target as TargetName };
}

/** A step's process; what it prints is held until show() (so lint's lines come first, then the specs'). */
interface Step {
  child: ChildProcess;
  exit: Promise<number | null>;
  show(): void;
}

function start(step: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Step {
  const child = spawn(command, args, { cwd: REPOSITORY_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env });
  let shown = false;
  const held: [NodeJS.WriteStream, Buffer][] = [];
  for (const [from, to] of [[child.stdout!, process.stdout], [child.stderr!, process.stderr]] as const) {
    from.on('data', (chunk: Buffer) => (shown ? to.write(chunk) : held.push([to, chunk])));
  }
  const exit = new Promise<number | null>((resolve) => {
    child.on('error', (error) => fail(2, `${step}: could not start ${command} — ${error.message}`));
    child.on('close', (code) => resolve(code));
  });
  return {
    child,
    exit,
    show() {
      process.stdout.write(`\n▶ ${step}\n`);
      shown = true;
      for (const [to, chunk] of held.splice(0)) to.write(chunk);
    },
  };
}

function writeSummary(reports: string, summary: object): void {
  writeFileSync(join(reports, 'verify-summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
}

/** The job; `npm run verify` runs this file from a cached bundle (helpers/tools/cli-launcher.mjs). */
export async function main(): Promise<void> {
  const started = Date.now();
  let target: TargetName;
  try {
    const args = parseVerifyArgs(process.argv.slice(2));
    if (args.help) {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    target = args.target;
  } catch (error) {
    if (error instanceof ConfigError) fail(2, error.message);
    throw error;
  }
  const reports = join(REPOSITORY_ROOT, 'reports');
  mkdirSync(reports, { recursive: true });

  // The target must be able to run before lint or any spec does: one line and exit 2 otherwise.
  const cannotRun = await targetPreflight(target);
  if (cannotRun) {
    writeSummary(reports, summarize(target, [], 'not run', 'not run', Date.now() - started, cannotRun).summary);
    fail(2, `${cannotRun} — nothing ran`);
  }

  const recordsFile = join(reports, `.verify-records-${process.pid}.jsonl`);
  rmSync(recordsFile, { force: true });

  const playwright = join(REPOSITORY_ROOT, 'node_modules', '.bin', 'playwright');
  // Keep colours when verify itself prints to a terminal (the children write to pipes).
  const color = process.stdout.isTTY && process.env.NO_COLOR === undefined ? { FORCE_COLOR: '1' } : {};
  const lint = start('lint: flows and compose file', process.execPath, ['helpers/tools/lint/launcher.mjs'], { ...process.env, ...color });
  const e2e = start(`e2e: five webhooks on the ${target} target`, playwright, ['test', '--project=e2e', ...SPEC_FILES], {
    ...process.env,
    ...color,
    HARNESS_TARGET: target,
    [RECORDS_ENV]: recordsFile,
  });
  lint.show();
  const lintOk = (await lint.exit) === 0;
  if (!lintOk) {
    // Lint stops the job: Playwright is interrupted (SIGINT: it stops its workers) and its output dropped.
    e2e.child.kill('SIGINT');
    await e2e.exit;
    rmSync(recordsFile, { force: true });
  } else e2e.show();
  const specs: StepOutcome = !lintOk ? 'not run' : (await e2e.exit) === 0 ? 'passed' : 'failed';

  const records = readWebhookRecords(recordsFile);
  const { summary, rows } = summarize(target, records, lintOk ? 'passed' : 'failed', specs, Date.now() - started, lintOk ? undefined : 'lint failed');
  rmSync(recordsFile, { force: true });
  summary.timelines = writeTimelines(reports, records);
  writeSummary(reports, summary);
  process.stdout.write(`\n${summaryTable(rows)}\n\n`);
  for (const line of timelineLines(summary.timelines)) process.stdout.write(`${line}\n`);
  process.stdout.write(`verify ${summary.ok ? 'passed' : 'FAILED'} on ${target} in ${(summary.durationMs / 1000).toFixed(1)} s — lint ${summary.lint}, specs ${summary.specs}; reports/verify-summary.json\n`);
  process.exit(summary.ok ? 0 : 1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) void main();
