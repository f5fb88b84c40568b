/**
 * The `lint` command as a user and CI run it: output formats (stylish, json, SARIF 2.1.0, GitHub
 * annotations), exit codes, one-line answers to bad input, the kestra profile, server mode against
 * a loopback HTTP server answering with recorded Kestra responses, and the repository's own flows
 * and compose file. Most runs call the CLI's `main` in this process; a spawned run stays wherever
 * only a process can prove the point (both entries, exit status and streams, `.env` of the cwd).
 */
import { test, expect } from '../support/unit-test.js';
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { lint } from '../../helpers/tools/lint/run.js';
import { main } from '../../helpers/tools/lint/cli.js';
import { formatGithub, formatJson, formatStylish, rulesMarkdown, toSarif, relPath } from '../../helpers/tools/lint/formatters.js';
import { RULES, ruleById } from '../../helpers/tools/lint/registry.js';
import { startRecordedKestra, type RecordedKestra } from '../../helpers/standins/recorded-kestra.js';
import type { Problem } from '../../helpers/tools/lint/types.js';
import { isolatedEnv } from '../../helpers/config/isolated-env.js';
import { startKestraStandin, KESTRA_STANDIN_DEFAULT_AUTH } from '../../helpers/standins/kestra/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIX = join(ROOT, 'fixtures/lint');
const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI the way `npm run lint` does (tsx) or through the fast launcher. */
function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; via?: 'tsx' | 'launcher' } = {}): Promise<Run> {
  const entry = opts.via === 'tsx' ? ['--import', TSX_LOADER, join(ROOT, 'helpers/tools/cli/lint.ts')] : [join(ROOT, 'helpers/tools/lint/launcher.mjs')];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...entry, ...args], { cwd: opts.cwd ?? ROOT, env: isolatedEnv(opts.env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * The same command line in this process: `main` is what both entries (the launcher and
 * `tsx helpers/tools/cli/lint.ts`) call, with this process's streams. Each node start costs more
 * than the lint itself, so only what a process alone can prove (exit status, the streams, `.env`
 * of the working directory) is checked through `runCli`.
 */
async function runMain(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { cwd: opts.cwd ?? ROOT, env: isolatedEnv(opts.env), stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

const noStackTrace = (s: string) => expect(s).not.toMatch(/\n\s+at .+:\d+:\d+/);

const sample: Problem[] = [
  { file: join(ROOT, 'kestra/flows/a/x.yml'), line: 3, column: 5, ruleId: 'id-pattern', severity: 'error', message: "task id 'a.b' must match ^[a-zA-Z0-9][a-zA-Z0-9_-]*$" },
  { file: join(ROOT, 'kestra/flows/a/x.yml'), line: 12, column: 11, ruleId: 'deprecated-core-alias', severity: 'warning', message: 'io.kestra.core.tasks.log.Log is a legacy alias: use io.kestra.plugin.core.log.Log' },
  { file: join(ROOT, 'docker-compose.kestra.dokploy.yml'), line: 7, column: 12, ruleId: 'compose-image-pinned', severity: 'error', message: "service 'kestra': image tag 'latest' moves, pin a version" },
];

test.describe('formatters', () => {
  test('stylish: file:line:col  severity  message  rule-id, grouped by file, with a summary line', () => {
    const out = formatStylish(sample, ROOT, 2);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^kestra\/flows\/a\/x\.yml:3:5\s+error\s+task id 'a\.b' must match .*\s+id-pattern$/);
    expect(lines[1]).toMatch(/^kestra\/flows\/a\/x\.yml:12:11\s+warning\s+io\.kestra\.core\.tasks\.log\.Log is a legacy alias.*\s+deprecated-core-alias$/);
    expect(lines[2]).toBe('');
    expect(lines[3]).toMatch(/^docker-compose\.kestra\.dokploy\.yml:7:12\s+error\s+.*compose-image-pinned$/);
    expect(lines[lines.length - 1]).toBe('✖ 3 problems (2 errors, 1 warning) in 2 files');
    expect(formatStylish([], ROOT, 4).trim()).toBe('✔ no problems in 4 files');
  });

  test('json: an array of { file, line, column, ruleId, severity, message } with relative paths', () => {
    const parsed = JSON.parse(formatJson(sample, ROOT)) as Record<string, unknown>[];
    expect(parsed).toEqual([
      { file: 'kestra/flows/a/x.yml', line: 3, column: 5, ruleId: 'id-pattern', severity: 'error', message: sample[0]!.message },
      { file: 'kestra/flows/a/x.yml', line: 12, column: 11, ruleId: 'deprecated-core-alias', severity: 'warning', message: sample[1]!.message },
      { file: 'docker-compose.kestra.dokploy.yml', line: 7, column: 12, ruleId: 'compose-image-pinned', severity: 'error', message: sample[2]!.message },
    ]);
    for (const p of parsed) expect(Object.keys(p)).toEqual(['file', 'line', 'column', 'ruleId', 'severity', 'message']);
  });

  test('sarif: a SARIF 2.1.0 log with rule metadata and results pointing into it', () => {
    const log = toSarif(sample, RULES, ROOT) as {
      version: string;
      $schema: string;
      runs: { tool: { driver: { name: string; rules: { id: string; shortDescription: { text: string }; fullDescription: { text: string }; help: { text: string }; defaultConfiguration: { level: string } }[] } }; results: { ruleId: string; ruleIndex: number; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number; startColumn: number } } }[] }[] }[];
    };
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toContain('sarif-2.1.0');
    expect(log.runs).toHaveLength(1);
    const run = log.runs[0]!;
    expect(run.tool.driver.name).toBe('kestra-lint');
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    for (const r of run.tool.driver.rules) {
      const rule = ruleById(r.id)!;
      expect(r.shortDescription.text).toBe(rule.description);
      expect(r.fullDescription.text).toBe(rule.doc);
      expect(r.help.text).toBe(rule.doc);
      expect(r.defaultConfiguration.level).toBe(rule.severity);
    }
    expect(run.results).toHaveLength(3);
    const first = run.results[0]!;
    expect(first.ruleId).toBe('id-pattern');
    expect(run.tool.driver.rules[first.ruleIndex]!.id).toBe('id-pattern');
    expect(first.level).toBe('error');
    expect(first.message.text).toBe(sample[0]!.message);
    expect(first.locations[0]!.physicalLocation).toEqual({ artifactLocation: { uri: 'kestra/flows/a/x.yml', uriBaseId: '%SRCROOT%' }, region: { startLine: 3, startColumn: 5 } });
    expect(run.results[1]!.level).toBe('warning');
  });

  test('github: one workflow annotation command per problem, properties escaped', () => {
    const out = formatGithub([...sample, { ...sample[0]!, message: 'a: b, c\nnext 100%' }], ROOT).trimEnd().split('\n');
    expect(out[0]).toBe(`::error file=kestra/flows/a/x.yml,line=3,col=5,title=id-pattern::${sample[0]!.message} (id-pattern)`);
    expect(out[1]).toMatch(/^::warning file=kestra\/flows\/a\/x\.yml,line=12,col=11,title=deprecated-core-alias::/);
    expect(out[3]).toBe('::error file=kestra/flows/a/x.yml,line=3,col=5,title=id-pattern::a: b, c%0Anext 100%25 (id-pattern)');
  });

  test('--rules-markdown table lists every rule with severity, profile and doc', () => {
    const md = rulesMarkdown(RULES).trimEnd().split('\n');
    expect(md[0]).toBe('| Rule | Severity | Profile | What it checks |');
    expect(md).toHaveLength(RULES.length + 2);
    RULES.forEach((r, i) => expect(md[i + 2]).toContain(`| \`${r.id}\` | ${r.severity} | ${r.profile} | **`));
  });

  test('the rule table in README.md is the generated one', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const table = /<!-- rules-table:start[^>]*-->\n([\s\S]*?)<!-- rules-table:end -->/.exec(readme)?.[1];
    expect(table, 'regenerate it with: node helpers/tools/lint/launcher.mjs --rules-markdown').toBe(rulesMarkdown(RULES));
  });
});

