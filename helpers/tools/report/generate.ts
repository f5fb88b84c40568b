/**
 * Builds the Allure 3 report (allurerc.mjs) from the results of a run, then proves it holds no
 * secret. Used by `npm run report` (helpers/tools/cli/report.ts).
 *
 *   <out>/index.html              Allure's summary page, linking both reports
 *   <out>/awesome/index.html      multi-file report (serve it: `npx allure open <out>`)
 *   <out>/single-file/index.html  one self-contained HTML file, opens offline from disk
 *   reports/history/<env>.jsonl   Allure's history, one file per environment (local, ci, prod)
 *
 * A run whose report (or results, or history) contains a known secret fails: the report is
 * deleted (unless `keepOnLeak`) and the history file restored, so nothing leaked survives.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENVIRONMENT_FILE, gitCommit } from './environment.js';
import { describeFindings, MIN_SECRET_LENGTH, readSecretFingerprints, scanForSecrets, type SecretFinding, type SecretInput } from './secrets.js';

export const REPOSITORY_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const REPORT_ENVS = ['local', 'ci', 'prod'] as const;
export type ReportEnv = (typeof REPORT_ENVS)[number];

export const DEFAULTS = {
  resultsDir: join(REPOSITORY_ROOT, 'reports', 'allure-results'),
  outDir: join(REPOSITORY_ROOT, 'reports', 'allure-report'),
  historyDir: join(REPOSITORY_ROOT, 'reports', 'history'),
  config: join(REPOSITORY_ROOT, 'allurerc.mjs'),
  allureCli: join(REPOSITORY_ROOT, 'node_modules', 'allure', 'cli.js'),
} as const;

/** Subdirectories (plugin ids in allurerc.mjs) and files of a generated report. */
export const REPORT_LAYOUT = {
  multiFile: join('awesome', 'index.html'),
  singleFile: join('single-file', 'index.html'),
  summaryPage: 'index.html',
} as const;

/** A failure with its exit code: 1 a check failed (leak, not self-contained), 2 usage / input / tool problem. */
export class ReportError extends Error {
  override name = 'ReportError';
  constructor(message: string, readonly exitCode: 1 | 2) {
    super(message);
  }
}

export function defaultReportEnv(env: NodeJS.ProcessEnv = process.env): ReportEnv {
  return env.CI === 'true' || env.CI === '1' ? 'ci' : 'local';
}

export interface ReportOptions {
  env: ReportEnv;
  resultsDir?: string;
  outDir?: string;
  /** Default reports/history/<env>.jsonl. */
  historyFile?: string;
  /** Known secret values (env variables, a secrets file). */
  secrets?: readonly SecretInput[];
  /** Fingerprints registered by the run (default reports/secret-fingerprints.jsonl). */
  fingerprintsFile?: string;
  /** Keep the report even when a secret was found (for debugging the leak); the history is restored regardless. */
  keepOnLeak?: boolean;
  /** For tests: another Allure config / CLI. */
  config?: string;
  allureCli?: string;
}

export interface ReportOutcome {
  env: ReportEnv;
  outDir: string;
  summaryPage: string;
  multiFile: string;
  singleFile: string;
  historyFile: string;
  historyRuns: number;
  stats: { total: number; passed: number; failed: number; broken: number; skipped: number; flaky: number; retries: number };
  secretsChecked: number;
  /** Removed: the analytics snippet Allure 3 hard-codes into its HTML (`analyticsEnable: true`). */
  analyticsRemoved: number;
  generateMs: number;
  scanMs: number;
}

/** Relative to the repository when inside it, else absolute. */
const rel = (p: string) => {
  const r = relative(REPOSITORY_ROOT, p);
  return r === '' ? '.' : r.startsWith('..') ? p : r;
};

function resultFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir).filter((f) => f.endsWith('-result.json'));
}

/** Refuses to wipe a directory that is not an Allure report (a typo in --out must not delete the repository). */
function clearOutput(outDir: string): void {
  if (!existsSync(outDir)) return;
  if (!statSync(outDir).isDirectory()) throw new ReportError(`${rel(outDir)} exists and is not a directory`, 2);
  const entries = readdirSync(outDir);
  if (entries.length > 0 && !entries.some((e) => e === 'awesome' || e === 'single-file' || e === 'summary.json')) {
    throw new ReportError(`refusing to replace ${rel(outDir)}: it does not look like an Allure report (it holds ${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''})`, 2);
  }
  rmSync(outDir, { recursive: true, force: true });
}

