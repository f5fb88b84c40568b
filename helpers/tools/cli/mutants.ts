/**
 * npm run mutants [-- --only id,id] [--jobs n] [--timeout s] [--no-baseline] [--list]
 *
 * Measures the main job: plants each mutant of helpers/tools/mutants/catalog.ts (a realistic bug,
 * one SPEC rule broken) in a scratch checkout, runs `npm run verify -- --target local` there, and
 * prints `killed K/N` with every survivor named. Writes reports/mutants.json. Not part of npm test.
 *
 * Exit codes: 0 every mutant killed; 1 a mutant survived; 2 usage error, a mutant whose find text no
 * longer matches, the main job failing without any mutant (baseline), or a run that could not start.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPOSITORY_ROOT } from '../../kestra-model/repository-flows.js';
import { MUTANTS } from '../mutants/catalog.js';
import { MutantError } from '../mutants/apply.js';
import { BaselineError, runMutants } from '../mutants/run.js';
import { progressLine, reportJson, summaryText } from '../mutants/report.js';
import { ScratchError } from '../mutants/scratch.js';
import type { Mutant } from '../mutants/types.js';

const USAGE = 'usage: npm run mutants [-- --only id,id] [--jobs 1-8] [--timeout seconds] [--no-baseline] [--list]';

interface Args {
  only: string[] | null;
  jobs: number;
  timeoutMs: number;
  baseline: boolean;
  list: boolean;
}

function usage(message: string): never {
  process.stderr.write(`mutants: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): Args {
  const args: Args = { only: null, jobs: 2, timeoutMs: 600_000, baseline: true, list: false };
  const value = (i: number, name: string) => argv[i] ?? usage(`${name} needs a value`);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const take = () => inline ?? value(++i, name);
    if (name === '--help' || name === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (name === '--only') args.only = take().split(',').map((s) => s.trim()).filter(Boolean);
    else if (name === '--jobs') {
      const n = Number(take());
      if (!Number.isInteger(n) || n < 1 || n > 8) usage(`--jobs must be a whole number from 1 to 8`);
      args.jobs = n;
    } else if (name === '--timeout') {
      const s = Number(take());
      if (!Number.isFinite(s) || s <= 0) usage('--timeout must be a positive number of seconds');
      args.timeoutMs = s * 1000;
    } else if (name === '--no-baseline') args.baseline = false;
    else if (name === '--list') args.list = true;
    else usage(`unknown argument "${arg}"`);
  }
  return args;
}

function selected(only: string[] | null): Mutant[] {
  if (only === null) return [...MUTANTS];
  if (only.length === 0) usage('--only names no mutant');
  const unknown = only.filter((id) => !MUTANTS.some((m) => m.id === id));
  if (unknown.length > 0) usage(`unknown mutant ${unknown.join(', ')} (npm run mutants -- --list)`);
  return MUTANTS.filter((m) => only.includes(m.id));
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const mutants = selected(args.only);
  if (args.list) {
    for (const m of mutants) process.stdout.write(`${m.id}\t${m.rule}\t${m.file}\t${m.description}\n`);
    return;
  }

  const abort = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('\nmutants: interrupted — stopping the running jobs and removing the checkouts\n');
    abort.abort();
  });
  process.stdout.write(`mutants: ${mutants.length} mutant${mutants.length === 1 ? '' : 's'}, ${Math.min(args.jobs, mutants.length)} at a time, each runs npm run verify -- --target local\n`);
  try {
    const report = await runMutants({
      root: REPOSITORY_ROOT,
      mutants,
      jobs: args.jobs,
      baseline: args.baseline,
      timeoutMs: args.timeoutMs,
      signal: abort.signal,
      onBaseline: (r) => process.stdout.write(`baseline (no mutant): ${r.outcome === 'survived' ? 'green' : r.outcome} (${(r.durationMs / 1000).toFixed(1)} s)\n`),
      onResult: (r, done, total) => process.stdout.write(`${progressLine(r, done, total)}\n`),
    });
    if (abort.signal.aborted) process.exit(130);
    mkdirSync(join(REPOSITORY_ROOT, 'reports'), { recursive: true });
    writeFileSync(join(REPOSITORY_ROOT, 'reports', 'mutants.json'), `${JSON.stringify(reportJson(report), null, 2)}\n`);
    process.stdout.write(`\n${summaryText(report)}\n`);
    const errors = report.results.filter((r) => r.outcome === 'error');
    for (const r of errors) process.stderr.write(`mutants: ${r.mutant.id}: the main job could not run (exit ${r.exitCode}):\n${r.tail ?? ''}\n`);
    process.exit(errors.length > 0 ? 2 : report.results.some((r) => r.outcome === 'survived') ? 1 : 0);
  } catch (error) {
    if (error instanceof MutantError || error instanceof ScratchError) {
      for (const line of error.message.split('\n')) process.stderr.write(`mutants: ${line}\n`);
      process.exit(2);
    }
    if (error instanceof BaselineError) {
      process.stderr.write(`mutants: ${error.message}\n${error.result.tail ?? ''}\n`);
      process.exit(2);
    }
    throw error;
  }
}

await main();
