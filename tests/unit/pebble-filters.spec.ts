/**
 * Filters. Expected values come from Kestra's own filter tests
 * (core/src/test/java/io/kestra/core/runners/pebble/filters/*Test.java), Pebble's docs
 * (docs/src/orchid/resources/wiki/filter/*.md) or the cited Java implementation.
 */
import { test, expect } from '../support/unit-test.js';
import { PebbleRenderError, render } from '../../helpers/kestra-model/pebble/index.js';

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

test.describe('filters — JSON', () => {
  test('toJson of scalars, lists, maps and null (ToJsonFilterTest)', () => {
    expect(r('{{ s | toJson }}', { s: 'string' })).toBe('"string"');
    expect(r('{{ i | toJson }} {{ b | toJson }}', { i: 1, b: true })).toBe('1 true');
    expect(r('{{ l | toJson }}', { l: ['string', 1, 1.123] })).toBe('["string",1,1.123]');
    expect(r('{{ {"empty_object":{}} | toJson }}')).toBe('{"empty_object":{}}');
    expect(r('{{ null | toJson }}')).toBe('null');
  });

  test('json is an alias of toJson (JsonFilter extends ToJsonFilter)', () => {
    expect(r('{{ s | json }}', { s: 'string' })).toBe('"string"');
  });

  test('toJson escapes quotes, backslashes and control characters like Jackson; non-ASCII is kept', () => {
    // Jackson WriterBasedJsonGenerator: \" \\ \n \r \t \b \f short escapes, other controls as
    // \u00XX with upper-case hex (CharTypes), everything else (é, emoji, U+2028) written as is.
    const s = 'He said "hi"\\ \n\r\t\b\f\u0001 é 😀 \u2028';
    expect(r('{{ s | toJson }}', { s })).toBe('"He said \\"hi\\"\\\\ \\n\\r\\t\\b\\f\\u0001 é 😀 \u2028"');
  });

  test('toJson keeps map insertion order, drops null map values but keeps nulls in lists', () => {
    // JacksonMapper.ofJson() uses setSerializationInclusion(NON_NULL), which also applies to Map
    // contents since Jackson 2.9 (kestra-io/kestra#3211: null keys vanish from `| json`).
    expect(r('{{ m | toJson }}', { m: { z: 1, a: null, m: [true, null] } })).toBe('{"z":1,"m":[true,null]}');
    expect(r('{{ m }}', { m: { a: null, b: { c: null } } })).toBe('{"b":{}}');
  });

  test('toJson of a double keeps Java formatting', () => {
    expect(r('{{ 14700.0 | toJson }} {{ 1.5 | toJson }}')).toBe('14700.0 1.5');
  });
});

