/**
 * Expressions: literals, operators and precedence, strict undefined handling, `??`/`???`, tests,
 * and how values print (Kestra's JsonWriter).
 *
 * Sources: Pebble 3.2.x extension/core/CoreExtension.java (operators, precedence),
 * utils/OperatorUtils.java, node/expression/*.java, lexer/LexerImpl.java; Kestra
 * core/src/main/java/io/kestra/core/runners/{VariableRenderer,pebble/JsonWriter,
 * pebble/expression/*}.java and its tests PebbleVariableRendererTest, NullCoalescingExpressionTest,
 * UndefinedCoalescingExpressionTest.
 */
import { test, expect } from '../support/unit-test.js';
import { PebbleRenderError, evaluateExpression, parseJson, render } from '../../helpers/kestra-model/pebble/index.js';

const r = (source: string, variables: Record<string, unknown> = {}): string => render(source, { variables });

function renderError(source: string, variables: Record<string, unknown> = {}): PebbleRenderError {
  try {
    r(source, variables);
  } catch (e) {
    expect(e).toBeInstanceOf(PebbleRenderError);
    return e as PebbleRenderError;
  }
  throw new Error(`expected a render error for ${JSON.stringify(source)}`);
}

test.describe('pebble expressions — literals', () => {
  test('single and double quoted strings; only the quote character can be escaped (LexerImpl.unquoteAndUnescape)', () => {
    expect(r("{{ 'it\\'s' }}")).toBe("it's");
    expect(r('{{ "say \\"hi\\"" }}')).toBe('say "hi"');
    expect(r("{{ 'a\\nb' }}")).toBe('a\\nb');
  });

  test('double-quoted strings interpolate #{…}', () => {
    expect(r('{{ "Hi #{name | upper}!" }}', { name: 'jo' })).toBe('Hi JO!');
  });

  test('integers are Longs and print without a decimal part; decimals are Doubles (Double.toString)', () => {
    expect(r('{{ 14700 }} {{ 14700.0 }} {{ 12.50 }}')).toBe('14700 14700.0 12.5');
  });

  test('Double.toString switches to scientific notation outside [1e-3, 1e7)', () => {
    expect(r('{{ 10000000.0 }} {{ 0.0001 }} {{ 1234567.5 }}')).toBe('1.0E7 1.0E-4 1234567.5');
  });

  test('numbers from JSON: integers print as integers, decimals as Java doubles', () => {
    expect(r('{{ a }} {{ b }}', { a: 14700, b: 12.5 })).toBe('14700 12.5');
    // Jackson reads 14700.0 as a Double: parseJson keeps it a double so it prints like Kestra
    expect(r('{{ a }}', parseJson('{"a": 14700.0}') as Record<string, unknown>)).toBe('14700.0');
  });

  test('true/false/null (and TRUE/none…) literals; null prints as empty string', () => {
    expect(r('{{ true }} {{ FALSE }} [{{ null }}] [{{ none }}]')).toBe('true false [] []');
  });

  test('list and map literals print as JSON (Kestra JsonWriter)', () => {
    expect(r("{{ [1, 'a', 2.5, true, null] }}")).toBe('[1,"a",2.5,true,null]');
    expect(r("{{ {'k': 'v', 'n': 1} }}")).toBe('{"k":"v","n":1}');
    expect(r('{{ {} }} {{ [] }}')).toBe('{} []');
  });

  test('context lists and maps print as JSON (PebbleVariableRendererTest.out/autoJson)', () => {
    expect(r('{{ list }}', { list: ['string', 1, 1.123] })).toBe('["string",1,1.123]');
    expect(r('{{ map }}', { map: { a: '1', b: '2' } })).toBe('{"a":"1","b":"2"}');
    expect(r('{{ list }} // {{ map }}', { list: [1], map: { int: 1 } })).toBe('[1] // {"int":1}');
  });
});

