/**
 * `npm run mutants` machinery, on two or three mutants — never the whole catalog (that is the tool's
 * own job, minutes long): an edit must match exactly once or fail loudly, every catalogued mutant
 * still applies to today's flows, a mutant is planted in a scratch checkout (never the repository)
 * and taken out again, and a planted bug the linter knows is killed by the real main job.
 */
import { test, expect } from '../support/unit-test.js';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPOSITORY_ROOT } from '../../helpers/kestra-model/repository-flows.js';
import { MUTANTS } from '../../helpers/tools/mutants/catalog.js';
import { applyMutant, catalogProblems, MutantError } from '../../helpers/tools/mutants/apply.js';
import { classify } from '../../helpers/tools/mutants/main-job.js';
import { runMutants } from '../../helpers/tools/mutants/run.js';
import { createScratch } from '../../helpers/tools/mutants/scratch.js';
// @ts-expect-error plain JavaScript module without types (it runs before any TypeScript loader)
import { stamp } from '../../helpers/tools/bundle-cache.mjs';
import { progressLine, summaryText } from '../../helpers/tools/mutants/report.js';
import type { Mutant } from '../../helpers/tools/mutants/types.js';

const COMPOSE = 'docker-compose.kestra.dokploy.yml';
const read = (file: string) => readFileSync(join(REPOSITORY_ROOT, file), 'utf8');
const mutant = (id: string) => MUTANTS.find((m) => m.id === id) ?? (() => { throw new Error(`no mutant ${id}`); })();

test('a find text that no longer matches fails loudly, naming the mutant, its file and the text', () => {
  const rotten: Mutant = { ...mutant('compose-image-latest'), id: 'rotten', find: 'image: kestra/kestra:v0.0.1' };
  expect(() => applyMutant(rotten, read(COMPOSE))).toThrow(MutantError);
  expect(() => applyMutant(rotten, read(COMPOSE))).toThrow(
    'mutant rotten (docker-compose.kestra.dokploy.yml): find text no longer matches (first line: "image: kestra/kestra:v0.0.1") — update the mutant to the current file',
  );
});

test('a find text matching twice, an edit that changes nothing and an edit that breaks the YAML are refused', () => {
  const base: Mutant = { id: 'x', rule: 'r', file: 'kestra/flows/a/b.yml', description: 'd', find: 'a: 1', replace: 'a: 2' };
  expect(() => applyMutant(base, 'a: 1\nb:\n  a: 1\n')).toThrow('mutant x (kestra/flows/a/b.yml): find text matches 2 times (first line: "a: 1") — make it unique');
  expect(() => applyMutant({ ...base, replace: 'a: 1' }, 'a: 1\n')).toThrow('replace equals find');
  expect(() => applyMutant({ ...base, replace: 'a: [1' }, 'a: 1\n')).toThrow(/leaves invalid YAML/);
  expect(applyMutant({ ...base, replace: 'a: [1', breaksYaml: true }, 'a: 1\n')).toBe('a: [1\n');
  expect(applyMutant(base, 'z: 0\na: 1\n')).toBe('z: 0\na: 2\n');
});

test('every catalogued mutant still applies exactly once to the current product files and keeps them YAML', () => {
  expect(MUTANTS.length).toBeGreaterThanOrEqual(40);
  expect(catalogProblems(MUTANTS, (file) => { try { return read(file); } catch { return undefined; } })).toEqual([]);
  // A mutant may only touch the product, never the harness that judges it.
  expect(catalogProblems([{ ...mutant('compose-image-latest'), file: 'helpers/spec/email.ts' }], read)).toEqual([
    'mutant compose-image-latest: helpers/spec/email.ts is not a product file (kestra/flows/, docker-compose.kestra.dokploy.yml, .env.example)',
  ]);
});

test('the catalog breaks every section of SPEC that holds a rule (§1–§8)', () => {
  for (const section of ['§1', '§2', '§3', '§4', '§5', '§6', '§7', '§8']) {
    expect(MUTANTS.some((m) => m.rule.includes(section)), `a mutant breaking a rule of SPEC ${section}`).toBe(true);
  }
});

test('a rotten mutant stops the run before any checkout or job', async () => {
  const rotten: Mutant = { ...mutant('compose-image-latest'), id: 'rotten', find: 'no such text' };
  let jobs = 0;
  await expect(runMutants({ root: REPOSITORY_ROOT, mutants: [rotten], baseline: false, onResult: () => jobs++ })).rejects.toThrow(/mutant rotten .*find text no longer matches/);
  expect(jobs).toBe(0);
});

