/**
 * pluginDefaults, one algorithm (helpers/kestra-model/plugin-defaults.ts) read by both the Kestra
 * stand-in (it applies them to the flow before running it) and the linter (it reads the YAML nodes
 * they fill in). Each case runs through both. Expectations come from Kestra 1.x:
 * core/src/test/java/io/kestra/core/services/PluginDefaultServiceTest.java (named per case) and
 * core/src/main/java/io/kestra/core/services/PluginDefaultService.java (innerInjectDefault,
 * defaults(), addAliases) with core/.../utils/MapUtils.java (deepMerge).
 */
import { test, expect } from '../support/unit-test.js';
import { isScalar, type Node } from 'yaml';
import { parseFlow, type TaskDef } from '../../helpers/standins/kestra/flow.js';
import { SourceFile } from '../../helpers/tools/lint/source.js';
import { flowModelOf } from '../../helpers/tools/lint/flow-model.js';
import { deepMerge, javaHashMapOrder } from '../../helpers/kestra-model/plugin-defaults.js';

const REQUEST = 'io.kestra.plugin.core.http.Request';

function flowYaml(task: string[], defaults: string[]): string {
  return ['id: defaults', 'namespace: standin.test', 'tasks:', '  - id: t', ...task.map((l) => `    ${l}`), 'pluginDefaults:', ...defaults.map((l) => `  ${l}`), ''].join('\n');
}

/** The task as the stand-in runs it (pluginDefaults applied). */
function standinTask(yaml: string): TaskDef {
  const parsed = parseFlow(yaml);
  if (!parsed.ok) throw new Error(parsed.violations.map((v) => `${v.path}: ${v.message}`).join('; '));
  return parsed.flow.tasks[0]!;
}

/** A task property as the linter sees it (its own, or what pluginDefaults fill in). */
function lintedProp(yaml: string, key: string): unknown {
  const flow = flowModelOf(new SourceFile('/virtual/defaults.yml', yaml))!;
  const node: Node | undefined = flow.effectiveNode(flow.tasks[0]!, key);
  return node === undefined ? undefined : isScalar(node) ? node.value : (node.toJSON() as unknown);
}

