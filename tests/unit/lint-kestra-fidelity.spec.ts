/**
 * The linter against what real Kestra does (issue 12, items 3, 18, 19). Every expectation below
 * comes from Kestra's source, cited where it is used. Pinned version: kestra/kestra:v1.3.16
 * (docker-compose.kestra.dokploy.yml). The fetched mirror of kestra-io/kestra stops in December
 * 2024 (no 1.x tag), so 1.x files are cited by the blob the search index stores.
 */
import { test, expect } from '../support/unit-test.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { lintExample } from '../../helpers/tools/lint/examples.js';
import { relPath } from '../../helpers/tools/lint/formatters.js';
import { regexSyntaxError, unsafeRegexReason } from '../../helpers/tools/lint/regex-check.js';
import { yamlFilesUnder } from '../../helpers/tools/lint/rule-context.js';
import { corePropertiesOf } from '../../helpers/tools/lint/kestra-core-schema.js';
import { coreSchemaFromServer } from '../../helpers/tools/lint/record-core-schema.js';
import { ServerSession } from '../../helpers/tools/lint/server.js';
import { startRecordedKestra } from '../../helpers/standins/recorded-kestra.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** `line:column message` of one rule's problems in a rule example. */
async function problems(ruleId: string, example: string): Promise<string[]> {
  const result = await lintExample(ROOT, `fixtures/lint/${ruleId}/${example}`);
  expect(result.fatal).toEqual([]);
  return result.problems
    .filter((p) => p.ruleId === ruleId)
    .map((p) => `${relPath(ROOT, p.file).replace(/^.*kestra\/flows\//, '')}:${p.line}:${p.column} ${p.severity} ${p.message}`);
}

test.describe('item 3: STRING validators and the ReDoS rule', () => {
  // core/src/test/java/io/kestra/core/validations/SafeRegexValidationTest.java (kestra-io/kestra,
  // the version after PR #17281 that also validates StringInput): these are valid…
  for (const ok of ['io\\.kestra\\..*', '^(\\d{1,3}\\.){3}\\d{1,3}$']) {
    test(`SafeRegexValidationTest accepts ${ok}`, () => {
      expect(regexSyntaxError(ok)).toBeUndefined();
      expect(unsafeRegexReason(ok)).toBeUndefined();
    });
  }
  // …and these are refused for catastrophic backtracking (same test) or named as such in
  // core/src/main/java/io/kestra/core/utils/RegexUtils.java's isSafeUserRegex javadoc.
  for (const bad of ['(a+)+', '(a+)+$', '(a*)*', '(a?){25}', '(a|a)+', '(a|ab)*']) {
    test(`newer Kestra refuses ${bad}`, () => {
      expect(regexSyntaxError(bad)).toBeUndefined();
      expect(unsafeRegexReason(bad)).toMatch(/^the repeated group \(.*\)\S+ holds (a quantifier|an alternation)/);
    });
  }
  test('RegexUtils.MAX_USER_REGEX_LENGTH is 250: 250 characters pass, 251 do not', () => {
    expect(unsafeRegexReason('a'.repeat(250))).toBeUndefined();
    expect(unsafeRegexReason('a'.repeat(251))).toBe('longer than 250 characters');
  });
  test('the `(\\.\\d+)?` group the flows used is what the rule refuses', () => {
    expect(unsafeRegexReason('^\\d+(\\.\\d+)?$')).toBe('the repeated group (\\.\\d+)? holds a quantifier (nested repetition)');
  });

  // The repository's flows: every STRING validator compiles and passes the newer rule.
  const validators: { file: string; id: string; pattern: string }[] = [];
  for (const file of yamlFilesUnder(`${ROOT}kestra/flows`)) {
    const flow = parse(readFileSync(file, 'utf8')) as { inputs?: { id: string; type: string; validator?: string }[] };
    for (const input of flow.inputs ?? []) if (input.type === 'STRING' && input.validator) validators.push({ file: relPath(ROOT, file), id: input.id, pattern: input.validator });
  }
  test('the flows have STRING validators to check', () => expect(validators.length).toBeGreaterThan(10));
  test("every flow validator compiles and passes newer Kestra's ReDoS rule", () => {
    const bad = validators.map((v) => ({ ...v, why: regexSyntaxError(v.pattern) ?? unsafeRegexReason(v.pattern) })).filter((v) => v.why);
    expect(bad).toEqual([]);
  });

  // The rewritten validators accept exactly what the old ones did (JavaScript and Java agree on
  // these constructs: groups, alternation, classes, counted repetition).
  const rewrites: [string, string, string[]][] = [
    ['^\\d+(\\.\\d+)?$', '^(\\d+|\\d+\\.\\d+)$', ['0', '7', '10000000.5', '1.', '.5', '1.2.3', '', 'a', '1e7', '-1', '3.14159']],
    ['^(|\\d+(\\.\\d+)?)$', '^(|\\d+|\\d+\\.\\d+)$', ['', '0', '12.50', '12.', '.5', 'x', '1,5']],
    [
      '^(|\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2}))$',
      '^(|\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(|:\\d{2}|:\\d{2}\\.\\d+)(Z|[+-]\\d{2}:\\d{2}))$',
      ['', '2026-12-02T09:30Z', '2026-12-02T09:30:15Z', '2026-12-02T09:30:15.123+08:00', '2026-12-02T09:30:15.+08:00', '2026-12-02T09:30.5Z', '2026-12-02T09:30:1Z', '2026-12-02 09:30Z', '2026-12-02T09:30'],
    ],
  ];
  for (const [before, after, samples] of rewrites) {
    test(`${after} accepts the same values as ${before}`, () => {
      const verdicts = (p: string) => samples.map((s) => `${s}:${new RegExp(p).test(s)}`);
      expect(verdicts(after)).toEqual(verdicts(before));
      expect(samples.some((s) => new RegExp(before).test(s))).toBe(true);
      expect(samples.some((s) => !new RegExp(before).test(s))).toBe(true);
    });
  }
});