test.describe('filters — strings', () => {
  test('upper / lower / capitalize / title / trim (Pebble docs)', () => {
    expect(r("{{ 'article title' | capitalize }}|{{ 'article title' | title }}|{{ 'Hi' | upper }}{{ 'Hi' | lower }}")).toBe(
      'Article title|Article Title|HIhi',
    );
    expect(r('{{ "    This text has too much whitespace.    " | trim }}')).toBe('This text has too much whitespace.');
  });

  test('replace with Pebble\'s map form (Pebble docs filter/replace.md, Kestra ReplaceFilterTest)', () => {
    expect(r("{{ \"I like %this% and %that%.\" | replace({'%this%': foo, '%that%': \"bar\"}) }}", { foo: 'cake' })).toBe(
      'I like cake and bar.',
    );
    expect(r("{{ 'john doe is john doe' | replace({'john': 'jane'}) }}")).toBe('jane doe is jane doe');
  });

  test('replace with regexp=true uses Java regex and $n groups (ReplaceFilterTest)', () => {
    expect(r("{{ 'aa1bb2cc3dd4ee5' | replace({'(\\d)': '-$1-'}, regexp=true) }}")).toBe('aa-1-bb-2-cc-3-dd-4-ee-5-');
  });

  test('replace recurses into lists and maps (Kestra ReplaceFilter.processMap/processList)', () => {
    expect(r("{{ v | replace({'a': 'o'}) }}", { v: { k: 'banana', l: ['a', 1] } })).toBe('{"k":"bonono","l":["o","1"]}');
  });

  test('replace requires its argument', () => {
    expect(renderError("{{ 'x' | replace() }}").pebbleMessage).toBe("The argument 'replace_pairs' is required.");
  });

  test('abbreviate (Pebble docs filter/abbreviate.md)', () => {
    expect(r('{{ "this is a long sentence." | abbreviate(7) }}')).toBe('this...');
  });

  test('slugify (SlugifyFilterTest)', () => {
    expect(r('{{ "Test\t\t\ntest*" | slugify }}')).toBe('test-test');
    expect(r("{{ 'Crème Brûlée & Co' | slugify }}")).toBe('creme-brulee-co');
  });

  test('substringBefore/After(Last) (SubstringFilterTest)', () => {
    expect(r("{{ 'a.b.c' | substringBefore('.') }}|{{ 'a.b.c' | substringAfter(separator='.') }}")).toBe('a|b.c');
    expect(r("{{ 'a.b.c' | substringBeforeLast('.') }}|{{ 'a.b.c' | substringAfterLast('.') }}")).toBe('a.b|c');
  });

  // StartsWithFilter / EndsWithFilter / DistinctFilter (core/src/main/java/io/kestra/core/runners/pebble/
  // filters/*.java, 1.3.x): `input.toString()` on null is a bare NullPointerException (not a
  // PebbleException: no "(template:line)"), DistinctFilter answers null with the string "null".
  test('null | startsWith / endsWith: Java\'s NullPointerException message, without Pebble\'s suffix', () => {
    for (const f of ['startsWith', 'endsWith']) {
      expect(() => r(`{{ null | ${f}("a") }}`)).toThrow(/^Cannot invoke "Object\.toString\(\)" because "input" is null$/);
      expect(() => r(`{{ "abc" | ${f}(null) }}`)).toThrow(
        /^Cannot invoke "Object\.toString\(\)" because the return value of "java\.util\.Map\.get\(Object\)" is null$/,
      );
      expect(() => r(`{{ missing ?? null | ${f}("a") }}`)).toThrow(/because "input" is null$/);
    }
    expect(r('{{ 12345 | startsWith(12) }} {{ 12345 | endsWith("45") }} {{ "" | startsWith("") }}')).toBe('true true true');
  });

  test('null | distinct is the string "null"; a non-list is DistinctFilter\'s error', () => {
    expect(r('{{ null | distinct }}|{{ (null | distinct) == "null" }}')).toBe('null|true');
    expect(() => r('{{ "a" | distinct }}')).toThrow('Input must be a list, but received : java.lang.String ({{ "a" | distinct }}:1)');
    expect(() => r('{{ m | distinct }}', { m: { a: 1 } })).toThrow(/^Input must be a list, but received : java\.util\./);
  });

  test('startsWith / endsWith (StartsWithFilterTest)', () => {
    expect(r('{{ "Hello World" | startsWith("Hello") }} {{ "Hello World" | endsWith("Hello") }}')).toBe('true false');
  });

  test('escapeChar single/double/shell (EscapeCharFilterTest)', () => {
    expect(r("{{ \"L'eau c'est la vie\" | escapeChar('single') }}")).toBe("L\\'eau c\\'est la vie");
    expect(r("{{ '\"Hello\"' | escapeChar('double') }}")).toBe('\\"Hello\\"');
    expect(r("{{ \"L'eau c'est la vie\" | escapeChar('shell') }}")).toBe("L'\\''eau c'\\''est la vie");
    expect(() => r("{{ 'Hello' | escapeChar('foo') }}")).toThrow(PebbleRenderError);
  });

  test('indent / nindent (IndentFilterTest, NindentFilterTest)', () => {
    expect(r('{{ "first line\nsecond line" | indent(2) }}')).toBe('first line\n  second line');
    expect(r('{{ "first line\r\nsecond line" | indent(2) }}')).toBe('first line\r\n  second line');
    expect(r('{{ "first line\nsecond line" | indent(2, "\t") }}')).toBe('first line\n\t\tsecond line');
    expect(r("{{ 'string' | nindent(2) }}")).toBe('\n  string');
    expect(r('{{ "\n\n" | nindent(2) }}')).toBe('\n  \n  \n  ');
    expect(r("{{ 1 | indent(2) }}|{{ '' | indent(2) }}|{{ null | indent(2) }}")).toBe('1||');
  });

  test('split uses a Java regex and drops trailing empty strings (Pebble docs filter/split.md, String.split)', () => {
    expect(r("{{ 'one,two,three' | split(',') }}")).toBe('["one","two","three"]');
    expect(r("{{ 'one,two,three,four,five' | split(',', 3) }}")).toBe('["one","two","three,four,five"]');
    expect(r("{{ 'a,b,,' | split(',') }}")).toBe('["a","b"]');
    expect(r("{{ 'a.b' | split('.') }}|{{ 'a.b' | split('\\.') }}")).toBe('[]|["a","b"]');
  });

  test('urlencode / urldecode round trip (UrlDecodeFilter test)', () => {
    expect(r("{{ 'Kestra rulez !' | urlencode }}")).toBe('Kestra+rulez+%21');
    expect(r("{{ 'Kestra rulez !' | urlencode | urldecode }}")).toBe('Kestra rulez !');
  });

  test('base64encode / base64decode and hashes', () => {
    expect(r("{{ 'hello' | base64encode }} {{ 'aGVsbG8=' | base64decode }}")).toBe('aGVsbG8= hello');
    expect(r("{{ 'hello' | md5 }}")).toBe('5d41402abc4b2a76b9719d911017c592');
    expect(r("{{ 'hello' | sha1 }}")).toBe('aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d');
    expect(r("{{ 'hello' | sha256 }}")).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
  });
});