test.describe('pebble expressions — arithmetic and concatenation', () => {
  test('operator precedence (Pebble docs operator/math.md example)', () => {
    expect(r('{{ 2 + 2 / ( 10 % 3 ) * (8 - 1) }}')).toBe('16');
  });

  test('integer division truncates; a double operand makes it a double division (OperatorUtils)', () => {
    expect(r('{{ 7 / 2 }} {{ -7 / 2 }} {{ 7 / 2.0 }} {{ 7 % 3 }} {{ 3 * 1.5 }}')).toBe('3 -3 3.5 1 4.5');
  });

  test('integer division by zero fails; double division gives Infinity', () => {
    const e = renderError('{{ 1 / 0 }}');
    expect(e.pebbleMessage).toBe('Could not perform division');
    expect(r('{{ 1.0 / 0 }}')).toBe('Infinity');
  });

  test('0.1 + 0.2 prints like Java', () => {
    expect(r('{{ 0.1 + 0.2 }}')).toBe('0.30000000000000004');
  });

  test('+ with a String operand concatenates (OperatorUtils.add)', () => {
    expect(r("{{ 'n' + 1 }} {{ 1 + 'n' }}")).toBe('n1 1n');
  });

  test('arithmetic on non-numbers fails with Pebble\'s message', () => {
    expect(renderError("{{ 'x' * 2 }}").pebbleMessage).toBe('Could not perform multiplication');
  });

  test('~ concatenates with toString(); null is skipped; lists use Java List.toString', () => {
    expect(r("{{ 'apple' ~ 'pear' ~ 'banana' }}")).toBe('applepearbanana');
    expect(r("{{ null ~ 'a' ~ 1 ~ 2.0 }}")).toBe('a12.0');
    expect(r("{{ [1, 'a'] ~ '' }}")).toBe('[1, a]');
  });

  test('~ binds tighter than | (precedence 110 vs 100)', () => {
    expect(r("{{ 'a' ~ 'b' | upper }}")).toBe('AB');
  });

  test('unary minus and .. range', () => {
    expect(r('{{ -n }} {{ 1..3 }}', { n: 5 })).toBe('-5 [1,2,3]');
  });
});

test.describe('pebble expressions — comparisons and logic', () => {
  test('== compares numbers by value (1 == 1.0) and other values with equals()', () => {
    expect(r("{{ 1 == 1.0 }} {{ 'a' == 'a' }} {{ 'a' equals 'b' }} {{ null == null }} {{ 1 != 2 }}")).toBe('true true false true true');
  });

  test('< > <= >= on numbers, and on strings (Kestra GreaterThanExpression string compareTo)', () => {
    expect(r("{{ 2 > 1 }} {{ 2 >= 2.0 }} {{ 'b' > 'a' }} {{ '2025-01-02' < '2025-01-10' }}")).toBe('true true true true');
  });

  test('comparing with null is false; comparing a string with a number fails', () => {
    expect(r('{{ n > 1 }} {{ n < 1 }}', { n: null })).toBe('false false');
    expect(renderError("{{ 'a' > 1 }}").pebbleMessage).toBe('Could not perform greater than comparison');
  });

  test('and / or / not with Pebble truthiness (strings non-empty, numbers non-zero)', () => {
    expect(r("{{ true and 'x' }} {{ false or 0 }} {{ not '' }} {{ not 0 }}")).toBe('true false true true');
  });

  test('not binds tighter than == (unary precedence 500)', () => {
    // (not 1) == 2  →  false == 2  →  false
    expect(r('{{ not 1 == 2 }}')).toBe('false');
  });

  test('null in and/or is an error in strict mode (AndExpression)', () => {
    expect(renderError('{{ n and true }}', { n: null }).pebbleMessage).toBe(
      'null value used in and operator and strict variables is set to true',
    );
  });

  test('ternary; a null condition takes the else branch (TernaryExpression)', () => {
    expect(r("{{ n > 5 ? 'big' : 'small' }} {{ z ? 'y' : 'n' }}", { n: 7, z: null })).toBe('big n');
  });

  test('contains on lists, maps (keys), strings, and lists of items', () => {
    expect(
      r("{{ ['apple', 'pear'] contains 'apple' }} {{ {'apple': 'red'} contains 'apple' }} {{ 'banana' contains 'nan' }} {{ [1, 2, 3] contains [1, 3] }}"),
    ).toBe('true true true true');
  });

  // Kestra 1.3.x registers `isIn` (Extension.java, InExpression.java) and no `in` / `not in`
  test('isIn compares toString()s: list elements, map keys and values; null or a string on the right is false', () => {
    expect(r("{{ 'foo' isIn ['foo', 'bar'] }} {{ 'baz' isIn ['foo', 'bar'] }} {{ 1 isIn ['1'] }}")).toBe('true false true');
    expect(r("{{ 'k' isIn m }} {{ 'v' isIn m }} {{ 'x' isIn m }}", { m: { k: 'v' } })).toBe('true true false');
    expect(r("{{ null isIn ['a'] }} {{ 'a' isIn null }} {{ 'a' isIn 'abc' }} {{ not ('a' isIn ['a']) }}")).toBe('false false false false');
  });

  test('isIn over a null element or map value: a bare NullPointerException, as InExpression throws', () => {
    expect(() => r("{{ 'a' isIn ['b', null] }}")).toThrow(/^java\.lang\.NullPointerException$/);
    expect(() => r("{{ 'a' isIn m }}", { m: { k: null } })).toThrow(
      /^Cannot invoke "Object\.toString\(\)" because the return value of "java\.util\.Map\$Entry\.getValue\(\)" is null$/,
    );
    expect(r("{{ 'k' isIn m }}", { m: { k: null } })).toBe('true');
  });

  test('`in` and `not in` are not operators: a syntax error, as in Kestra', () => {
    for (const source of ["{{ 'foo' in ['foo'] }}", "{{ 'baz' not in ['foo'] }}"]) {
      expect(() => r(source)).toThrow(/^Unexpected token of value "(in|not)" and type (NAME|OPERATOR), expected token of type PRINT_END/);
    }
  });

  test('for loops still work with the `in` operator registered', () => {
    expect(r('{% for x in [1, 2] %}{{ x }}{% endfor %}')).toBe('12');
  });
});