function runAllure(cli: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: REPOSITORY_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, output });
    });
  });
}

const ANALYTICS_LOADER = /<script[^>]*\bsrc="https:\/\/www\.googletagmanager\.com\/[^"]*"[^>]*><\/script>\s*/g;
const ANALYTICS_INLINE = /<script>(?:(?!<\/script>)[^])*?\bgtag\((?:(?!<\/script>)[^])*?<\/script>\s*/g;

/** Removes Allure's Google Analytics snippet (always on in Allure 3's awesome report) so opening a report calls no third party. */
export function stripAnalytics(html: string): { html: string; removed: number } {
  let removed = 0;
  const out = html
    .replace(ANALYTICS_LOADER, () => {
      removed++;
      return '';
    })
    .replace(ANALYTICS_INLINE, () => {
      removed++;
      return '';
    });
  return { html: out, removed };
}

/** External resources an HTML page would load (`src=` / `href=` / `url(` to http(s)); [] for a self-contained page. */
export function externalResources(html: string): string[] {
  const found = new Set<string>();
  for (const m of html.matchAll(/\b(?:src|href)\s*=\s*["'](https?:\/\/[^"']+)["']/gi)) found.add(m[1]!);
  for (const m of html.matchAll(/@import\s+(?:url\()?["']?(https?:\/\/[^"')\s]+)/gi)) found.add(m[1]!);
  return [...found];
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return htmlFiles(full);
    return e.isFile() && e.name.endsWith('.html') ? [full] : [];
  });
}

function readStats(summaryJson: string): ReportOutcome['stats'] {
  const stats = { total: 0, passed: 0, failed: 0, broken: 0, skipped: 0, flaky: 0, retries: 0 };
  try {
    const parsed = JSON.parse(readFileSync(summaryJson, 'utf8')) as { stats?: Partial<Record<keyof typeof stats, number>> };
    for (const key of Object.keys(stats) as (keyof typeof stats)[]) stats[key] = Number(parsed.stats?.[key] ?? 0);
  } catch {
    // no summary: leave zeros
  }
  return stats;
}

function countLines(file: string): number {
  if (!existsSync(file)) return 0;
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).length;
}

export async function buildReport(opts: ReportOptions): Promise<ReportOutcome> {
  if (!(REPORT_ENVS as readonly string[]).includes(opts.env)) throw new ReportError(`--env must be one of ${REPORT_ENVS.join(', ')} (got "${opts.env}")`, 2);
  const resultsDir = resolve(opts.resultsDir ?? DEFAULTS.resultsDir);
  const outDir = resolve(opts.outDir ?? DEFAULTS.outDir);
  const historyFile = resolve(opts.historyFile ?? join(DEFAULTS.historyDir, `${opts.env}.jsonl`));
  const cli = opts.allureCli ?? DEFAULTS.allureCli;
  const config = opts.config ?? DEFAULTS.config;

  if (resultFiles(resultsDir).length === 0) throw new ReportError(`${rel(resultsDir)} is empty: run npm test first`, 2);
  if (!existsSync(cli)) throw new ReportError(`the Allure CLI is not installed (${rel(cli)} missing): run npm ci`, 2);
  if (!existsSync(config)) throw new ReportError(`${rel(config)} is missing`, 2);
  for (const inside of [resultsDir, historyFile]) {
    if (inside === outDir || inside.startsWith(outDir + '/')) throw new ReportError(`--out ${rel(outDir)} would delete ${rel(inside)}`, 2);
  }
  clearOutput(outDir);

  const historyBefore = existsSync(historyFile) ? readFileSync(historyFile) : null;
  const variables: Record<string, string> = {};
  if (!existsSync(join(resultsDir, ENVIRONMENT_FILE))) {
    variables.target = 'not recorded (no e2e run in these results)';
    variables.commit = gitCommit() ?? 'unknown (no git)';
  }

  // A failed run leaves the history as it was: no half-recorded run, no line quoting a leaked value.
  const restoreHistory = () => {
    if (historyBefore) writeFileSync(historyFile, historyBefore);
    else rmSync(historyFile, { force: true });
  };
  const singleFile = join(outDir, REPORT_LAYOUT.singleFile);
  const multiFile = join(outDir, REPORT_LAYOUT.multiFile);
  try {
    const started = performance.now();
    const { code, output } = await runAllure(cli, ['generate', resultsDir, '--config', config, '--output', outDir], {
      ...process.env,
      NO_COLOR: '1',
      FORCE_COLOR: '0',
      HARNESS_REPORT_ENV: opts.env,
      HARNESS_REPORT_OUT: outDir,
      HARNESS_REPORT_HISTORY: historyFile,
      HARNESS_REPORT_VARIABLES: JSON.stringify(variables),
    });
    const generateMs = performance.now() - started;
    if (code !== 0 || !existsSync(singleFile) || !existsSync(multiFile)) {
      const line = output.split('\n').map((l) => l.replace(/\x1b\[[0-9;]*m/g, '').trim()).find((l) => l && !/^(npm warn|\(node:)/.test(l));
      throw new ReportError(`allure generate failed${code !== 0 ? ` (exit ${code})` : ': no report written'}${line ? `: ${line}` : ''}`, 2);
    }

    let analyticsRemoved = 0;
    for (const file of htmlFiles(outDir)) {
      const { html, removed } = stripAnalytics(readFileSync(file, 'utf8'));
      if (removed > 0) writeFileSync(file, html);
      analyticsRemoved += removed;
    }
    const external = externalResources(readFileSync(singleFile, 'utf8'));
    if (external.length > 0) throw new ReportError(`${rel(singleFile)} is not self-contained: it loads ${external.slice(0, 3).join(', ')}`, 1);

    const scanStarted = performance.now();
    const secrets = opts.secrets ?? [];
    const fingerprints = readSecretFingerprints(opts.fingerprintsFile);
    const nothingToLookFor = secrets.length === 0 && fingerprints.length === 0;
    const findings: SecretFinding[] = nothingToLookFor ? [] : [
      ...scanForSecrets(outDir, secrets, { fingerprints }).map((f) => ({ ...f, file: `${rel(outDir)}/${f.file}` })),
      ...scanForSecrets(historyFile, secrets, { fingerprints }).map((f) => ({ ...f, file: `${rel(dirname(historyFile))}/${f.file}` })),
      ...scanForSecrets(resultsDir, secrets, { fingerprints }).map((f) => ({ ...f, file: `${rel(resultsDir)}/${f.file}` })),
    ];
    const scanMs = performance.now() - scanStarted;
    if (findings.length > 0) {
      if (!opts.keepOnLeak) rmSync(outDir, { recursive: true, force: true });
      const cleanup = opts.keepOnLeak
        ? ` — report kept for inspection (--keep-on-leak), ${rel(historyFile)} restored`
        : ` — report deleted and ${rel(historyFile)} restored (re-run with --keep-on-leak to inspect)`;
      throw new ReportError(`redaction check failed: ${describeFindings(findings)}${cleanup}`, 1);
    }

    return {
      env: opts.env,
      outDir,
      summaryPage: join(outDir, REPORT_LAYOUT.summaryPage),
      multiFile,
      singleFile,
      historyFile,
      historyRuns: countLines(historyFile),
      stats: readStats(join(outDir, 'awesome', 'summary.json')),
      secretsChecked: secrets.filter((s) => (typeof s === 'string' ? s : s.value).length >= MIN_SECRET_LENGTH).length + fingerprints.length,
      analyticsRemoved,
      generateMs,
      scanMs,
    };
  } catch (error) {
    restoreHistory();
    throw error;
  }
}

/** The one line `npm run report` prints on success. */
export function describeOutcome(o: ReportOutcome): string {
  const s = o.stats;
  const counts = [`${s.passed} passed`, `${s.failed} failed`, ...(s.broken ? [`${s.broken} broken`] : []), `${s.skipped} skipped`, ...(s.flaky ? [`${s.flaky} flaky`] : [])].join(', ');
  const secrets = o.secretsChecked > 0 ? `no known secret found (${o.secretsChecked} checked)` : 'redaction check had no secrets to look for (none in the environment, no e2e fingerprints)';
  return `report (${o.env}): ${s.total} tests — ${counts} → ${rel(o.singleFile)} (single file), ${rel(o.multiFile)}; history ${rel(o.historyFile)} (${o.historyRuns} run${o.historyRuns === 1 ? '' : 's'}); ${secrets}; ${((o.generateMs + o.scanMs) / 1000).toFixed(1)} s`;
}
