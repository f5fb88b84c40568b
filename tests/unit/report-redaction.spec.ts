/**
 * Reports never hold secrets — proved on a REAL run: fixtures/report/report-fixture.spec.ts runs
 * under Playwright with the real allure-playwright reporter, plants random secret values in a
 * payload, request headers and a log line attached through tests/support/attach.ts, and
 * `npm run report` (helpers/tools/cli/report.ts) builds the Allure 3 report from it. One nested run
 * of one project (fixtures/report/playwright.config.ts), two results directories:
 *  - redacted run (the e2e tests, attaching as the e2e specs do): neither the results nor the report
 *    (multi-file and single file, raw / URL-encoded / base64 / inside base64) hold any planted value;
 *    the spawned CLI (`--env ci`) passes, and its run is the first of the ci history the history test extends;
 *  - control run (the @control test: no redaction, a console.log): the same scan finds every value, the
 *    command (its `main`, in this process) exits 1, deletes the report and leaves the history untouched —
 *    so the check can fail.
 * The same run proves the report's shape: self-contained single file that renders offline,
 * categories, epic/feature/story labels, the environment section.
 * Cost (issue 14): one nested runner and 7 fixture workers (each of the 7 failing tests replaces its
 * worker; the passing and skipped tests run in them too), one spawned CLI, four Allure
 * generations in two engine processes (the spawned CLI's; this worker's serves the control run,
 * 'report kept' and the second ci run), one Chromium.
 */
import { test, expect } from '../support/unit-test.js';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolveChromium, CHROMIUM_ARGS } from '../../helpers/scenarios/funnel/chromium.js';
import { buildReport, externalResources, ReportError } from '../../helpers/tools/report/generate.js';
import { releaseAllureEngines } from '../../helpers/tools/report/allure-generate.js';
import { main as reportMain, parseReportArgs } from '../../helpers/tools/cli/report.js';
import { isolatedEnv } from '../../helpers/config/isolated-env.js';
import { readSecretFingerprints, scanForSecrets, type NamedSecret } from '../../helpers/tools/report/secrets.js';
import { npmScriptArgs } from '../support/npm-script.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PLAYWRIGHT_CLI = join(ROOT, 'node_modules/@playwright/test/cli.js');
/**
 * playwright-core (CommonJS) is required, not imported, by the one test that drives Chromium: an
 * ESM import has Node lex its multi-megabyte bundle for export names (0.3–0.8 s of CPU) in the
 * runner, which loads this file to list its tests, and again in the worker.
 */
const requireCommonJs = createRequire(import.meta.url);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Neither the parent's Playwright worker variables nor the developer's environment or .env reach the nested runs. */
const childEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => isolatedEnv(extra);

function run(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }));
  });
}

const reportCli = (args: string[]) => run([...npmScriptArgs('report'), ...args], childEnv({}));

const token = (prefix: string, bytes: number) => `${prefix}${randomBytes(bytes).toString('base64url')}`;
// Random per run, so no earlier file can hold them; the password has characters URLs must encode.
const planted = {
  webhookKey: token('wh', 16),
  apiKey: token('re_', 18),
  token: token('ntn_', 18),
  password: `${token('pw-', 9)}/+:@&?=`,
};
const plantedSecrets: NamedSecret[] = Object.entries(planted).map(([name, value]) => ({ name: `planted ${name}`, value }));

// Made in beforeAll, not at load: Playwright also loads this file in the runner to list the tests,
// and a folder made there would never be removed (it was left in /tmp on every run).
let tmp = '';
let dirs: ReturnType<typeof runDirs>;
const runDirs = (tmp: string) => ({
  redacted: { results: join(tmp, 'redacted-results'), report: join(tmp, 'redacted-report'), fingerprints: join(tmp, 'redacted-fp.jsonl') },
  control: { results: join(tmp, 'control-results'), report: join(tmp, 'control-report'), fingerprints: join(tmp, 'control-fp.jsonl') },
  history: join(tmp, 'history'),
  /** The redacted report is the first `ci` run of this history (the history test adds the second). */
  perEnvHistory: join(tmp, 'per-env'),
});
const runs: Partial<Record<'fixtureTests' | 'redactedReport' | 'controlReport', Run>> = {};

