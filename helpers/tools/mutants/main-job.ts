/**
 * Runs the main job — `npm run verify -- --target local`: lint, then the webhook e2e specs on the
 * embedded stack — in a checkout, and classifies the result: exit 1 = the mutant is killed, exit 0 =
 * it survived, anything else = the job could not run (error), no answer in time = timeout.
 */
import { spawn } from 'node:child_process';
import type { MainJobResult } from './types.js';

export interface MainJobOptions {
  /** Give up after this long (default 10 min); the job's whole process group is killed. */
  timeoutMs?: number;
  /** The command (default `npm run verify -- --target local`); unit specs swap in a tiny one. */
  command?: readonly [string, ...string[]];
  /** Aborting kills the job (Ctrl-C of `npm run mutants`); the result is then an error. */
  signal?: AbortSignal;
}

export const MAIN_JOB: readonly [string, ...string[]] = ['npm', 'run', 'verify', '--', '--target', 'local'];
const TAIL_LINES = 30;

/** Lint rule ids from the stylish output (`file:line:col  error  message  rule-id`). */
function lintRules(lines: string[]): string[] {
  const rules = lines.map((l) => /:\d+:\d+\s+error\s+.*\s([a-z0-9]+(?:-[a-z0-9]+)+)\s*$/.exec(l)?.[1]).filter((r): r is string => !!r);
  return [...new Set(rules)];
}

/** Failing spec titles from Playwright's failure list (`  1) [e2e] › tests/e2e/x.spec.ts:19:3 › title`). */
function failedSpecs(lines: string[]): string[] {
  const titles = lines.map((l) => /^\s+\d+\) \[e2e\] › [^ ]+ › (.+?)\s*$/.exec(l)?.[1]).filter((t): t is string => !!t);
  return [...new Set(titles)];
}

export function classify(exitCode: number | null, output: string, durationMs: number, timedOut: boolean): MainJobResult {
  const lines = output.split('\n');
  const tail = lines.slice(-TAIL_LINES).join('\n');
  if (timedOut) return { outcome: 'timeout', exitCode, durationMs, tail };
  if (exitCode === 0) return { outcome: 'survived', exitCode, durationMs };
  if (exitCode !== 1) return { outcome: 'error', exitCode, durationMs, tail };
  const rules = lintRules(lines);
  // verify stops after a failed lint, so lint errors in the output mean lint killed it.
  if (rules.length > 0 || /lint (failed|FAILED)/.test(output)) return { outcome: 'killed', exitCode, durationMs, killedBy: { step: 'lint', details: rules } };
  return { outcome: 'killed', exitCode, durationMs, killedBy: { step: 'specs', details: failedSpecs(lines) } };
}

/** Runs the main job in `cwd`; never throws for a failing job, only reports it. */
export function runMainJob(cwd: string, options: MainJobOptions = {}): Promise<MainJobResult> {
  const [command, ...args] = options.command ?? MAIN_JOB;
  const timeoutMs = options.timeoutMs ?? 600_000;
  const started = Date.now();
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, HARNESS_TARGET: 'local', FORCE_COLOR: '0', NO_COLOR: '1' };
    delete env.VERIFY_RECORDS_FILE;
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    let timedOut = false;
    // The job runs in its own process group (detached) so the whole tree — npm, verify, Playwright, its workers — goes at once.
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, timeoutMs);
    options.signal?.addEventListener('abort', killGroup, { once: true });
    const done = (exitCode: number | null, extra = '') => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', killGroup);
      resolve(classify(exitCode, Buffer.concat(chunks).toString('utf8') + extra, Date.now() - started, timedOut));
    };
    child.on('error', (error) => done(null, `\ncould not start ${command}: ${error.message}`));
    child.on('close', (code) => done(code));
  });
}