test.describe('filters — collections', () => {
  test('default replaces null, blank strings, empty collections — not 0 or false (EmptyTest)', () => {
    expect(r("{{ n | default('x') }} {{ '  ' | default('x') }} {{ [] | default('x') }} {{ 0 | default('x') }} {{ false | default('x') }}", { n: null })).toBe(
      'x x x 0 false',
    );
  });

  test('length of strings, lists, maps, null (LengthFilter)', () => {
    expect(r("{{ 'abc' | length }} {{ [1, 2] | length }} {{ {'a': 1} | length }} {{ n | length }}", { n: null })).toBe('3 2 1 0');
  });

  test('first / last of lists and strings (Pebble docs filter/first.md)', () => {
    expect(r("{{ users | first }} {{ 'Mitch' | first }} {{ users | last }}", { users: ['ann', 'bob'] })).toBe('ann M bob');
  });

  test('join (Pebble docs filter/join.md)', () => {
    expect(r("{{ names | join(',') }} {{ names | join }}", { names: ['Alex', 'Joe', 'Bob'] })).toBe('Alex,Joe,Bob AlexJoeBob');
  });

  test('keys / values (KeysFilterTest, ValuesFilterTest)', () => {
    expect(r('{{ l | keys }}', { l: ['string', 1, 1.123] })).toBe('[0,1,2]');
    expect(r('{{ m | keys }} {{ m | values }}', { m: { a: 1, b: 'x' } })).toBe('["a","b"] [1,"x"]');
  });

  test('slice (Pebble docs filter/slice.md)', () => {
    expect(r("{{ ['apple', 'peach', 'pear', 'banana'] | slice(1,3) }} {{ 'Mitchell' | slice(1,3) }}")).toBe('["peach","pear"] it');
  });

  test('chunk / flatten / distinct (ChunkFilterTest, FlattenFilterTest)', () => {
    expect(r('{{ list | chunk(2) }}', { list: [1, 2, 3, 4, 5, 6, 7, 8, 9] })).toBe('[[1,2],[3,4],[5,6],[7,8],[9]]');
    expect(r('{{ l | flatten }}', { l: ['a', ['b', 'c'], 'd'] })).toBe('["a","b","c","d"]');
    expect(r('{{ [1, 2, 1, 3, 2] | distinct }}')).toBe('[1,2,3]');
  });

  test('sort / rsort / reverse / merge', () => {
    expect(r('{{ [3, 1, 2] | sort }} {{ [3, 1, 2] | rsort }} {{ [1, 2] | reverse }}')).toBe('[1,2,3] [3,2,1] [2,1]');
    expect(r("{{ [1] | merge([2]) }} {{ {'a': 1} | merge({'b': 2}) }}")).toBe('[1,2] {"a":1,"b":2}');
  });
});