test.describe('pluginDefaults: the stand-in and the linter agree with PluginDefaultService', () => {
  test('shouldInjectForcedDefaultsGivenForcedTrue: forced beats the task, the first forced declared wins, non-forced loses', () => {
    // Kestra's case: task set 1; forced 2, forced 3, non-forced 4 -> set is 2.
    const yaml = flowYaml([`type: ${REQUEST}`, 'uri: http://127.0.0.1:1/x', 'method: GET'], [
      `- type: ${REQUEST}`, '  forced: true', '  values: { method: PUT }',
      `- type: ${REQUEST}`, '  forced: true', '  values: { method: POST }',
      `- type: ${REQUEST}`, '  values: { method: PATCH }',
    ]);
    expect(standinTask(yaml).props.method).toBe('PUT');
    expect(lintedProp(yaml, 'method')).toBe('PUT');
  });

  test('shouldInjectDefaultGivenPrefixType: a prefix type fills what the task lacks; the task keeps its own; another prefix does not match', () => {
    // Kestra's case: task set 666; exact {set 789}, prefix `io.kestra.core.services.` {set 456, value 2},
    // `io.kestra.core.services2.` {value 3} -> set 666, value 2.
    const yaml = flowYaml([`type: ${REQUEST}`, 'uri: http://127.0.0.1:1/x', 'method: DELETE'], [
      `- type: ${REQUEST}`, '  values: { method: PUT }',
      '- type: io.kestra.plugin.core.', '  values: { method: POST, headers: { X-A: a } }',
      '- type: io.kestra.plugin.core2.', '  values: { headers: { X-B: b } }',
    ]);
    const task = standinTask(yaml);
    expect(task.props.method).toBe('DELETE');
    expect(task.props.headers).toEqual({ 'X-A': 'a' });
    expect(lintedProp(yaml, 'method')).toBe('DELETE');
    expect(lintedProp(yaml, 'headers')).toEqual({ 'X-A': 'a' });
  });

  test('a plain string prefix matches, with no dot boundary (defaults(): pluginType.startsWith(type))', () => {
    const yaml = flowYaml([`type: ${REQUEST}`, 'uri: http://127.0.0.1:1/x'], ['- type: io.kestra.plugin.core.htt', '  values: { method: PUT }']);
    expect(standinTask(yaml).props.method).toBe('PUT');
    expect(lintedProp(yaml, 'method')).toBe('PUT');
    const other = flowYaml([`type: ${REQUEST}`, 'uri: http://127.0.0.1:1/x'], ['- type: io.kestra.plugin.core.http.Requests', '  values: { method: PUT }']);
    expect(standinTask(other).props.method).toBeUndefined();
    expect(lintedProp(other, 'method')).toBeUndefined();
  });

  test('shouldInjectFlowDefaultsGivenAlias: a default typed with an alias applies to the canonical class (addAliases)', () => {
    const yaml = flowYaml(['type: io.kestra.plugin.core.log.Log'], ['- type: io.kestra.core.tasks.log.Log', '  values: { message: from-alias }']);
    expect(standinTask(yaml).props.message).toBe('from-alias');
    expect(lintedProp(yaml, 'message')).toBe('from-alias');
  });

  test('a task written with an alias is matched as written: a canonical-typed default does not reach it', () => {
    // addAliases canonicalises the defaults' types only; defaults() reads the plugin's `type` as written.
    const yaml = flowYaml(['type: io.kestra.core.tasks.log.Log', 'message: own'], ['- type: io.kestra.plugin.core.log.Log', '  values: { level: WARN }']);
    expect(standinTask(yaml).props.level).toBeUndefined();
    expect(lintedProp(yaml, 'level')).toBeUndefined();
    const prefixed = flowYaml(['type: io.kestra.core.tasks.log.Log', 'message: own'], ['- type: io.kestra.core.tasks.', '  values: { level: WARN }']);
    expect(standinTask(prefixed).props.level).toBe('WARN');
    expect(lintedProp(prefixed, 'level')).toBe('WARN');
  });

  test('shouldNotInjectDefaultsGivenExistingTaskValue: a non-forced default never replaces the task\'s value', () => {
    const yaml = flowYaml(['type: io.kestra.plugin.core.log.Log', 'message: testing', 'level: INFO'], ['- type: io.kestra.plugin.core.log.Log', '  values: { level: WARN }']);
    expect(standinTask(yaml).props.level).toBe('INFO');
    expect(lintedProp(yaml, 'level')).toBe('INFO');
  });

  test('defaults of different types are applied in java.util.HashMap order (Collectors.groupingBy), not declaration order', () => {
    // String#hashCode spread over 16 buckets (computed independently with Python):
    // "io.kestra.plugin.core.http.Request" -> bucket 1, "io.kestra.plugin.core" -> bucket 14.
    // So the Request default is applied first, and the first applied non-forced value wins.
    expect(javaHashMapOrder(['io.kestra.plugin.core', REQUEST])).toEqual([REQUEST, 'io.kestra.plugin.core']);
    const yaml = flowYaml([`type: ${REQUEST}`, 'uri: http://127.0.0.1:1/x'], [
      '- type: io.kestra.plugin.core', '  values: { method: POST }',
      `- type: ${REQUEST}`, '  values: { method: PUT }',
    ]);
    expect(standinTask(yaml).props.method).toBe('PUT');
    expect(lintedProp(yaml, 'method')).toBe('PUT');
  });

  test('MapUtils.deepMerge: maps merge, lists concatenate without repeats, a null keeps the value (injectFlowAndGlobals: arrays 1 + 2)', () => {
    expect(deepMerge({ arrays: [1], h: { a: 1 }, keep: 'x' }, { arrays: [1, 2], h: { b: 2 }, keep: null })).toEqual({ arrays: [1, 2], h: { a: 1, b: 2 }, keep: 'x' });
    const yaml = flowYaml([`type: ${REQUEST}`, 'uri: http://127.0.0.1:1/x', 'headers: { X-Own: own }'], [`- type: ${REQUEST}`, '  values: { headers: { X-Default: d, X-Own: default } }']);
    expect(standinTask(yaml).props.headers).toEqual({ 'X-Default': 'd', 'X-Own': 'own' });
  });
});
