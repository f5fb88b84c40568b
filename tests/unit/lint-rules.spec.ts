/**
 * Every lint rule, driven by its own examples (the same ones the rule table documents): each
 * offending example produces that rule's problem, each clean example does not.
 */
import { test, expect } from '../support/unit-test.js';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RULES } from '../../helpers/tools/lint/registry.js';
import { lintExample } from '../../helpers/tools/lint/examples.js';
import { startRecordedKestra, type RecordedKestra } from '../../helpers/standins/recorded-kestra.js';
import { relPath } from '../../helpers/tools/lint/formatters.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Where each offending example's problems must be reported: `file:line:column` per problem, by
 * rule id and example (fixtures/lint/expected-positions.json, checked by reading each example). A
 * file inside a folder example is named relative to the repository the example lays out.
 */
const EXPECTED_POSITIONS = JSON.parse(readFileSync(join(ROOT, 'fixtures/lint/expected-positions.json'), 'utf8')) as Record<string, Record<string, string[]>>;
const position = (file: string, line: number, column: number) => `${file.replace(/^.*?\/lint-example-[^/]+\//, '').replace(ROOT, '')}:${line}:${column}`;

test.describe('rule modules', () => {
  test('every module under helpers/tools/lint/rules/<profile>/ is registered, under its file name and folder', () => {
    const dir = join(ROOT, 'helpers/tools/lint/rules');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, '')).sort();
    expect([...RULES.map((r) => `${r.profile}/${r.id}`)].sort()).toEqual(files);
  });

  for (const rule of RULES) {
    test(`${rule.id}: has metadata and examples that exist`, () => {
      expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(['error', 'warning']).toContain(rule.severity);
      expect(['kestra', 'project', 'compose', 'server']).toContain(rule.profile);
      expect(rule.description).not.toContain('\n');
      expect(rule.description.length).toBeGreaterThan(10);
      expect(rule.doc.length).toBeGreaterThan(rule.description.length);
      expect(rule.examples.offending.length).toBeGreaterThan(0);
      expect(rule.examples.clean.length).toBeGreaterThan(0);
      for (const p of [...rule.examples.offending, ...rule.examples.clean]) expect(existsSync(join(ROOT, p)), p).toBe(true);
    });
  }
});

test.describe('rule examples', () => {
  let kestra: RecordedKestra;
  let cacheDir: string;
  test.beforeAll(async () => {
    kestra = await startRecordedKestra({ fixturesDir: join(ROOT, 'fixtures/lint/server') });
    cacheDir = mkdtempSync(join(tmpdir(), 'lint-schema-cache-'));
  });
  test.afterAll(async () => {
    await kestra.stop();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  for (const rule of RULES) {
    const extra = () => (rule.profile === 'server' ? { server: { url: kestra.url, cacheDir } } : {});
    for (const example of rule.examples.offending) {
      test(`${rule.id}: flags ${example}`, async () => {
        const result = await lintExample(ROOT, example, extra());
        expect(result.fatal).toEqual([]);
        const mine = result.problems.filter((p) => p.ruleId === rule.id);
        expect(mine.length, `no ${rule.id} problem in ${example}; got: ${result.problems.map((p) => p.ruleId).join(', ')}`).toBeGreaterThan(0);
        for (const p of mine) expect(p.severity === rule.severity || p.severity === 'warning').toBe(true);
        expect(mine.map((p) => position(p.file, p.line, p.column)), `positions of ${rule.id} in ${example}`).toEqual(EXPECTED_POSITIONS[rule.id]?.[example]);
      });
    }
    for (const example of rule.examples.clean) {
      test(`${rule.id}: passes ${example}`, async () => {
        const result = await lintExample(ROOT, example, extra());
        expect(result.fatal).toEqual([]);
        const mine = result.problems.filter((p) => p.ruleId === rule.id);
        expect(mine.map((p) => `${relPath(ROOT, p.file)}:${p.line}:${p.column} ${p.message}`)).toEqual([]);
      });
    }
  }
});