test.describe('item 19: invalid regex in a STRING validator', () => {
  // RegexValidator.java (`@Regex` on StringInput.validator; core/src/main/java/io/kestra/core/
  // validations/validator/RegexValidator.java): Pattern.compile fails → "invalid pattern [...]".
  // Java's grammar: https://docs.oracle.com/en/java/javase/21/docs/api/java.base/java/util/regex/Pattern.html
  // ("It is an error to use a backslash prior to any alphabetic character that does not denote an
  // escaped construct"; `{` must start a counted repetition).
  for (const [pattern, why] of [
    ['[a-', /Unterminated character class/],
    ['(abc', /Unterminated group/],
    ['*a', /Nothing to repeat/],
    ['a{2', /illegal repetition/],
    ['\\q', /illegal escape sequence \\q/],
  ] as const) {
    test(`Pattern.compile refuses ${pattern}`, () => expect(regexSyntaxError(pattern)).toMatch(why));
  }
  for (const pattern of ['^"{6}$', '\\d{1,3}', '[{}]', '\\{x\\}', '(?i)abc', 'a++b', '\\p{Alpha}+']) {
    test(`Pattern.compile accepts ${pattern}`, () => expect(regexSyntaxError(pattern)).toBeUndefined());
  }
  test('input-validator-regex reports both kinds, at the validator', async () => {
    expect(await problems('input-validator-regex', 'offending-syntax.yml')).toEqual([
      "fixtures/lint/input-validator-regex/offending-syntax.yml:7:16 error input 'code': invalid pattern [[a-]: Unterminated character class",
    ]);
    expect(await problems('input-validator-regex', 'offending-unsafe.yml')).toEqual([
      "fixtures/lint/input-validator-regex/offending-unsafe.yml:7:16 warning input 'amount': validator the repeated group (\\.\\d+)? holds a quantifier (nested repetition); newer Kestra refuses it as prone to catastrophic backtracking",
    ]);
    expect(await problems('input-validator-regex', 'clean.yml')).toEqual([]);
  });
});