test.describe('filters — numbers', () => {
  test('abs keeps the number type', () => {
    expect(r('{{ -3 | abs }} {{ -2.5 | abs }} {{ -2.0 | abs }}')).toBe('3 2.5 2.0');
  });

  test('numberFormat uses java.text.DecimalFormat (Pebble docs numberformat.md, PebbleVariableRendererTest.numberFormat)', () => {
    expect(r('{{ 3.141592653 | numberFormat("#.##") }}')).toBe('3.14');
    expect(r('{{ var | numberFormat("#.##") }}', { var: 1.232654 })).toBe('1.23');
    expect(r("{{ 1234567.891 | numberFormat('#,##0.00') }} {{ 14700 | numberFormat('#,##0.00') }}")).toBe('1,234,567.89 14,700.00');
  });

  test('numberFormat rounds HALF_EVEN on the exact double and drops a zero integer part with "#"', () => {
    expect(r("{{ 0.125 | numberFormat('0.00') }} {{ 0.375 | numberFormat('0.00') }} {{ 0.5 | numberFormat('#.##') }}")).toBe('0.12 0.38 .5');
  });

  test('numberFormat without a pattern uses NumberFormat.getInstance (#,##0.###)', () => {
    expect(r('{{ 1234.5678 | numberFormat }}')).toBe('1,234.568');
  });

  test('Kestra renamed numberformat to numberFormat (ExtensionCustomizer)', () => {
    expect(renderError("{{ 1 | numberformat('#') }}").kind).toBe('unsupported');
  });

  test('number parses strings (NumberFilterTest; floats are modelled as doubles)', () => {
    expect(r('{{ "2147483647" | number }} {{ "12.3" | number }} {{ ("12" | number) + 1 }}')).toBe('2147483647 12.3 13');
    expect(r('{{ "12" | number("DOUBLE") }}')).toBe('12.0');
    expect(renderError('{{ "abc" | number }}').pebbleMessage).toBe('abc is not a valid number.');
  });
});

test.describe('filters — arguments and unsupported filters', () => {
  test('too many positional arguments (ArgumentsNode.getArgumentMap)', () => {
    expect(renderError("{{ 'abc' | abbreviate(1, 2) }}").pebbleMessage).toBe(
      'The argument at position 2 is not allowed. Only 1 argument(s) are allowed.',
    );
  });

  test('unknown named argument', () => {
    expect(renderError("{{ 'x' | date(fmt='yyyy') }}").pebbleMessage).toBe('The following named argument does not exist: fmt');
  });

  test('a Kestra filter the stand-in lacks fails clearly, naming it', () => {
    const e = renderError("{{ outputs | jq('.a') }}", { outputs: {} });
    expect(e.kind).toBe('unsupported');
    expect(e.pebbleMessage).toBe('unsupported Pebble filter `jq` in the local Kestra stand-in');
  });

  test('a filter Kestra does not have either is reported with Pebble\'s message too', () => {
    const e = renderError('{{ x | xyz }}', { x: 1 });
    expect(e.pebbleMessage).toBe(
      'unsupported Pebble filter `xyz` in the local Kestra stand-in (Kestra itself would fail too: Filter [xyz] does not exist.)',
    );
  });

  test('escape and raw filters are removed by Kestra (ExtensionCustomizer)', () => {
    expect(renderError("{{ '<b>' | escape }}").kind).toBe('unsupported');
  });
});
