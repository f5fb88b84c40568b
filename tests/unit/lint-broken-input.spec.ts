/**
 * Broken input is reported once (issue 15, item 9): a flow that does not parse is one yaml-syntax
 * problem at its position, and the cross-file rules say once that they were not checked instead of
 * concluding from its absence (no false "signup handler is missing"); a missing `.env.example` is
 * one problem naming the file and the rules that needed it, not one per variable. Each case runs on
 * a temporary copy of this repository's flows, compose file and `.env.example`.
 */
import { test, expect } from '../support/unit-test.js';
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lint } from '../../helpers/tools/lint/run.js';
import { lintExample } from '../../helpers/tools/lint/examples.js';
import { main } from '../../helpers/tools/lint/cli.js';
import { relPath } from '../../helpers/tools/lint/formatters.js';
import type { LintResult } from '../../helpers/tools/lint/run.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SIGNUP = 'kestra/flows/christmas/handlers/signup-handler.yml';
const COMPOSE = 'docker-compose.kestra.dokploy.yml';
/** The rules that read the repository index (they follow Subflow calls or look for flows). */
const CROSS_FILE = ['assessment-no-email-1', 'delayed-send', 'handler-webhook', 'sequence-schedule', 'signup-no-send', 'subflow-inputs', 'subflow-target-exists', 'unused-config'];
const ENV_RULES = ['compose-env-documented', 'secret-provided', 'unused-config'];

let repo: string;
test.beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), 'lint-broken-'));
  for (const p of ['kestra', COMPOSE, '.env.example']) cpSync(join(ROOT, p), join(repo, p), { recursive: true });
});
test.afterEach(() => rmSync(repo, { recursive: true, force: true }));

/** Problems as `rule file:line:col`, relative to the temporary repository. */
const brief = (r: LintResult) => r.problems.map((p) => `${p.ruleId} ${relPath(repo, p.file)}:${p.line}:${p.column}`);

/** Breaks the indentation of one line of the signup handler (the `type:` of its first input). */
function breakSignupIndent(): number {
  const path = join(repo, SIGNUP);
  const lines = readFileSync(path, 'utf8').split('\n');
  const i = lines.findIndex((l) => l === '    type: STRING');
  expect(i, 'the signup handler has an input typed STRING').toBeGreaterThan(0);
  lines[i] = '   type: STRING';
  writeFileSync(path, lines.join('\n'));
  return i + 1;
}

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { cwd: repo, env: {}, stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTTY: false });
  return { code, stdout, stderr };
}

test.describe('a flow that does not parse', () => {
  test('the intact copy is clean, and a deleted handler is reported missing (the absence rule works)', async () => {
    expect(brief(await lint({ cwd: repo }))).toEqual([]);
    unlinkSync(join(repo, SIGNUP));
    const r = await lint({ cwd: repo });
    expect(r.problems.filter((p) => p.ruleId === 'handler-webhook').map((p) => p.message)).toEqual([
      `the signup handler christmas.handlers/signup-handler is missing (expected at ${SIGNUP})`,
    ]);
    expect(r.notices).toEqual([]);
  });

  test('is one yaml-syntax problem at its position; cross-file rules say once they were not checked', async () => {
    const line = breakSignupIndent();
    const r = await lint({ cwd: repo });
    expect(brief(r)).toEqual([`yaml-syntax ${SIGNUP}:${line}:1`]);
    expect(r.problems[0]!.message).toBe('YAML syntax: Sequence item without - indicator');
    expect(r.fatal).toEqual([]);
    expect(r.notices).toEqual([`not checked, because ${SIGNUP} does not parse: ${CROSS_FILE.join(', ')}`]);
  });

  test('linting another flow of that repository: no problem, the same one notice', async () => {
    breakSignupIndent();
    const r = await lint({ cwd: repo, paths: ['kestra/flows/christmas/handlers/assessment-handler.yml'] });
    expect(brief(r)).toEqual([]);
    expect(r.notices).toEqual([`not checked, because ${SIGNUP} does not parse: ${CROSS_FILE.join(', ')}`]);
  });

  test('CLI: exit 1, one problem line on stdout, one notice line on stderr', async () => {
    const line = breakSignupIndent();
    const { code, stdout, stderr } = await cli([]);
    expect(code).toBe(1);
    const problemLines = stdout.split('\n').filter((l) => /:\d+:\d+\s/.test(l));
    expect(problemLines).toHaveLength(1);
    expect(problemLines[0]).toMatch(new RegExp(`^${SIGNUP.replace(/\./g, '\\.')}:${line}:1\\s+error\\s+YAML syntax: Sequence item without - indicator\\s+yaml-syntax$`));
    expect(stdout).toContain('✖ 1 problem (1 error, 0 warnings) in 20 files');
    expect(stderr).toBe(`lint: not checked, because ${SIGNUP} does not parse: ${CROSS_FILE.join(', ')}\n`);
  });
});

test.describe('a missing .env.example', () => {
  const message = `.env.example not found: it documents the variables of ${COMPOSE} (not checked: ${ENV_RULES.join(', ')})`;

  test('is one compose-env-documented problem at the compose file, naming the rules that needed it', async () => {
    unlinkSync(join(repo, '.env.example'));
    const r = await lint({ cwd: repo });
    expect(brief(r)).toEqual([`compose-env-documented ${COMPOSE}:1:1`]);
    expect(r.problems.map((p) => `${p.severity} ${p.message}`)).toEqual([`error ${message}`]);
    expect(r.fatal).toEqual([]);
    expect(r.notices).toEqual([]);
  });

  test('an undocumented variable is still one problem per variable when the file exists', async () => {
    const path = join(repo, '.env.example');
    writeFileSync(path, readFileSync(path, 'utf8').replace(/^#? ?POSTGRES_PASSWORD=.*$/m, ''));
    const r = await lint({ cwd: repo });
    expect(brief(r)).toEqual([`compose-env-documented ${COMPOSE}:30:26`]);
    expect(r.problems[0]!.message).toBe('${POSTGRES_PASSWORD} is read by the compose file but not documented in .env.example');
  });

  test('CLI: exit 1 and the one line', async () => {
    unlinkSync(join(repo, '.env.example'));
    const { code, stdout, stderr } = await cli([]);
    expect(code).toBe(1);
    expect(stdout.split('\n').filter((l) => /:\d+:\d+\s/.test(l))).toEqual([`${COMPOSE}:1:1  error    ${message}  compose-env-documented`]);
    expect(stderr).toBe('');
  });

  test('linting only the flows: no problem, one notice naming the missing file', async () => {
    unlinkSync(join(repo, '.env.example'));
    const r = await lint({ cwd: repo, paths: ['kestra/flows'] });
    expect(brief(r)).toEqual([]);
    expect(r.notices).toEqual(['.env.example not found: not checked against it: secret-provided, unused-config']);
  });

  test('a lone compose file (a rule example, no project beside it) is not held to a .env.example', async () => {
    const r = await lintExample(ROOT, 'fixtures/lint/compose-basic-auth/clean.compose.yml');
    expect(r.fatal).toEqual([]);
    expect(r.problems.filter((p) => p.ruleId === 'compose-env-documented')).toEqual([]);
  });
});