test.describe('item 19: Dag dependsOn, WorkingDirectory, unknown properties', () => {
  // core/src/main/java/io/kestra/core/validations/validator/DagTaskValidator.java and
  // Dag.java (dagCheckNotExistTask, dagCheckCyclicDependencies): messages as Kestra words them;
  // task3 depends on the cycle but is not part of it, so Kestra does not list it.
  test('Dag: unknown dependency and cycle', async () => {
    expect(await problems('dag-depends-on', 'offending-unknown.yml')).toEqual([
      "fixtures/lint/dag-depends-on/offending-unknown.yml:13:13 error Dag 'dag': Not existing task id in dependency: task0 (task 'task1' depends on it; dependsOn names tasks of the same Dag)",
    ]);
    expect(await problems('dag-depends-on', 'offending-cycle.yml')).toEqual([
      "fixtures/lint/dag-depends-on/offending-cycle.yml:13:11 error Dag 'dag': Cyclic dependency detected: task1, task2 ('task1' and 'task2' depend on each other)",
    ]);
    // Dag.java's own @Example (task5 waits for task4 and task3) is valid.
    expect(await problems('dag-depends-on', 'clean.yml')).toEqual([]);
  });

  // core/src/main/java/io/kestra/core/validations/validator/WorkingDirectoryTaskValidator.java
  test('WorkingDirectory: empty, non-runnable child, child workerGroup', async () => {
    expect(await problems('working-directory-tasks', 'offending-empty.yml')).toEqual([
      "fixtures/lint/working-directory-tasks/offending-empty.yml:7:5 error WorkingDirectory 'wd': The 'tasks' property cannot be empty",
    ]);
    expect(await problems('working-directory-tasks', 'offending-flowable-child.yml')).toEqual([
      "fixtures/lint/working-directory-tasks/offending-flowable-child.yml:9:15 error WorkingDirectory 'wd': Only runnable tasks are allowed as children of a WorkingDirectory task (task 'branch' is io.kestra.plugin.core.flow.If)",
    ]);
    expect(await problems('working-directory-tasks', 'offending-worker-group.yml')).toEqual([
      "fixtures/lint/working-directory-tasks/offending-worker-group.yml:11:9 error WorkingDirectory 'wd': Cannot set a Worker Group in any WorkingDirectory sub-tasks, it is only supported at the WorkingDirectory level ('log')",
    ]);
    // A workerGroup on the WorkingDirectory itself is allowed (same validator).
    expect(await problems('working-directory-tasks', 'clean.yml')).toEqual([]);
  });

  // core/src/test/java/io/kestra/core/serializers/YamlParserTest.java (invalidProperty): Return
  // knows exactly its 13 properties; "invalid" is refused. The 12 inherited from Task.java plus
  // `format` must all be in the recorded data (newer Task fields may be there too).
  test('the recorded Task properties include the 13 YamlParserTest lists for Return', () => {
    const yamlParserTestReturn = ['logLevel', 'timeout', 'retry', 'allowWarning', 'format', 'type', 'id', 'description', 'workerGroup', 'runIf', 'logToFile', 'disabled', 'allowFailure'];
    const log = corePropertiesOf('io.kestra.plugin.core.log.Log');
    expect(log).toBeDefined();
    for (const p of yamlParserTestReturn.filter((p) => p !== 'format')) expect(log!.has(p), p).toBe(true);
    expect(log!.has('invalid')).toBe(false);
    expect(corePropertiesOf('io.kestra.plugin.core.flow.WorkingDirectory')).toEqual(
      new Set([...corePropertiesOf('io.kestra.plugin.core.flow.Sequential')!, 'cache', 'namespaceFiles', 'inputFiles', 'outputFiles']),
    );
    expect(corePropertiesOf('io.kestra.plugin.example.NotRecorded')).toBeUndefined();
  });
  // The recorder that replaces the hand-derived file once a pinned Kestra runs: it reads
  // GET /api/v1/plugins/schemas/flow (here the recorded excerpt in fixtures/lint/server, served on
  // loopback) and writes one flattened property list per class. The hand-derived data must accept
  // every property the server declares for the same class.
  test('record-core-schema writes the server-declared properties, and the hand-derived data accepts them', async () => {
    const kestra = await startRecordedKestra({ fixturesDir: join(ROOT, 'fixtures/lint/server') });
    const cacheDir = mkdtempSync(join(tmpdir(), 'core-schema-'));
    try {
      const schemas = await new ServerSession({ url: kestra.url, cacheDir }).pluginSchemas();
      const classes = ['io.kestra.plugin.core.log.Log', 'io.kestra.plugin.core.http.Request', 'io.kestra.plugin.core.flow.Subflow', 'io.kestra.plugin.core.flow.Dag'];
      const { data, missing } = coreSchemaFromServer(schemas, classes, { url: kestra.url, kestraVersion: '1.3.16', recordedAt: '2026-12-02T00:00:00Z' });
      expect(missing).toEqual(['io.kestra.plugin.core.flow.Dag']);
      const recorded = (data as { classes: Record<string, { extends: null; properties: string[] }> }).classes;
      expect(Object.keys(recorded)).toEqual(classes.slice(0, 3));
      expect(recorded['io.kestra.plugin.core.log.Log']!.properties).toEqual(
        ['allowFailure', 'allowWarning', 'description', 'disabled', 'id', 'level', 'logLevel', 'logToFile', 'message', 'retry', 'runIf', 'timeout', 'type', 'workerGroup'],
      );
      for (const [cls, { properties }] of Object.entries(recorded)) {
        const mine = corePropertiesOf(cls)!;
        expect(properties.filter((p) => !mine.has(p)), cls).toEqual([]);
      }
    } finally {
      await kestra.stop();
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
  test('unknown-core-property reports an unrecognized field with a suggestion', async () => {
    expect(await problems('unknown-core-property', 'offending-typo.yml')).toEqual([
      "fixtures/lint/unknown-core-property/offending-typo.yml:7:5 error Unrecognized field \"mesage\" on task 'log' (io.kestra.plugin.core.log.Log) — did you mean message?",
    ]);
    expect(await problems('unknown-core-property', 'offending-wrong-task.yml')).toEqual([
      "fixtures/lint/unknown-core-property/offending-wrong-task.yml:8:5 error Unrecognized field \"headers\" on task 'log' (io.kestra.plugin.core.log.Log)",
    ]);
    expect(await problems('unknown-core-property', 'clean.yml')).toEqual([]);
  });
});

test.describe('item 18: no false errors on valid flows (--profile kestra rules)', () => {
  // Each construct of fixtures/lint/pebble-outputs-ref/clean-other-contexts is valid on Kestra:
  // - WaitFor.java: "The `condition` is always checked after the task execution" (its @Example reads
  //   `outputs.return.value` of its own child);
  // - Subflow.java createSubflowExecutionResult: the deprecated `outputs` property is rendered by
  //   FlowInputOutput.renderFlowOutputs with the child execution's run context;
  // - FlowTriggerService.java (runContextFactory.of(flow, execution) with the upstream execution)
  //   and RunVariables.java (`outputs` = execution.outputs(), the task outputs);
  // - NullCoalescingExpression.java: `??` catches AttributeNotFoundException and renders the right side;
  // - Pebble's `%` (ModulusExpression, io.pebbletemplates CoreExtension binary operators).
  test('the valid constructs are not reported by any kestra-profile rule', async () => {
    const result = await lintExample(ROOT, 'fixtures/lint/pebble-outputs-ref/clean-other-contexts');
    const kestraRules = (await import('../../helpers/tools/lint/registry.js')).rulesFor('kestra', false).map((r) => r.id);
    expect(result.problems.filter((p) => kestraRules.includes(p.ruleId)).map((p) => `${p.ruleId} ${p.message}`)).toEqual([]);
  });
  test('those contexts are still checked against the child and the upstream flow', async () => {
    expect(await problems('pebble-outputs-ref', 'offending-other-contexts')).toEqual([
      'lint/examples/downstream.yml:13:25 error outputs.status names no task of the upstream flow lint.examples/child',
      'lint/examples/parent.yml:13:19 error outputs.prepare names no task of the subflow lint.examples/child',
    ]);
    expect(await problems('pebble-undeclared-input', 'offending-other-contexts')).toEqual([
      'lint/examples/downstream.yml:14:25 error inputs.nam is not a declared input (the upstream flow lint.examples/child declares name) — did you mean inputs.name?',
    ]);
  });
});
