/**
 * The report's environment file and run bookkeeping, without the Kestra client: writes
 * `environment.properties` (Java properties, which Allure 3 reads as-is) into the Allure results,
 * and resets a run's results for a Playwright `globalSetup`. Kept apart from environment.ts (which
 * asks a target for its facts) so `npm run report`, the global setup and the report fixture do not
 * load the Kestra client and its HTTP stack just to write or read a file.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_FINGERPRINTS_FILE } from './secrets.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** Where allure-playwright writes (playwright.config.ts). */
export const DEFAULT_RESULTS_DIR = join(ROOT, 'reports', 'allure-results');
export const ENVIRONMENT_FILE = 'environment.properties';

export type EnvironmentFacts = Record<string, string | number | boolean | null | undefined>;

function escapeUnicode(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function escapeKey(key: string): string {
  return escapeUnicode(key.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t').replace(/([ :=#!])/g, '\\$1'));
}

function escapeValue(value: string): string {
  return escapeUnicode(value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t').replace(/^ /, '\\ '));
}

/** Java `.properties` text (the format Allure reads), one `key = value` per fact; empty facts are left out. */
export function toProperties(facts: EnvironmentFacts): string {
  return Object.entries(facts)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${escapeKey(k)} = ${escapeValue(String(v))}`)
    .join('\n') + '\n';
}

/**
 * Writes `<resultsDir>/environment.properties` (atomically: several workers may write at once).
 * Playwright-independent. Returns the file's path.
 */
export function writeEnvironment(resultsDir: string, facts: EnvironmentFacts): string {
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, ENVIRONMENT_FILE);
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, toProperties(facts));
  renameSync(tmp, file);
  return file;
}

/** `git rev-parse --short HEAD`, else the CI's commit variable, else undefined (no git, not a repository). */
export function gitCommit(cwd = ROOT, env: NodeJS.ProcessEnv = process.env): string | undefined {
  try {
    const out = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'], timeout: 5_000 }).toString().trim();
    if (/^[0-9a-f]{4,40}$/.test(out)) return out;
  } catch {
    // no git binary, or not a repository (e.g. a CI job that copied the tree)
  }
  const fromCi = env.GITHUB_SHA ?? env.CI_COMMIT_SHA ?? env.GIT_COMMIT ?? env.COMMIT_SHA;
  return fromCi && /^[0-9a-f]{7,40}$/i.test(fromCi) ? fromCi.slice(0, 7) : undefined;
}

/** Where a run's facts and secret fingerprints go (defaults: reports/allure-results, reports/secret-fingerprints.jsonl). */
export interface RecordOptions {
  resultsDir?: string;
  /** Where the run's secret fingerprints go (see helpers/tools/report/secrets.ts). */
  fingerprintsFile?: string;
}

const OLD_RESULTS_PREFIX = '.allure-results-old-';

/**
 * Empties `dir` at once: the previous run's results (a few thousand files) are moved aside and
 * deleted in the background — deleting them in place held the start of every run for about 1.7 s.
 * The deletion is not awaited (a Playwright runner lives until the last test ends); a run killed
 * before it finished leaves a `.allure-results-old-*` folder beside `dir`, which the next run deletes.
 */
function emptyInBackground(dir: string): void {
  const parent = dirname(dir);
  if (existsSync(dir)) {
    renameSync(dir, join(parent, `${OLD_RESULTS_PREFIX}${process.pid}-${Date.now()}`));
    // Recreated at once: a reporter may have made it before this ran and not check again.
    mkdirSync(dir, { recursive: true });
  }
  const old = existsSync(parent) ? readdirSync(parent).filter((name) => name.startsWith(OLD_RESULTS_PREFIX)) : [];
  for (const name of old) void rm(join(parent, name), { recursive: true, force: true }).catch(() => undefined);
}

/**
 * For a Playwright `globalSetup`: forgets the previous run's environment file and secret
 * fingerprints so the next report describes this run only. With `cleanResults`, also empties the
 * results directory — allure-playwright never does, so without it every report mixes all earlier
 * runs (they show up as retries, and skew flaky detection). Do not clean when projects run in
 * separate invocations that should share one report (test:unit, then test:e2e).
 */
export function prepareReportRun(opts: RecordOptions & { cleanResults?: boolean } = {}): void {
  const resultsDir = opts.resultsDir ?? DEFAULT_RESULTS_DIR;
  if (opts.cleanResults) emptyInBackground(resultsDir);
  rmSync(join(resultsDir, ENVIRONMENT_FILE), { force: true });
  rmSync(opts.fingerprintsFile ?? DEFAULT_FINGERPRINTS_FILE, { force: true });
}
