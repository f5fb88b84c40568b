/**
 * `npm run report` (helpers/tools/cli/report.ts + helpers/tools/report/generate.ts) as a user meets it:
 * arguments, one readable line and exit 2 for usage / missing results, the secrets it knows,
 * and the HTML post-processing that keeps the single file self-contained and free of tracking.
 * (The full generation and the redaction check run in report-redaction.spec.ts.)
 */
import { test, expect } from '../support/unit-test.js';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { environmentSecrets, main, parseReportArgs, readSecretsFile } from '../../helpers/tools/cli/report.js';
import { buildReport, externalResources, ReportError, stripAnalytics } from '../../helpers/tools/report/generate.js';
import { isolatedEnv } from '../../helpers/config/isolated-env.js';
import { npmScriptArgs } from '../support/npm-script.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...npmScriptArgs('report'), ...args], { cwd: ROOT, env: isolatedEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The same command line in this process (`main` is what the entry runs): no TypeScript loader to start. */
async function runMain(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

let dir: string;
test.beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'report-cli-'));
});
test.afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function reportError(promise: Promise<unknown>): Promise<ReportError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ReportError) return error;
    throw error;
  }
  throw new Error('expected a ReportError');
}

test('no results: exit 2 and one line telling what to do', async () => {
  const empty = join(dir, 'allure-results');
  mkdirSync(empty);
  const r = await runCli(['--results', empty, '--out', join(dir, 'report'), '--history', join(dir, 'h.jsonl'), '--fingerprints', join(dir, 'fp.jsonl')]);
  expect(r.code).toBe(2);
  expect(r.stderr.replace(/^npm warn.*\n/gm, '')).toBe(`report: ${empty} is empty: run npm test first\n`);
  expect(r.stdout).toBe('');
  expect(existsSync(join(dir, 'h.jsonl'))).toBe(false);
});

test('usage errors: exit 2 with one line; --help exits 0', async () => {
  // The exit status and streams of the process are proven by the spawned run above; these take main's other paths.
  const [bad, help] = await Promise.all([runMain(['--env', 'staging']), runMain(['--help'])]);
  expect(bad.code).toBe(2);
  expect(bad.stderr.trim().split('\n').filter((l) => !l.startsWith('npm warn'))).toEqual(['report: --env must be one of local, ci, prod (got "staging")']);
  expect(help.code).toBe(0);
  expect(help.stdout).toContain('npm run report [-- --env local|ci|prod]');
});

test('parseReportArgs: env defaults to ci under CI, local otherwise; every option; readable errors', () => {
  expect(parseReportArgs([], { CI: 'true' }).env).toBe('ci');
  expect(parseReportArgs([], {}).env).toBe('local');
  const args = parseReportArgs(['--env', 'prod', '--results', 'r', '--out', 'o', '--history', 'h.jsonl', '--secrets-file', 's.json', '--fingerprints', 'f.jsonl', '--keep-on-leak'], {});
  expect(args).toMatchObject({ env: 'prod', keepOnLeak: true });
  expect(args.resultsDir).toBe(join(process.cwd(), 'r'));
  expect(args.historyFile).toBe(join(process.cwd(), 'h.jsonl'));
  expect(() => parseReportArgs(['--out'], {})).toThrow('--out needs a value');
  expect(() => parseReportArgs(['--results', '--out', 'x'], {})).toThrow('--results needs a value');
  expect(() => parseReportArgs(['--open'], {})).toThrow('unknown argument "--open" (see --help)');
});

