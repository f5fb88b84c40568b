/**
 * Pebble template syntax as Kestra 1.x compiles it: delimiters, comments, whitespace control,
 * raw/verbatim, tags, and syntax errors with positions.
 *
 * Sources: Pebble io/pebbletemplates/pebble/lexer/LexerImpl.java, parser/ExpressionParser.java,
 * parser/ParserImpl.java, tokenParser/*.java (3.2.x); Kestra
 * core/src/main/java/io/kestra/core/runners/VariableRenderer.java.
 */
import { test, expect } from '../support/unit-test.js';
import { PebbleSyntaxError, parseTemplate, render } from '../../helpers/kestra-model/pebble/index.js';

const r = (source: string, variables: Record<string, unknown> = {}): string => render(source, { variables });

function syntaxError(source: string): PebbleSyntaxError {
  try {
    parseTemplate(source);
  } catch (e) {
    expect(e).toBeInstanceOf(PebbleSyntaxError);
    return e as PebbleSyntaxError;
  }
  throw new Error(`expected a syntax error for ${JSON.stringify(source)}`);
}

test.describe('pebble syntax — text, print, comments', () => {
  test('plain text without "{" is returned untouched (VariableRenderer short-circuit)', () => {
    expect(r('no template here }} %}')).toBe('no template here }} %}');
  });

  test('prints variables between {{ }}', () => {
    expect(r('Hello {{ name }}!', { name: 'World' })).toBe('Hello World!');
  });

  test('comments {# #} produce nothing', () => {
    expect(r('a{# a comment {{ not evaluated }} #}b')).toBe('ab');
  });

  test('a stray "}}" in text is literal text (LexerImpl only looks for start delimiters in DATA state)', () => {
    expect(r('{{ 1 }} }} x')).toBe('1 }} x');
  });

  test('whitespace control {{- -}} trims surrounding whitespace including newlines', () => {
    expect(r('x  \n {{- a -}} \n  y', { a: 'A' })).toBe('xAy');
  });

  test('whitespace control needs whitespace after the leading "-" (Syntax.regexLeadingWhitespaceTrim = "-\\s+")', () => {
    // `{{-1}}` is the unary minus, not a trim marker
    expect(r('x {{-1 }}')).toBe('x -1');
  });

  test('whitespace control on tags and comments ({%- -%}, {#- -#})', () => {
    expect(r('a  {%- if true -%}  b  {%- endif -%}  c')).toBe('abc');
    expect(r('x {#- c -#} y')).toBe('xy');
  });

  test('no automatic newline trimming after tags (Kestra builds Pebble with newLineTrimming(false))', () => {
    expect(r('{% if true %}\nyes\n{% endif %}\n')).toBe('\nyes\n\n');
  });
});

test.describe('pebble syntax — raw and verbatim', () => {
  // Kestra PebbleVariableRendererTest.raw()
  test('{% raw %} keeps its content unrendered and strips the tags', () => {
    expect(r('See some code {% raw %}{{ var }}{% endraw %}', { var: '1' })).toBe('See some code {{ var }}');
    expect(r('See some code {%raw%}{{ var }}{%endraw%}', { var: '1' })).toBe('See some code {{ var }}');
    expect(r('See some code {%-  raw%}{{ var }}{%endraw -%}', { var: '1' })).toBe('See some code {{ var }}');
    expect(
      r('See some code {% raw %}{{ var }}{% endraw %} and some other code {% raw %}{{ var2 }}{% endraw %}', { var: '1' }),
    ).toBe('See some code {{ var }} and some other code {{ var2 }}');
  });

  test('a multi-line raw block is a Pebble parse error in Kestra (RAW_PATTERN has no DOTALL; kestra-io/kestra#13535)', () => {
    const e = syntaxError('{% raw %}\n  {{ Not Templated }}\n{% endraw %}\n');
    expect(e.pebbleMessage).toBe('Unexpected tag name "raw"');
    expect(e.line).toBe(1);
  });

  test('{% verbatim %} is Pebble\'s own raw block (always left-trimmed: LexerImpl.lexVerbatimData checks group(0))', () => {
    expect(r('{% verbatim %} {{ a }}\n{% endverbatim %}')).toBe('{{ a }}\n');
  });
});

test.describe('pebble syntax — tags', () => {
  test('if / elseif / else / endif', () => {
    const t = '{% if n > 10 %}big{% elseif n > 5 %}medium{% else %}small{% endif %}';
    expect(r(t, { n: 11 })).toBe('big');
    expect(r(t, { n: 7 })).toBe('medium');
    expect(r(t, { n: 1 })).toBe('small');
  });

  test('for with loop.index (0-based in Pebble ForNode.LoopVariables), loop.first/last/length', () => {
    expect(r('{% for x in xs %}{{ loop.index }}{{ x }}{% if not loop.last %},{% endif %}{% endfor %}', { xs: ['a', 'b', 'c'] })).toBe(
      '0a,1b,2c',
    );
    expect(r('{% for x in xs %}{{ loop.first }}/{{ loop.length }}/{{ loop.revindex }} {% endfor %}', { xs: [1, 2] })).toBe(
      'true/2/1 false/2/0 ',
    );
  });

  test('for … else renders the else body for an empty iterable', () => {
    expect(r('{% for x in [] %}a{% else %}empty{% endfor %}')).toBe('empty');
  });

  test('for over a map iterates Map.Entry (key/value)', () => {
    expect(r('{% for e in m %}{{ e.key }}={{ e.value }};{% endfor %}', { m: { a: 1, b: 'x' } })).toBe('a=1;b=x;');
  });

  test('for over null renders nothing (ForNode returns early)', () => {
    expect(r('[{% for x in n %}{{ x }}{% endfor %}]', { n: null })).toBe('[]');
  });

  test('set defines a variable; a set inside a for loop stays in the loop scope (ScopeChain.set)', () => {
    expect(r("{% set greeting = 'Hi ' ~ name %}{{ greeting }}", { name: 'Jo' })).toBe('Hi Jo');
    expect(r('{% for x in [1] %}{% set inner = 2 %}{% endfor %}{{ inner ?? "gone" }}')).toBe('gone');
  });

  test('filter tag applies filters to its rendered body', () => {
    expect(r('{% filter upper %}hi {{ a }}{% endfilter %}', { a: 'there' })).toBe('HI THERE');
  });
});