test.describe('pebble expressions — strict undefined (Kestra runs Pebble with strictVariables(true))', () => {
  test('undefined root variable: Kestra message naming it', () => {
    const e = renderError('{{ foo }}');
    expect(e.kind).toBe('attribute-not-found');
    expect(e.message).toBe('Unable to find `foo` used in the expression `{{ foo }}` at line 1');
  });

  test('undefined attribute names the attribute, with the line it is on', () => {
    const e = renderError('line 1\n{{ inputs.missing }}', { inputs: { a: 1 } });
    expect(e.message).toBe('Unable to find `missing` used in the expression `line 1\n{{ inputs.missing }}` at line 2');
    expect([e.line, e.column]).toEqual([2, 11]);
  });

  test('a null-valued attribute prints empty; reading through it fails naming the next attribute', () => {
    expect(r('[{{ inputs.n }}]', { inputs: { n: null } })).toBe('[]');
    expect(renderError('{{ inputs.n.y }}', { inputs: { n: null } }).attributeName).toBe('y');
    // GetAttributeExpression: attribute of a null root variable names the root
    expect(renderError('{{ n.y }}', { n: null }).attributeName).toBe('n');
  });

  test('list index out of bounds is an undefined attribute (ListResolver)', () => {
    expect(renderError('{{ l[3] }}', { l: [1, 2, 3] }).message).toBe('Unable to find `3` used in the expression `{{ l[3] }}` at line 1');
    expect(r("{{ l[0] }} {{ l['1'] }}", { l: ['a', 'b'] })).toBe('a b');
  });

  test('subscript access with a variable key (PebbleVariableRendererTest.eval)', () => {
    expect(r('{{ block[inner].child }}', { block: { test: { child: 'awesome' } }, inner: 'test' })).toBe('awesome');
    expect(r("{{ block['test'] }}", { block: { test: { child: 'awesome' } } })).toBe('{"child":"awesome"}');
  });

  test('is defined / is not defined swallow undefined (PebbleVariableRendererTest.firstDefinedEval)', () => {
    const vars = { block: { test: { child: 'awesome' } }, inner: 'test' };
    expect(r('{{ block[missing].child is defined ? null : block[inner].child }}', vars)).toBe('awesome');
    expect(r('{{ inner.bla is not defined ? block.test.child : null }}', vars)).toBe('awesome');
    expect(r('{{ list[3] is defined ? bla : null }}', { list: ['a', 1, 1.5] })).toBe('');
    expect(() => r('{{ missing is defined ? missing : missing2 }}', vars)).toThrow(PebbleRenderError);
  });

  test('a null value is not "defined" (DefinedTest extends NullTest)', () => {
    expect(r('{{ n is defined }} {{ n is null }}', { n: null })).toBe('false true');
  });

  test('the default filter swallows undefined too (Pebble docs filter/default.md)', () => {
    expect(r('{{ foo.bar.baz | default("No baz") }}')).toBe('No baz');
  });

  test('errors inside an if condition are wrapped by IfNode', () => {
    const e = renderError('{% if missing %}x{% endif %}');
    expect(e.pebbleMessage).toBe('Wrong operand(s) type in conditional expression');
    expect((e.cause as PebbleRenderError).attributeName).toBe('missing');
  });

  test('arithmetic wraps undefined operands (AddExpression catches Exception), so ?? cannot rescue it', () => {
    expect(renderError('{{ missing + 1 }}').pebbleMessage).toBe('Could not perform addition');
    expect(() => r('{{ (missing + 1) ?? 0 }}')).toThrow('Could not perform addition');
  });
});

