/**
 * Runs the main job against each mutant: checks the whole catalog applies first (a rotten mutant
 * stops everything before any run), proves the main job green on the unmutated checkout (the
 * baseline), then plants the mutants one at a time in `jobs` scratch checkouts running side by side.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { applyMutant, catalogProblems, MutantError } from './apply.js';
import { runMainJob, type MainJobOptions } from './main-job.js';
import { createScratch, workingTreeFiles, type ScratchCheckout } from './scratch.js';
import type { MainJobResult, Mutant, MutantResult } from './types.js';

export interface RunOptions {
  /** The repository whose working tree is copied. */
  root: string;
  mutants: readonly Mutant[];
  /** Checkouts running at once (default 2). */
  jobs?: number;
  /** Run the main job once without a mutant first, and stop if it fails (default true). */
  baseline?: boolean;
  timeoutMs?: number;
  command?: MainJobOptions['command'];
  signal?: AbortSignal;
  /** Called with each finished mutant, in finishing order (`done` counts from 1). */
  onResult?: (result: MutantResult, done: number, total: number) => void;
  onBaseline?: (result: MainJobResult) => void;
}

export interface RunReport {
  startedAt: string;
  durationMs: number;
  jobs: number;
  baseline: MainJobResult | null;
  /** In catalog order. */
  results: MutantResult[];
}

/** The main job fails on the unmutated checkout: nothing can be measured. */
export class BaselineError extends Error {
  override name = 'BaselineError';
  constructor(readonly result: MainJobResult) {
    super(`the main job ${result.outcome === 'killed' ? 'fails' : `ends in ${result.outcome}`} without any mutant (baseline, ${(result.durationMs / 1000).toFixed(1)} s): run npm run verify and fix it first`);
  }
}

/** Every mutant's edited source, or one MutantError listing every mutant that cannot be planted. */
export function plantAll(root: string, mutants: readonly Mutant[]): Map<string, string> {
  const read = (file: string) => (existsSync(join(root, file)) ? readFileSync(join(root, file), 'utf8') : undefined);
  const problems = catalogProblems(mutants, read);
  if (problems.length > 0) throw new MutantError(problems.join('\n'));
  return new Map(mutants.map((m) => [m.id, applyMutant(m, read(m.file)!)]));
}

export async function runMutants(options: RunOptions): Promise<RunReport> {
  const started = Date.now();
  const { root, mutants } = options;
  const planted = plantAll(root, mutants);
  const originals = new Map(mutants.map((m) => [m.file, readFileSync(join(root, m.file), 'utf8')]));
  const jobs = Math.max(1, Math.min(options.jobs ?? 2, mutants.length || 1));
  const job: MainJobOptions = {
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.command ? { command: options.command } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };

  const files = workingTreeFiles(root);
  const checkouts: ScratchCheckout[] = [];
  try {
    for (let i = 0; i < jobs; i++) checkouts.push(createScratch(root, files, `kestra-mutants-${process.pid}-${i + 1}`));

    let baseline: MainJobResult | null = null;
    if (options.baseline ?? true) {
      baseline = await runMainJob(checkouts[0]!.dir, job);
      options.onBaseline?.(baseline);
      if (baseline.outcome !== 'survived') throw new BaselineError(baseline);
    }

    const results: MutantResult[] = new Array(mutants.length);
    let next = 0;
    let done = 0;
    const worker = async (checkout: ScratchCheckout) => {
      while (next < mutants.length && !options.signal?.aborted) {
        const index = next++;
        const mutant = mutants[index]!;
        checkout.write(mutant.file, planted.get(mutant.id)!);
        try {
          results[index] = { mutant, ...(await runMainJob(checkout.dir, job)) };
        } finally {
          checkout.write(mutant.file, originals.get(mutant.file)!);
        }
        options.onResult?.(results[index]!, ++done, mutants.length);
      }
    };
    await Promise.all(checkouts.map(worker));
    return { startedAt: new Date(started).toISOString(), durationMs: Date.now() - started, jobs, baseline, results: results.filter(Boolean) };
  } finally {
    for (const checkout of checkouts) checkout.remove();
  }
}