test.describe('pebble syntax — errors with positions (messages from Pebble)', () => {
  test('unclosed {{ points at the opening delimiter', () => {
    const e = syntaxError('Hello {{ name');
    expect(e.pebbleMessage).toBe('Unexpected token of value "null" and type EOF, expected token of type PRINT_END');
    expect([e.offset, e.line, e.column]).toEqual([6, 1, 7]);
    expect(e.message).toBe('Unexpected token of value "null" and type EOF, expected token of type PRINT_END (Hello {{ name:1)');
  });

  test('empty print {{ }} is an unexpected PRINT_END token', () => {
    const e = syntaxError('a\n{{ }}');
    expect(e.pebbleMessage).toBe('Unexpected token "PRINT_END" of value "}}"');
    expect([e.line, e.column]).toEqual([2, 4]);
  });

  test('dangling operator: {{ 1 + }}', () => {
    const e = syntaxError('{{ 1 + }}');
    expect(e.pebbleMessage).toBe('Unexpected token "PRINT_END" of value "}}"');
    expect(e.column).toBe(8);
  });

  test('bad character', () => {
    const e = syntaxError('x {{ @foo }}');
    expect(e.pebbleMessage).toBe('Unexpected character [@]');
    expect(e.column).toBe(6);
  });

  test('unclosed bracket reports the bracket (LexerImpl: Unclosed ")")', () => {
    const e = syntaxError('{{ fn(1 }}');
    expect(e.pebbleMessage).toBe('Unclosed ")"');
  });

  test('unbalanced closing bracket', () => {
    const e = syntaxError('{{ a) }}');
    expect(e.pebbleMessage).toBe('Unexpected ")"');
    expect(e.column).toBe(5);
  });

  test('unclosed single-quoted string', () => {
    expect(syntaxError("{{ 'abc }}").pebbleMessage).toBe("Unexpected character [']");
  });

  test('unclosed comment', () => {
    const e = syntaxError('text {# never closed');
    expect(e.pebbleMessage).toBe('Unclosed comment.');
    expect(e.column).toBe(6);
  });

  test('unclosed if / for point at the opening tag', () => {
    const e = syntaxError('a\n  {% if x %}yes');
    expect(e.pebbleMessage).toBe('Unexpected end of template. Pebble was looking for the "endif" tag');
    expect([e.line, e.column]).toEqual([2, 3]);
    expect(syntaxError('{% for x in xs %}').pebbleMessage).toBe('Unexpected end of template. Pebble was looking for the "endfor" tag');
  });

  test('stray end tag and unknown tags', () => {
    expect(syntaxError('{% endif %}').pebbleMessage).toBe('Unexpected tag name "endif"');
    // Kestra's ExtensionCustomizer removes include/import/extends/... (ExtensionCustomizer.getTokenParsers)
    expect(syntaxError('{% include "x" %}').pebbleMessage).toBe('Unexpected tag name "include"');
  });

  test('Pebble tags Kestra keeps but the stand-in does not implement are rejected loudly', () => {
    expect(syntaxError('{% macro m() %}{% endmacro %}').pebbleMessage).toBe('unsupported Pebble tag `macro` in the local Kestra stand-in');
  });

  test('multi-line template: line/column of the offending token', () => {
    const e = syntaxError('line one\nline two {{ a b }}');
    expect(e.pebbleMessage).toBe('Unexpected token of value "b" and type NAME, expected token of type PRINT_END');
    expect([e.offset, e.line, e.column]).toEqual([23, 2, 15]);
  });

  test('cannot assign to a reserved word', () => {
    expect(syntaxError('{% set null = 1 %}').pebbleMessage).toBe('Can not assign a value to null');
  });

  test('positional after named arguments is rejected', () => {
    expect(syntaxError("{{ x | date(format='y', 'UTC') }}").pebbleMessage).toBe(
      'Positional arguments must be declared before any named arguments.',
    );
  });

  test('two adjacent string literals are not concatenated (ExpressionParser.parseStringExpression)', () => {
    expect(syntaxError("{{ 'it''s' }}").pebbleMessage).toBe('Unexpected token of value "s" and type STRING, expected token of type PRINT_END');
  });

  test('the compiled-template cache returns the same AST for the same source', () => {
    expect(parseTemplate('{{ a }}')).toBe(parseTemplate('{{ a }}'));
  });
});