test.describe('command line', () => {
  test('the npm script entry (tsx helpers/tools/cli/lint.ts) and the fast launcher give the same answer', async () => {
    const args = ['--format', 'json', 'fixtures/lint/pebble-outputs-ref/offending-later.yml'];
    const [viaTsx, viaLauncher] = await Promise.all([runCli(args, { via: 'tsx' }), runCli(args)]);
    expect(viaTsx.code).toBe(1);
    expect(viaLauncher.code).toBe(1);
    expect(JSON.parse(viaTsx.stdout)).toEqual(JSON.parse(viaLauncher.stdout));
  });

  test('exit 1 on errors; the position points at the offending expression, not the top of the file', async () => {
    const r = await runMain(['--format', 'json', 'fixtures/lint/pebble-outputs-ref/offending-later.yml']);
    expect(r.code).toBe(1);
    const problems = JSON.parse(r.stdout) as { file: string; line: number; column: number; ruleId: string }[];
    expect(problems).toContainEqual(expect.objectContaining({ file: 'fixtures/lint/pebble-outputs-ref/offending-later.yml', line: 6, column: 18, ruleId: 'pebble-outputs-ref', severity: 'error' }));
  });

  test('exit 0 when there are only warnings, 0 on a clean file', async () => {
    const warn = await runMain(['fixtures/lint/deprecated-core-alias/offending.yml']);
    expect(warn.stdout).toContain('deprecated-core-alias');
    expect(warn.stdout).toMatch(/0 errors, 1 warning/);
    expect(warn.code).toBe(0);
    const clean = await runMain(['fixtures/lint/yaml-syntax/clean.yml']);
    expect(clean.code).toBe(0);
    expect(clean.stdout.trim()).toBe('✔ no problems in 1 file');
  });

  test('sarif and github formats from the command line', async () => {
    const sarif = await runMain(['--format=sarif', 'fixtures/lint/secret-prefix/offending.yml']);
    expect(sarif.code).toBe(1);
    const log = JSON.parse(sarif.stdout) as { version: string; runs: { results: { ruleId: string }[] }[] };
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0]!.results.map((r) => r.ruleId)).toContain('secret-prefix');
    const gh = await runMain(['--format', 'github', 'fixtures/lint/secret-prefix/offending.yml']);
    expect(gh.stdout).toMatch(/^::error file=fixtures\/lint\/secret-prefix\/offending\.yml,line=8,col=33,title=secret-prefix::/m);
  });

  test('usage problems exit 2 with one line', async () => {
    // One process proves the exit status and stderr; the other usage errors take the same path in main.
    const spawned = await runCli(['--format', 'xml']);
    expect(spawned.code).toBe(2);
    expect(spawned.stderr.split('\n')[0]).toMatch(/^lint: /);
    noStackTrace(spawned.stderr);
    for (const args of [['--format', 'xml'], ['--profile', 'all'], ['--bogus'], ['--server', 'not a url'], ['--format']]) {
      const r = await runMain(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.split('\n')[0]).toMatch(/^lint: /);
      noStackTrace(r.stderr);
    }
    const help = await runMain(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 usage or I/O problem.');
  });

  test('--profile kestra runs only the rules that hold for any Kestra flow', async () => {
    const dir = join(FIX, 'namespace-folder/offending');
    const project = await lint({ cwd: dir, paths: ['kestra/flows'] });
    expect(project.problems.map((p) => p.ruleId)).toContain('namespace-folder');
    const kestra = await runMain(['--profile', 'kestra', '--format', 'json'], { cwd: dir });
    expect(kestra.code).toBe(0);
    expect(JSON.parse(kestra.stdout)).toEqual([]);
  });
});

