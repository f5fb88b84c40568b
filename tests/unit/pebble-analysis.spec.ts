/**
 * The linter face: referenced variable paths, function/filter calls with literal arguments,
 * supported-feature lists, Kestra's If-task truthiness, and value printing.
 */
import { test, expect } from '../support/unit-test.js';
import {
  UnknownArg,
  exportsSupported,
  formatValue,
  functionCalls,
  filterCalls,
  isTruthy,
  parseTemplate,
  referencedPaths,
  render,
  usage,
} from '../../helpers/kestra-model/pebble/index.js';

test.describe('referencedPaths', () => {
  test('static attribute chains become root + path with the root offset', () => {
    const src = '{{ outputs.task_a.body }}';
    expect(referencedPaths(parseTemplate(src))).toEqual([{ root: 'outputs', path: ['task_a', 'body'], offset: 3, guarded: false }]);
  });

  test('subscripts: string literals and integer indexes are static, anything else is "*"', () => {
    const src = "{{ outputs['my-task'].rows[0][key].name }}";
    const refs = referencedPaths(parseTemplate(src));
    expect(refs).toEqual([
      { root: 'outputs', path: ['my-task', 'rows', 0, '*', 'name'], offset: 3, guarded: false },
      { root: 'key', path: [], offset: src.indexOf('key'), guarded: false },
    ]);
  });

  test('references inside filter and function arguments are included', () => {
    const src = "{{ inputs.date | dateAdd(vars.days, 'DAYS') }} {{ fromJson(outputs.fetch.body).id }}";
    const refs = referencedPaths(parseTemplate(src)).map((x) => `${x.root}.${x.path.join('.')}`);
    expect(refs).toEqual(['inputs.date', 'vars.days', 'outputs.fetch.body']);
  });

  test('loop variables and set variables are locals, not references', () => {
    const src = '{% set n = inputs.count %}{% for row in outputs.q.rows %}{{ row.id }}{{ loop.index }}{{ n }}{% endfor %}';
    expect(referencedPaths(parseTemplate(src)).map((x) => `${x.root}.${x.path.join('.')}`)).toEqual(['inputs.count', 'outputs.q.rows']);
  });

  test('references that tolerate undefined are flagged guarded (??, is defined, default)', () => {
    const src = "{{ trigger.body ?? inputs.body }} {{ vars.x is defined }} {{ labels.team | default('none') }}";
    const refs = referencedPaths(parseTemplate(src)).map((x) => [x.root, x.guarded]);
    expect(refs).toEqual([
      ['trigger', true],
      ['inputs', false],
      ['vars', true],
      ['labels', true],
    ]);
  });

  test('guarding propagates through chains of ?? but not through operators that re-wrap errors', () => {
    const refs = referencedPaths(parseTemplate("{{ a.x ?? b.x ?? 'd' }} {{ (c.x + 1) ?? 0 }}")).map((x) => [x.root, x.guarded]);
    // `(c.x + 1) ?? 0`: AddExpression turns the AttributeNotFoundException into a plain PebbleException
    expect(refs).toEqual([
      ['a', true],
      ['b', true],
      ['c', false],
    ]);
  });

  test('a bean method call ends the static path', () => {
    const refs = referencedPaths(parseTemplate('{{ inputs.email.toLowerCase() }}'));
    expect(refs[0]?.path).toEqual(['email']);
  });
});