test.describe('pebble expressions — ?? and ???', () => {
  const vars = { block: { test: { child: 'awesome' } }, inner: 'test' };

  test('?? returns the first defined value (NullCoalescingExpressionTest.firstDefined)', () => {
    expect(r('{{ inner.bla ?? block.test.child }}', vars)).toBe('awesome');
    expect(r('{{ block.test.child ?? inner.bla }}', vars)).toBe('awesome');
    expect(r('{{ block[missing].child ?? block[missing2].child ?? block[inner].child }}', vars)).toBe('awesome');
  });

  test('?? with nothing defined still fails (NullCoalescingExpressionTest, Kestra docs null-coalescing)', () => {
    expect(() => r('{{ missing ?? missing2 }}', vars)).toThrow('Unable to find `missing2`');
    expect(r('{% set baz = "baz" %}{{ foo ?? bar ?? baz }}')).toBe('baz');
  });

  test('?? also replaces null; an empty map is kept (NullCoalescingExpressionTest.nullOrUndefined/emptyObject)', () => {
    expect(r("{{ null ?? 'IS NULL' }}")).toBe('IS NULL');
    expect(r("{{ undefined ?? 'IS UNDEFINED' }}")).toBe('IS UNDEFINED');
    expect(r("{{ block ?? 'UNDEFINED' }}", { block: {} })).toBe('{}');
  });

  test('??? only replaces undefined: null stays null (UndefinedCoalescingExpressionTest)', () => {
    expect(r("{{ null ??? 'IS NULL' }}")).toBe('');
    expect(r("{{ undefined ??? 'IS UNDEFINED' }}")).toBe('IS UNDEFINED');
  });

  test('?? binds tighter than | (precedence 120 vs 100)', () => {
    expect(r("{{ missing ?? 'x' | upper }}")).toBe('X');
  });
});

test.describe('pebble expressions — tests', () => {
  test('is null / empty / iterable / map / even / odd', () => {
    expect(r("{{ '' is empty }} {{ '  ' is empty }} {{ [] is empty }} {{ 0 is empty }}")).toBe('true true true false');
    expect(r("{{ [1] is iterable }} {{ 'a' is iterable }} {{ {'a': 1} is map }} {{ 2 is even }} {{ 3 is odd }} {{ 3 is not odd }}")).toBe(
      'true false true true true false',
    );
  });

  test('is json (Kestra JsonTest)', () => {
    expect(r("{{ '{\"a\": 1}' is json }} {{ 'nope' is json }}")).toBe('true false');
  });

  test('unknown tests are reported, not ignored', () => {
    const e = renderError('{{ 3 is divisibleby(3) }}');
    expect(e.kind).toBe('unsupported');
    expect(e.message).toContain('unsupported Pebble test `divisibleby` in the local Kestra stand-in');
  });
});

test.describe('pebble expressions — bean access and evaluateExpression', () => {
  test('Java bean-style access on strings/lists (reflection in Pebble): length, size, method calls', () => {
    expect(r("{{ 'abc'.length }} {{ l.size }} {{ s.toUpperCase() }} {{ s.startsWith('a') }}", { l: [1, 2], s: 'abc' })).toBe('3 2 ABC true');
  });

  test('`.contains(…)` is not callable: `contains` lexes as an operator, so Pebble expects a NAME after "."', () => {
    expect(() => r("{{ s.contains('b') }}", { s: 'abc' })).toThrow(
      'Unexpected token of value "contains" and type OPERATOR, expected token of type NAME',
    );
  });

  test('unsupported Java methods are reported', () => {
    expect(renderError("{{ s.codePointAt(0) }}", { s: 'abc' }).message).toContain('unsupported Java method call `codePointAt()`');
  });

  test('evaluateExpression returns typed values', () => {
    const ctx = { variables: { inputs: { n: 3, list: [1, 2], obj: { a: 'b' } } } };
    expect(evaluateExpression('inputs.n * 2', ctx)).toBe(6);
    expect(evaluateExpression('inputs.n > 2 and true', ctx)).toBe(true);
    expect(evaluateExpression('inputs.list | length', ctx)).toBe(2);
    expect(evaluateExpression('inputs.obj', ctx)).toEqual({ a: 'b' });
    expect(evaluateExpression('2.0', ctx)).toBe(2);
    expect(evaluateExpression("inputs.missing ?? 'fallback'", ctx)).toBe('fallback');
    expect(evaluateExpression('null', ctx)).toBeNull();
  });

  test('evaluateExpression reports undefined variables with the expression as the template', () => {
    expect(() => evaluateExpression('inputs.nope', { variables: { inputs: {} } })).toThrow(
      'Unable to find `nope` used in the expression `inputs.nope` at line 1',
    );
  });
});