test.describe('bad input: one clear line, the right exit code, never a stack trace', () => {
  test.describe.configure({ mode: 'serial' });
  let dir: string;
  test.beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lint-bad-input-'));
    writeFileSync(join(dir, 'notes.yml'), 'This is prose: not a flow, and: it has: colons\n');
    writeFileSync(join(dir, 'empty.yml'), '');
    writeFileSync(join(dir, 'image.yml'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]));
    mkdirSync(join(dir, 'no-flows'));
    writeFileSync(join(dir, 'no-flows', 'README.md'), '# nothing here\n');
    mkdirSync(join(dir, 'repo/kestra/flows/lint/examples'), { recursive: true });
    cpSync(join(FIX, 'yaml-syntax/clean.yml'), join(dir, 'repo/kestra/flows/lint/examples/hello.yml'));
    writeFileSync(join(dir, 'locked.yml'), 'id: x\n');
    chmodSync(join(dir, 'locked.yml'), 0o000);
  });
  test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a file that is not YAML (prose, unbalanced syntax) is a yaml-syntax error: exit 1', async () => {
    const r = await runMain(['--format', 'json', 'notes.yml'], { cwd: dir });
    expect(r.code).toBe(1);
    const problems = JSON.parse(r.stdout) as { ruleId: string; line: number }[];
    expect(problems.map((p) => p.ruleId)).toEqual(['yaml-syntax']);
    noStackTrace(r.stderr);
  });

  test('an empty file: exit 1, one problem', async () => {
    const r = await runMain(['empty.yml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('empty.yml:1:1');
    expect(r.stdout).toContain('empty file');
  });

  test('a binary file: exit 2, one line', async () => {
    const r = await runMain(['image.yml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('lint: image.yml: binary file, not YAML');
  });

  test('a folder with no flows: exit 2, one line', async () => {
    const r = await runMain(['no-flows'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('lint: no-flows: no flows found (no .yml or .yaml files in this folder)');
  });

  test('a missing path and a missing compose file: exit 2, one line each', async () => {
    const missing = await runCli(['does-not-exist.yml'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe('lint: does-not-exist.yml: no such file or directory');
    // Nothing was linted: no "✔ no problems" next to the exit 2.
    expect(missing.stdout).toBe('');
    const noCompose = await runMain([], { cwd: join(dir, 'repo') });
    expect(noCompose.code).toBe(2);
    expect(noCompose.stderr.trim()).toBe('lint: docker-compose.kestra.dokploy.yml: compose file not found');
    expect(noCompose.stdout).toBe('');
  });

  test('an unreadable path: exit 2, one line', async () => {
    // root reads mode-000 files; /proc/1/mem refuses even root
    const target = process.getuid?.() === 0 ? '/proc/1/mem' : join(dir, 'locked.yml');
    const r = await runMain([target], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^lint: .*(mem|locked\.yml): cannot read: permission denied$/);
    noStackTrace(r.stderr);
  });
});

test.describe('server mode (--server) against a loopback server answering with recorded Kestra responses', () => {
  test.describe.configure({ mode: 'serial' });
  let kestra: RecordedKestra;
  let dir: string;
  const credentials = { username: 'admin@example.com', password: 'recorded' };
  test.beforeAll(async () => {
    kestra = await startRecordedKestra({ fixturesDir: join(FIX, 'server'), credentials });
    dir = mkdtempSync(join(tmpdir(), 'lint-server-'));
    for (const f of ['server-validate/offending.yml', 'server-validate/offending-missing.yml', 'server-validate/clean.yml', 'server-schema/offending.yml']) {
      cpSync(join(FIX, f), join(dir, f.replace('/', '-')));
    }
  });
  test.afterAll(async () => {
    await kestra.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('reports the server constraints at the property they name and checks properties against the plugin schemas', async () => {
    const r = await runMain(['--server', kestra.url, '--format', 'json', '.'], { cwd: dir, env: { KESTRA_USERNAME: credentials.username, KESTRA_PASSWORD: credentials.password } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const problems = JSON.parse(r.stdout) as { file: string; line: number; column: number; ruleId: string; message: string }[];
    expect(problems).toContainEqual(expect.objectContaining({ file: 'server-validate-offending.yml', line: 6, column: 5, ruleId: 'server-validate', message: expect.stringContaining('Unrecognized field "mesage"') }));
    expect(problems).toContainEqual(expect.objectContaining({ file: 'server-validate-offending-missing.yml', line: 4, column: 5, ruleId: 'server-validate', message: 'Kestra: tasks[0].message: must not be null' }));
    expect(problems).toContainEqual(expect.objectContaining({ file: 'server-schema-offending.yml', line: 6, column: 5, ruleId: 'server-schema', message: "task 'fetch': Request has no property 'url'" }));
    expect(problems).toContainEqual(expect.objectContaining({ file: 'server-schema-offending.yml', ruleId: 'server-schema', message: "task 'fetch': Request requires 'uri'" }));
    expect(problems).toContainEqual(expect.objectContaining({ file: 'server-schema-offending.yml', line: 8, ruleId: 'server-schema', message: expect.stringContaining('SlackIncomingWebhook is not a task type installed on') }));
    expect(problems.filter((p) => p.file === 'server-validate-clean.yml' && p.ruleId.startsWith('server-'))).toEqual([]);
    expect(kestra.requests).toContain('POST /api/v1/main/flows/validate');
    expect(kestra.requests).toContain('GET /api/v1/plugins/schemas/flow');
    // the schema is cached in .cache/kestra-schemas of the working directory
    expect(readdirSync(join(dir, '.cache/kestra-schemas')).some((f) => f.endsWith('-flow.json'))).toBe(true);
  });

  test('the cached schema is reused: a second run does not fetch it again', async () => {
    const before = kestra.requests.filter((r) => r.includes('schemas')).length;
    const env = { KESTRA_USERNAME: credentials.username, KESTRA_PASSWORD: credentials.password };
    const r = await runMain(['--server', kestra.url, 'server-schema-offending.yml'], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(kestra.requests.filter((x) => x.includes('schemas')).length).toBe(before);
  });

  test('falls back to the tenant-less validate endpoint of older Kestra versions', async () => {
    const old = await startRecordedKestra({ fixturesDir: join(FIX, 'server'), tenantless: true });
    try {
      const result = await lint({ cwd: dir, paths: ['server-validate-offending-missing.yml'], server: { url: old.url, cacheDir: join(dir, 'cache-old') } });
      expect(result.fatal).toEqual([]);
      expect(result.problems.map((p) => p.ruleId)).toContain('server-validate');
      expect(old.requests).toEqual(expect.arrayContaining(['POST /api/v1/main/flows/validate', 'POST /api/v1/flows/validate']));
    } finally {
      await old.stop();
    }
  });

  test('wrong credentials and an unreachable server: exit 2, one line', async () => {
    const denied = await runMain(['--server', kestra.url, 'server-validate-clean.yml'], { cwd: dir, env: { KESTRA_USERNAME: 'x', KESTRA_PASSWORD: 'y' } });
    expect(denied.code).toBe(2);
    expect(denied.stdout).toBe('');
    expect(denied.stderr.trim()).toMatch(/^lint --server: POST http:\/\/127\.0\.0\.1:\d+\/api\/v1\/main\/flows\/validate: 401 — set KESTRA_USERNAME and KESTRA_PASSWORD/);
    const down = await runMain(['--server', 'http://127.0.0.1:9', 'server-validate-clean.yml'], { cwd: dir });
    expect(down.code).toBe(2);
    expect(down.stderr.trim()).toBe('lint --server: cannot reach Kestra at http://127.0.0.1:9: ECONNREFUSED');
  });

  test('credentials come from .env too, as .env.example documents them for --server', async () => {
    writeFileSync(join(dir, '.env'), `KESTRA_USERNAME=${credentials.username}\nKESTRA_PASSWORD=${credentials.password}\n`);
    try {
      // The spawned CLI gets no credentials in its environment (isolatedEnv blanks them), so unset them
      // for this run: dotenv fills only variables that are not set.
      const env = isolatedEnv();
      delete env.KESTRA_USERNAME;
      delete env.KESTRA_PASSWORD;
      const r = await new Promise<Run>((resolve, reject) => {
        const child = spawn(process.execPath, [join(ROOT, 'helpers/tools/lint/launcher.mjs'), '--server', kestra.url, 'server-validate-clean.yml'], { cwd: dir, env });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    } finally {
      rmSync(join(dir, '.env'), { force: true });
    }
  });
});

test('--server against the Kestra stand-in (stack:local): validated by the server, and a plain notice that it serves no plugin schema', async () => {
  const kestra = await startKestraStandin({ flows: [] });
  try {
    const r = await runMain(['--server', kestra.url, join(FIX, 'yaml-syntax/clean.yml')], { env: { KESTRA_USERNAME: KESTRA_STANDIN_DEFAULT_AUTH.username, KESTRA_PASSWORD: KESTRA_STANDIN_DEFAULT_AUTH.password } });
    expect(r.stderr.trim().split('\n')).toEqual([
      `lint --server: server-schema not checked: ${kestra.url} serves no plugin schema (GET /api/v1/plugins/schemas/flow: 404; the stack:local stand-in has none) — the flows were still validated by the server`,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no problems in 1 file');
  } finally {
    await kestra.stop();
  }
});

test.describe('this repository', () => {
  test("the repository's own flows and compose file lint without errors", async () => {
    const result = await lint({ cwd: ROOT });
    const errors = result.problems.filter((p) => p.severity === 'error');
    expect(result.fatal).toEqual([]);
    expect(errors.map((p) => `${relPath(ROOT, p.file)}:${p.line}:${p.column} ${p.message} (${p.ruleId})`)).toEqual([]);
  });
});