test.describe('functionCalls / filterCalls / usage', () => {
  test("secret('NOTION_TOKEN') → args ['NOTION_TOKEN']", () => {
    const src = "Authorization: Bearer {{ secret('NOTION_TOKEN') }}";
    expect(functionCalls(parseTemplate(src))).toEqual([{ name: 'secret', args: ['NOTION_TOKEN'], named: {}, offset: src.indexOf('secret') }]);
  });

  test('non-literal arguments are UnknownArg with their source text; literals are unboxed', () => {
    const [call] = functionCalls(parseTemplate("{{ kv('K' ~ inputs.env, namespace='a.b', n=2.0, l=[1, -2], m={'x': true}) }}"));
    expect(call?.args[0]).toBeInstanceOf(UnknownArg);
    expect((call?.args[0] as UnknownArg).source).toBe("'K' ~ inputs.env");
    expect(call?.named).toEqual({ namespace: 'a.b', n: 2, l: [1, -2], m: { x: true } });
  });

  test('filter calls with arguments, including filter blocks', () => {
    const calls = filterCalls(parseTemplate("{{ d | dateAdd(-1, 'DAYS') | date('yyyy') }}{% filter upper %}x{% endfilter %}"));
    expect(calls.map((c) => [c.name, c.args])).toEqual([
      ['dateAdd', [-1, 'DAYS']],
      ['date', ['yyyy']],
      ['upper', []],
    ]);
  });

  test('usage lists tests and tags', () => {
    const u = usage(parseTemplate('{% if a is not null %}{% set b = 1 %}{% endif %}{% raw %}{{ x }}{% endraw %}'));
    expect(u.tests.map((t) => [t.name, t.negated])).toEqual([['null', true]]);
    expect(u.tags.map((t) => t.name)).toEqual(['if', 'set', 'raw']);
  });
});

test.describe('exportsSupported', () => {
  test('lists what the stand-in implements', () => {
    for (const f of ['default', 'toJson', 'json', 'replace', 'date', 'dateAdd', 'numberFormat', 'slugify', 'number', 'abbreviate']) {
      expect(exportsSupported.filters).toContain(f);
    }
    for (const f of ['now', 'secret', 'fromJson', 'json', 'range', 'render', 'renderOnce']) expect(exportsSupported.functions).toContain(f);
    for (const t of ['defined', 'null', 'empty', 'iterable', 'map', 'json']) expect(exportsSupported.tests).toContain(t);
    expect(exportsSupported.tags).toEqual(['filter', 'for', 'if', 'raw', 'set', 'verbatim']);
  });

  test('every listed filter is actually accepted by the renderer', () => {
    for (const f of exportsSupported.filters) {
      try {
        render(`{{ null | ${f} }}`, { variables: {} });
      } catch (e) {
        expect((e as Error).message).not.toContain('unsupported Pebble filter');
      }
    }
  });
});

test.describe('isTruthy (Kestra core/src/main/java/io/kestra/core/utils/TruthUtils.java)', () => {
  // FALSE_VALUES = List.of("false", "0", "-0", "") — everything else, even "False" or " 0", is true
  const table: [string | null, boolean][] = [
    ['false', false],
    ['0', false],
    ['-0', false],
    ['', false],
    [null, false],
    ['true', true],
    ['False', true],
    ['FALSE', true],
    [' false', true],
    ['0.0', true],
    ['null', true],
    ['no', true],
    ['1', true],
  ];
  for (const [input, expected] of table) {
    test(`isTruthy(${JSON.stringify(input)}) === ${expected}`, () => {
      expect(isTruthy(input)).toBe(expected);
    });
  }

  test('an If condition rendered from an expression', () => {
    const cond = (tpl: string, variables: Record<string, unknown>): boolean => isTruthy(render(tpl, { variables }));
    expect(cond('{{ inputs.count > 0 }}', { inputs: { count: 0 } })).toBe(false);
    expect(cond('{{ inputs.flag }}', { inputs: { flag: null } })).toBe(false);
    expect(cond('{{ outputs.list | length }}', { outputs: { list: [] } })).toBe(false);
  });
});

test.describe('formatValue (Kestra JsonWriter)', () => {
  test('prints values like {{ }} does', () => {
    expect(formatValue(null)).toBe('');
    expect(formatValue([1, 'a'])).toBe('[1,"a"]');
    expect(formatValue({ a: { b: null }, c: [null] })).toBe('{"a":{},"c":[null]}');
    expect(formatValue(1.5)).toBe('1.5');
    expect(formatValue(true)).toBe('true');
  });
});