/** Both runs in one nested run: redacted (with the category failures) and control. */
function fixtureRun(): Promise<Run> {
  return run([PLAYWRIGHT_CLI, 'test', '-c', join(ROOT, 'fixtures/report/playwright.config.ts')], childEnv({
    HARNESS_REPORT_FIXTURE_RESULTS: dirs.redacted.results,
    HARNESS_REPORT_FIXTURE_FINGERPRINTS: dirs.redacted.fingerprints,
    HARNESS_REPORT_FIXTURE_CONTROL_RESULTS: dirs.control.results,
    HARNESS_REPORT_FIXTURE_CONTROL_FINGERPRINTS: dirs.control.fingerprints,
    HARNESS_REPORT_PLANTED: JSON.stringify(planted),
  }));
}

/** Allure statuses of a results directory's tests, by name. */
function resultStatuses(results: string): Record<string, string> {
  return Object.fromEntries(readdirSync(results).filter((f) => f.endsWith('-result.json')).map((f) => {
    const r = JSON.parse(readFileSync(join(results, f), 'utf8')) as { name: string; status: string };
    return [r.name, r.status];
  }));
}

/**
 * `npm run report` of one project's results. The redacted run is the spawned command (its exit
 * status, streams and one line: the CLI contract); the control run is the same command line
 * through `main` in this process (what the entry runs, with the children's environment: no harness
 * secret), so its engine serves this spec's other reports too.
 */
async function reportRun(mode: 'redacted' | 'control'): Promise<Run> {
  const d = dirs[mode];
  const where = mode === 'redacted' ? ['--env', 'ci', '--history', join(dirs.perEnvHistory, 'ci.jsonl')] : ['--env', 'local', '--history', join(dirs.history, 'control.jsonl')];
  // Only the fingerprints the run registered: the CLI never sees the planted values in clear.
  const args = [...where, '--results', d.results, '--out', d.report, '--fingerprints', d.fingerprints];
  if (mode === 'redacted') return reportCli(args);
  const started = performance.now();
  let stdout = '';
  let stderr = '';
  const code = await reportMain(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) }, childEnv({}));
  return { code, stdout, stderr, ms: performance.now() - started };
}

/** Test results of the generated report, by test name. */
function reportTests(report: string): Map<string, { status: string; categories?: { name: string }[]; labels: { name: string; value: string }[] }> {
  const dir = join(report, 'awesome', 'data', 'test-results');
  return new Map(readdirSync(dir).map((f) => {
    const tr = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    return [tr.name as string, tr];
  }));
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  tmp = mkdtempSync(join(tmpdir(), 'report-redaction-'));
  dirs = runDirs(tmp);
  const fixture = await fixtureRun();
  runs.fixtureTests = fixture;
  const [redactedReport, controlReport] = await Promise.all([reportRun('redacted'), reportRun('control')]);
  runs.redactedReport = redactedReport;
  runs.controlReport = controlReport;
  const fmt = (r?: Run) => (r ? `${(r.ms / 1000).toFixed(1)} s` : '-');
  test.info().annotations.push({
    type: 'timing',
    description: `fixture run ${fmt(fixture)}; npm run report ${fmt(redactedReport)} (spawned) / ${fmt(controlReport)} (in-process), in parallel`,
  });
});