test('each mutant is planted in a scratch checkout, judged by the job\'s exit code, then taken out again', async () => {
  // A stand-in job (not the main job) that fails exactly when the compose file in ITS checkout holds the planted bug.
  const job = [process.execPath, '-e', `process.exit(require('fs').readFileSync('${COMPOSE}', 'utf8').includes('kestra/kestra:latest') ? 1 : 0)`] as const;
  const before = read(COMPOSE);
  const planted = mutant('compose-image-latest');
  const elsewhere = mutant('secret-with-prefix');
  const lines: string[] = [];
  const report = await runMutants({
    root: REPOSITORY_ROOT, mutants: [planted, elsewhere], jobs: 1, baseline: true, command: job,
    onResult: (r, done, total) => lines.push(progressLine(r, done, total)),
  });
  expect(report.baseline?.outcome, 'baseline: the job passes without a mutant').toBe('survived');
  expect(report.results.map((r) => [r.mutant.id, r.outcome])).toEqual([['compose-image-latest', 'killed'], ['secret-with-prefix', 'survived']]);
  expect(lines[0]).toMatch(/^mutant 1\/2 compose-image-latest: killed \(\d+\.\d s\)/);
  expect(lines[1]).toMatch(/^mutant 2\/2 secret-with-prefix: SURVIVED \(\d+\.\d s\)$/);
  expect(summaryText(report).split('\n').slice(0, 3)).toEqual([
    'killed 1/2',
    'survivors:',
    `  secret-with-prefix — ${elsewhere.description} (${elsewhere.file})`,
  ]);
  expect(read(COMPOSE), 'the repository itself is never mutated').toBe(before);
});

test('a scratch checkout keeps every file\'s time to the millisecond and takes the build caches along, so the launchers reuse their bundles', () => {
  const root = mkdtempSync(join(tmpdir(), 'scratch-src-'));
  try {
    mkdirSync(join(root, 'kestra'), { recursive: true });
    mkdirSync(join(root, '.cache', 'lint'), { recursive: true });
    mkdirSync(join(root, '.cache', 'tsc'), { recursive: true });
    writeFileSync(join(root, 'kestra', 'a.yml'), 'id: a\n');
    writeFileSync(join(root, '.cache', 'lint', 'lint-cli.cjs'), '0');
    writeFileSync(join(root, '.cache', 'tsc', 'state'), '0');
    // An odd time, down to the nanosecond, as a file system records it.
    utimesSync(join(root, 'kestra', 'a.yml'), 1_700_000_000.1234567, 1_700_000_000.1234567);
    const scratch = createScratch(root, ['kestra/a.yml'], 'scratch-test');
    try {
      expect(stamp(join(scratch.dir, 'kestra', 'a.yml')), 'the bundle caches\' stamp of a copied file').toEqual(stamp(join(root, 'kestra', 'a.yml')));
      expect(readFileSync(join(scratch.dir, '.cache', 'lint', 'lint-cli.cjs'), 'utf8')).toBe('0');
      expect(existsSync(join(scratch.dir, '.cache', 'tsc')), 'only the lint, verify and flow-parse caches come along').toBe(false);
    } finally {
      scratch.remove();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the real main job kills a planted bug the linter knows (compose image on latest)', async () => {
  test.setTimeout(180_000);
  const report = await runMutants({ root: REPOSITORY_ROOT, mutants: [mutant('compose-image-latest')], jobs: 1, baseline: false });
  expect(report.results).toHaveLength(1);
  expect(report.results[0]).toMatchObject({ outcome: 'killed', exitCode: 1, killedBy: { step: 'lint', details: ['compose-image-pinned'] } });
});

test('exit codes of the main job map to outcomes: 1 killed (by lint or by named specs), 0 survived, else error', () => {
  const lint = 'kestra/flows/a.yml:18:35  error    secret(\'SECRET_X\') looks up SECRET_SECRET_X  secret-prefix\nverify FAILED on local — lint failed, specs failed';
  expect(classify(1, lint, 5, false)).toMatchObject({ outcome: 'killed', killedBy: { step: 'lint', details: ['secret-prefix'] } });
  const specs = '  1) [e2e] › tests/e2e/webhooks.spec.ts:19:3 › assessment: a valid payload is handled per SPEC @webhook \n\nverify FAILED on local — lint passed, specs failed';
  expect(classify(1, specs, 5, false)).toMatchObject({ outcome: 'killed', killedBy: { step: 'specs', details: ['assessment: a valid payload is handled per SPEC @webhook'] } });
  expect(classify(0, 'verify passed', 5, false)).toEqual({ outcome: 'survived', exitCode: 0, durationMs: 5 });
  expect(classify(2, 'verify: usage', 5, false)).toMatchObject({ outcome: 'error', exitCode: 2, tail: 'verify: usage' });
  expect(classify(null, 'still running', 5, true)).toMatchObject({ outcome: 'timeout' });
});
