/**
 * npm run verify [-- --target local|container|remote] — the main job.
 *
 * 1. lints the flows and the compose file (npm run lint);
 * 2. runs the webhook e2e specs (tests/e2e/webhooks.spec.ts, webhook-safety.spec.ts) on the target;
 * 3. prints a summary table and writes reports/verify-summary.json:
 *    { target, ok, durationMs, lint, specs, webhooks: [{ name, executionId, state, emailsScheduled, emailsSent, ok }] }.
 * The target comes from --target, else HARNESS_TARGET, else `local`.
 *
 * Exit codes: 0 everything passed; 1 a lint error or a failed spec; 2 usage or configuration error.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPOSITORY_ROOT } from '../../kestra-model/repository-flows.js';
import { TARGET_NAMES, type TargetName } from '../../config/variables.js';
import { ConfigError, selectedTarget, requiredVar } from '../../config/env.js';
import { readWebhookRecords, RECORDS_ENV } from '../../scenarios/records.js';
import { summarize, summaryTable } from '../verify/summary.js';

const USAGE = 'usage: npm run verify [-- --target local|container|remote]';
const SPEC_FILES = ['tests/e2e/webhooks.spec.ts', 'tests/e2e/webhook-safety.spec.ts'];

function fail(code: 1 | 2, message: string): never {
  process.stderr.write(`verify: ${message}\n`);
  process.exit(code);
}

function parseTarget(argv: string[]): TargetName {
  let target: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (arg === '--target') target = argv[++i];
    else if (arg.startsWith('--target=')) target = arg.slice('--target='.length);
    else fail(2, `unknown argument "${arg}" — ${USAGE}`);
  }
  if (target === undefined) return selectedTarget();
  if (!(TARGET_NAMES as readonly string[]).includes(target)) fail(2, `--target must be one of ${TARGET_NAMES.join(', ')} (got "${target}")`);
  return target as TargetName;
}

/** Fails fast, before anything runs, when the target's required configuration is missing. */
function checkConfiguration(target: TargetName): void {
  if (target !== 'remote') return;
  for (const name of ['KESTRA_URL', 'KESTRA_USERNAME', 'KESTRA_PASSWORD']) requiredVar(name);
}

function run(step: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): boolean {
  process.stdout.write(`\n▶ ${step}\n`);
  const result = spawnSync(command, args, { cwd: REPOSITORY_ROOT, stdio: 'inherit', env });
  if (result.error) fail(2, `${step}: could not start ${command} — ${result.error.message}`);
  return result.status === 0;
}

function main(): void {
  const started = Date.now();
  let target: TargetName;
  try {
    target = parseTarget(process.argv.slice(2));
    checkConfiguration(target);
  } catch (error) {
    if (error instanceof ConfigError) fail(2, error.message);
    throw error;
  }

  const reports = join(REPOSITORY_ROOT, 'reports');
  mkdirSync(reports, { recursive: true });
  const recordsFile = join(reports, `.verify-records-${process.pid}.jsonl`);
  rmSync(recordsFile, { force: true });

  const playwright = join(REPOSITORY_ROOT, 'node_modules', '.bin', 'playwright');
  const lintOk = run('lint: flows and compose file', process.execPath, ['helpers/tools/lint/launcher.mjs']);
  const specsOk = lintOk
    ? run(`e2e: five webhooks on the ${target} target`, playwright, ['test', '--project=e2e', ...SPEC_FILES], {
        ...process.env,
        HARNESS_TARGET: target,
        [RECORDS_ENV]: recordsFile,
      })
    : false;

  const { summary, rows } = summarize(target, readWebhookRecords(recordsFile), lintOk, specsOk, Date.now() - started);
  rmSync(recordsFile, { force: true });
  writeFileSync(join(reports, 'verify-summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  process.stdout.write(`\n${summaryTable(rows)}\n\n`);
  process.stdout.write(`verify ${summary.ok ? 'passed' : 'FAILED'} on ${target} in ${(summary.durationMs / 1000).toFixed(1)} s — lint ${summary.lint}, specs ${summary.specs}; reports/verify-summary.json\n`);
  process.exit(summary.ok ? 0 : 1);
}

main();