test.afterAll(() => {
  // This worker's Allure engine served the spec's in-process reports: let it go rather than idle until the worker exits.
  releaseAllureEngines();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('the fixture runs went through the real allure-playwright reporter', () => {
  // The redacted run also holds the category fixtures, which fail on purpose; the control run's
  // one test passes. Each results directory holds its own tests only.
  const run = runs.fixtureTests!;
  expect(run.code, run.stdout.slice(-2000)).toBe(1);
  expect(run.stdout, run.stdout.slice(-2000)).toMatch(/\n\s*7 failed\n[^]*\n\s*1 skipped\n\s*2 passed \(/);
  expect(resultStatuses(dirs.control.results)).toEqual({ 'assessment webhook: evidence with a payload, request headers and a log line': 'passed' });
  expect(resultStatuses(dirs.redacted.results)).toEqual({
    'assessment webhook: evidence with a payload, request headers and a log line': 'passed',
    'timeout: the handler execution never finishes': 'failed',
    'HTTP 5xx: Kestra answers 503': 'failed',
    '429: Kestra rate-limits the harness': 'failed',
    'unreachable: nothing listens on the Kestra port': 'failed',
    'target unavailable: the container target is skipped': 'skipped',
    'product defect: an assertion fails': 'failed',
    'harness error: the test code throws': 'failed',
    'Playwright test timeout': 'broken',
  });
  for (const mode of ['redacted', 'control'] as const) {
    const files = readdirSync(dirs[mode].results);
    expect(files.filter((f) => f.endsWith('-result.json')).length, mode).toBeGreaterThanOrEqual(1);
    expect(files.filter((f) => /-attachment\.(json|txt)$/.test(f)).length, `${mode}: attachments`).toBeGreaterThanOrEqual(3);
    expect(readSecretFingerprints(dirs[mode].fingerprints).map((f) => f.name).sort(), `${mode}: fingerprints`).toEqual(plantedSecrets.map((s) => s.name).sort());
  }
});

test('redacted run: the attachments carry *** where the planted values were', () => {
  const attachments = readdirSync(dirs.redacted.results).filter((f) => /-attachment\.(json|txt)$/.test(f)).map((f) => readFileSync(join(dirs.redacted.results, f), 'utf8'));
  const headers = attachments.map((a) => { try { return JSON.parse(a) as Record<string, string>; } catch { return null; } }).find((a) => a && 'authorization' in a);
  expect(headers).toEqual({ authorization: 'Bearer ***', 'x-api-key': '***', 'x-webhook-key': '***' });
  const log = attachments.find((a) => a.includes('login with password='));
  expect(log).toContain('password=*** and token=***');
  expect(log).toContain('/executions/webhook/christmas.handlers/assessment-handler/***');
});

test('redacted run: neither results nor report hold any planted value, in any form', () => {
  expect(scanForSecrets(dirs.redacted.results, plantedSecrets)).toEqual([]);
  expect(scanForSecrets(dirs.redacted.report, plantedSecrets)).toEqual([]);
  expect(scanForSecrets(join(dirs.perEnvHistory, 'ci.jsonl'), plantedSecrets)).toEqual([]);
  // …and the CLI, which only had the run's fingerprints, agrees.
  const r = runs.redactedReport!;
  expect(r.stderr.replace(/^npm warn.*\n/gm, '')).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout.trim().split('\n')).toHaveLength(1);
  expect(r.stdout).toMatch(/^report \(ci\): 9 tests — 1 passed, 6 failed, 1 broken, 1 skipped → .*single-file\/index\.html \(single file\), .*awesome\/index\.html; history .*per-env\/ci\.jsonl \(1 run\); no known secret found \(4 checked\); \d+\.\d s$/m);
});

test('control run: the same check finds every planted value, and the command fails without keeping the report', () => {
  const inResults = scanForSecrets(dirs.control.results, plantedSecrets);
  expect([...new Set(inResults.map((f) => f.secret))].sort()).toEqual(plantedSecrets.map((s) => s.name).sort());
  expect(inResults.find((f) => f.secret === 'planted password')?.form).toBe('url-encoded');
  // The stray console.log: allure-playwright attached the test's stdout as-is.
  const stdoutLeak = inResults.filter((f) => f.secret === 'planted token').map((f) => readFileSync(join(dirs.control.results, f.file), 'utf8'));
  expect(stdoutLeak.some((text) => text.startsWith('debug: calling Resend with Authorization: Bearer'))).toBe(true);

  const r = runs.controlReport!;
  expect(r.code).toBe(1);
  const line = r.stderr.replace(/^npm warn.*\n/gm, '').trim();
  expect(line.split('\n')).toHaveLength(1);
  expect(line).toMatch(/^report: redaction check failed: .*planted (apiKey|token|webhookKey|password).* in \d+ file\(s\), first in .* — report deleted and .*control\.jsonl restored/);
  for (const s of plantedSecrets) expect(line).toContain(s.name);
  for (const value of Object.values(planted)) {
    expect(line).not.toContain(value);
    expect(line).not.toContain(encodeURIComponent(value));
  }
  expect(existsSync(dirs.control.report), 'a leaking report is deleted').toBe(false);
  expect(existsSync(join(dirs.history, 'control.jsonl')), 'and its run is not recorded in the history').toBe(false);
});

test('control run, report kept: the scan finds the values in the multi-file report AND inside the single file\'s base64', async () => {
  // In-process, the way the CLI's main() runs it (the control report above proves how a leak leaves
  // the command: exit 1, one stderr line); no harness secrets, as in the children's env.
  const args = parseReportArgs(['--env', 'local', '--results', dirs.control.results, '--out', dirs.control.report, '--history', join(dirs.history, 'control.jsonl'), '--fingerprints', dirs.control.fingerprints, '--keep-on-leak']);
  expect(args.keepOnLeak).toBe(true);
  const failure = await buildReport({ ...args, secrets: [] }).then(() => undefined, (error: unknown) => error);
  expect(failure).toBeInstanceOf(ReportError);
  expect((failure as ReportError).exitCode).toBe(1);
  expect((failure as ReportError).message).toContain('report kept for inspection');
  const inSingleFile = scanForSecrets(join(dirs.control.report, 'single-file'), plantedSecrets);
  // In the HTML itself they exist only base64-encoded (found aligned, or by decoding the embedded data).
  expect(inSingleFile.filter((f) => !f.file.startsWith('index.html#base64@') && f.form !== 'base64' && f.form !== 'base64url')).toEqual([]);
  expect([...new Set(inSingleFile.map((f) => f.secret))].sort()).toEqual(plantedSecrets.map((s) => s.name).sort());
  // A raw search of the single file alone would have missed everything:
  const html = readFileSync(join(dirs.control.report, 'single-file', 'index.html'), 'latin1');
  expect(Object.values(planted).filter((v) => html.includes(v))).toEqual([]);
  const inMultiFile = scanForSecrets(join(dirs.control.report, 'awesome'), plantedSecrets);
  expect(new Set(inMultiFile.map((f) => f.secret)).size).toBe(4);
  expect(existsSync(join(dirs.history, 'control.jsonl')), 'history restored even when the report is kept').toBe(false);
});

test('the single file is self-contained and renders offline from disk', async () => {
  const singleFile = join(dirs.redacted.report, 'single-file', 'index.html');
  const html = readFileSync(singleFile, 'utf8');
  expect(externalResources(html)).toEqual([]);
  expect(html).not.toContain('googletagmanager');
  expect(html).toContain('d("data/test-results/');
  expect(existsSync(join(dirs.redacted.report, 'index.html')), 'summary page').toBe(true);
  expect(existsSync(join(dirs.redacted.report, 'awesome', 'index.html')), 'multi-file report').toBe(true);

  const { chromium } = requireCommonJs('playwright-core') as typeof import('playwright-core');
  const choice = resolveChromium(process.env, existsSync, () => { try { return chromium.executablePath(); } catch { return undefined; } });
  test.skip(choice.kind === 'missing', choice.kind === 'missing' ? choice.message : '');
  const browser = await chromium.launch({ ...(choice.kind === 'path' ? { executablePath: choice.path } : {}), args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext();
    const requested: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
      requested.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    await page.goto(pathToFileURL(singleFile).href);
    await expect(page.getByText('product defect: an assertion fails').first()).toBeVisible({ timeout: 15_000 });
    await expect(page.getByText('5-day sequence').first()).toBeVisible();
    expect(requested, 'no request leaves the machine').toEqual([]);
  } finally {
    await browser.close();
  }
});

test('categories separate infrastructure trouble from product defects, on the real messages', () => {
  const tests = reportTests(dirs.redacted.report);
  const category = (name: string) => tests.get(name)?.categories?.[0]?.name;
  expect(category('timeout: the handler execution never finishes')).toBe('Infrastructure: timeout');
  expect(category('Playwright test timeout')).toBe('Infrastructure: timeout');
  expect(category('HTTP 5xx: Kestra answers 503')).toBe('Infrastructure: HTTP 5xx');
  expect(category('429: Kestra rate-limits the harness')).toBe('Infrastructure: rate limited (429)');
  expect(category('unreachable: nothing listens on the Kestra port')).toBe('Infrastructure: target unavailable');
  expect(category('target unavailable: the container target is skipped')).toBe('Infrastructure: target unavailable');
  expect(category('product defect: an assertion fails')).toBe('Product defect');
  expect(category('harness error: the test code throws')).toBe('Harness error (test code, configuration)');
  expect(category('assessment webhook: evidence with a payload, request headers and a log line')).toBeUndefined();
});

test('epic / feature / story labels follow the spec\'s sequences and webhooks', () => {
  const tests = reportTests(dirs.redacted.report);
  const behaviour = (name: string) => {
    const labels = tests.get(name)?.labels ?? [];
    const one = (l: string) => labels.filter((x) => x.name === l).map((x) => x.value);
    return { epic: one('epic'), feature: one('feature'), story: one('story') };
  };
  expect(behaviour('assessment webhook: evidence with a payload, request headers and a log line')).toEqual({ epic: ['5-day sequence'], feature: ['assessment webhook'], story: ['valid payload handled per SPEC'] });
  expect(behaviour('timeout: the handler execution never finishes')).toEqual({ epic: ['No-show recovery'], feature: ['noshow webhook'], story: ['execution times out'] });
  expect(behaviour('product defect: an assertion fails')).toEqual({ epic: ['Signup tracking'], feature: ['signup webhook'], story: ['contact created once'] });
  expect(behaviour('429: Kestra rate-limits the harness')).toEqual({ epic: ['Onboarding'], feature: ['onboarding webhook'], story: ['rate limited'] });
  // The tree groups by them: project → epic → feature → story.
  const tree = JSON.parse(readFileSync(join(dirs.redacted.report, 'awesome', 'widgets', 'tree.json'), 'utf8')) as { root: { groups: string[] }; groupsById: Record<string, { name: string; groups?: string[] }> };
  const e2e = tree.groupsById[tree.root.groups[0]!]!;
  expect(e2e.name).toBe('e2e');
  expect((e2e.groups ?? []).map((id) => tree.groupsById[id]!.name)).toEqual(expect.arrayContaining(['5-day sequence', 'No-show recovery', 'Post-call follow-up', 'Onboarding', 'Signup tracking']));
});

test('the environment section shows what environment.properties recorded, special characters intact', () => {
  const env = JSON.parse(readFileSync(join(dirs.redacted.report, 'awesome', 'widgets', 'allure_environment.json'), 'utf8')) as { name: string; values: string[] }[];
  expect(Object.fromEntries(env.map((e) => [e.name, e.values[0]]))).toEqual({
    target: 'local',
    'kestra.version': 'embedded stand-in 1.3.0',
    commit: 'abc1234',
    flows: 'christmas.handlers/assessment-handler@2, christmas/send-email@5',
    'note: unicode': 'délai ≥ 24 h — ok',
    'path\\with=odd:chars': ' leading space',
  });
  const variables = JSON.parse(readFileSync(join(dirs.redacted.report, 'awesome', 'widgets', 'variables.json'), 'utf8'));
  expect(variables).toEqual({ 'report environment': 'ci' });
});

test('history is kept per environment: a second ci run sees the first, local and prod are separate files', async () => {
  // The first ci run is the spawned `npm run report -- --env ci` of the redacted results above ("(1 run)").
  const history = dirs.perEnvHistory;
  expect(readdirSync(history)).toEqual(['ci.jsonl']);

  // Make the assertion that fails now have passed in the previous ci run, after failing before
  // that: Allure's flaky rule (passed, then failed again within the last 5 runs).
  const [line, ...more] = readFileSync(join(history, 'ci.jsonl'), 'utf8').trim().split('\n');
  expect(more).toEqual([]);
  const older = JSON.parse(line!) as { uuid: string; timestamp: number; testResults: Record<string, { name: string; status: string }> };
  const newer = structuredClone(older);
  newer.uuid = `${older.uuid.slice(0, -4)}beef`;
  newer.timestamp = older.timestamp + 1_000;
  for (const tr of Object.values(newer.testResults)) if (tr.name === 'product defect: an assertion fails') tr.status = 'passed';
  writeFileSync(join(history, 'ci.jsonl'), `${JSON.stringify(older)}\n${JSON.stringify(newer)}\n`);

  const second = await buildReport({ resultsDir: dirs.redacted.results, fingerprintsFile: dirs.redacted.fingerprints, env: 'ci', outDir: join(tmp, 'ci-2'), historyFile: join(history, 'ci.jsonl') });
  expect(second.historyRuns).toBe(3);
  const tests = reportTests(join(tmp, 'ci-2'));
  const defect = tests.get('product defect: an assertion fails') as unknown as { flaky: boolean; history: unknown[]; categories: { name: string }[] };
  expect(defect.history.length).toBe(2);
  expect(defect.flaky).toBe(true);
  expect(defect.categories[0]!.name).toBe('Flaky tests');
  expect(second.stats.flaky).toBeGreaterThanOrEqual(1);

  // One file per environment: the ci runs wrote neither local.jsonl nor prod.jsonl, nor the local control run's file.
  expect(readdirSync(history)).toEqual(['ci.jsonl']);
  expect(existsSync(join(dirs.history, 'control.jsonl'))).toBe(false);
});