test('the secrets it looks for: the harness\'s secret variables only, plus a secrets file', () => {
  const found = environmentSecrets({ KESTRA_URL: 'https://kestra.example.com', KESTRA_USERNAME: 'admin@example.com', KESTRA_PASSWORD: 'hunter2-long', NOTION_TOKEN: 'ntn_abcdefabcdef', KESTRA_WEBHOOK_KEY_SIGNUP: 'wh-signup-key' });
  expect(found).toEqual([
    { name: 'KESTRA_PASSWORD', value: 'hunter2-long' },
    { name: 'KESTRA_WEBHOOK_KEY_SIGNUP', value: 'wh-signup-key' },
    { name: 'NOTION_TOKEN', value: 'ntn_abcdefabcdef' },
  ]);
  const file = join(dir, 'secrets.json');
  writeFileSync(file, JSON.stringify(['plain-secret', { name: 'STRIPE_KEY', value: 'sk_test_123456' }]));
  expect(readSecretsFile(file)).toEqual([{ name: 'secrets-file #1', value: 'plain-secret' }, { name: 'STRIPE_KEY', value: 'sk_test_123456' }]);
  writeFileSync(file, '{"not": "an array"}');
  expect(() => readSecretsFile(file)).toThrow('must be a JSON array of strings or {"name","value"} objects');
  writeFileSync(file, 'nope');
  expect(() => readSecretsFile(file)).toThrow('not valid JSON');
  expect(() => readSecretsFile(join(dir, 'absent.json'))).toThrow('no such file');
});

test('buildReport refuses to wipe a directory that is not a report, or one that holds the results', async () => {
  const results = join(dir, 'allure-results');
  mkdirSync(results);
  writeFileSync(join(results, '0000-result.json'), '{}');
  const notAReport = join(dir, 'src');
  mkdirSync(notAReport);
  writeFileSync(join(notAReport, 'main.ts'), '');
  const refused = await reportError(buildReport({ env: 'local', resultsDir: results, outDir: notAReport, historyFile: join(dir, 'h.jsonl') }));
  expect(refused.exitCode).toBe(2);
  expect(refused.message).toBe(`refusing to replace ${notAReport}: it does not look like an Allure report (it holds main.ts)`);
  expect(existsSync(join(notAReport, 'main.ts'))).toBe(true);

  const around = await reportError(buildReport({ env: 'local', resultsDir: results, outDir: dir, historyFile: join(dir, 'h.jsonl') }));
  expect(around.message).toBe(`--out ${dir} would delete ${results}`);
  expect((await reportError(buildReport({ env: 'qa' as never }))).message).toBe('--env must be one of local, ci, prod (got "qa")');
});

test('stripAnalytics removes the tracking snippet Allure 3 hard-codes; externalResources lists what a page would load', () => {
  // The exact markup of @allurereport/plugin-awesome 3.x (analyticsEnable: true).
  const allureHtml = `<body>
    <div id="app"></div>
    <script async src="https://www.googletagmanager.com/gtag/js?id=G-LNDJ3J7WT0"></script>
    <script>
        window.dataLayer = window.dataLayer || [];
        function gtag(){dataLayer.push(arguments);}
        gtag('js', new Date());
        gtag('config', 'G-LNDJ3J7WT0', { "report": "awesome" });
    </script>
    <script async>window.allureReportDataReady = true;</script>
    <script src="data:text/javascript;base64,YWxlcnQoMSk="></script>
</body>`;
  expect(externalResources(allureHtml)).toEqual(['https://www.googletagmanager.com/gtag/js?id=G-LNDJ3J7WT0']);
  const { html, removed } = stripAnalytics(allureHtml);
  expect(removed).toBe(2);
  expect(html).not.toContain('gtag');
  expect(html).toContain('window.allureReportDataReady = true;');
  expect(html).toContain('data:text/javascript;base64,YWxlcnQoMSk=');
  expect(externalResources(html)).toEqual([]);
  expect(externalResources('<link rel="stylesheet" href="https://cdn.example/x.css"><style>@import url("https://fonts.example/f.css")</style>')).toEqual(['https://cdn.example/x.css', 'https://fonts.example/f.css']);
  expect(stripAnalytics(readFileSync(join(ROOT, 'allurerc.mjs'), 'utf8')).removed).toBe(0);
});
