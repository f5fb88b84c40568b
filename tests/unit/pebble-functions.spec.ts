/**
 * Functions: Kestra's (core/src/main/java/io/kestra/core/runners/pebble/functions/*.java) and
 * Pebble's core range/min/max (extension/core/*Function.java), plus context-provided functions.
 */
import { test, expect } from '@playwright/test';
import { PebbleRenderError, render, type RenderContext } from '../../helpers/kestra-model/pebble/index.js';

const r = (source: string, variables: Record<string, unknown> = {}, extra: Partial<RenderContext> = {}): string =>
  render(source, { variables, ...extra });

function renderError(source: string, ctx: Partial<RenderContext> = {}): PebbleRenderError {
  try {
    r(source, {}, ctx);
  } catch (e) {
    expect(e).toBeInstanceOf(PebbleRenderError);
    return e as PebbleRenderError;
  }
  throw new Error(`expected a render error for ${JSON.stringify(source)}`);
}

test.describe('secret()', () => {
  const secrets: Record<string, string> = { NOTION_TOKEN: 'ntn_123' };
  const secret = (name: string): string => {
    const v = secrets[name];
    // SecretService: "Cannot find secret for key '<key>'."
    if (v === undefined) throw new Error(`Cannot find secret for key '${name}'.`);
    return v;
  };

  test('delegates to context.secret', () => {
    expect(r("Bearer {{ secret('NOTION_TOKEN') }}", {}, { secret })).toBe('Bearer ntn_123');
  });

  test('a missing secret surfaces the resolver message (SecretFunction wraps SecretNotFoundException)', () => {
    const e = renderError("{{ secret('NOPE') }}", { secret });
    expect(e.pebbleMessage).toBe("Cannot find secret for key 'NOPE'.");
    expect(e.column).toBe(4);
  });

  test('without a resolver every secret is missing', () => {
    expect(renderError("{{ secret('X') }}").pebbleMessage).toBe("Cannot find secret for key 'X'.");
  });

  test('?? does not hide a missing secret (only AttributeNotFoundException is coalesced)', () => {
    expect(() => r("{{ secret('NOPE') ?? 'x' }}", {}, { secret })).toThrow("Cannot find secret for key 'NOPE'.");
  });
});

test.describe('fromJson() / json()', () => {
  test('parses and can be navigated (FromJsonFunctionTest)', () => {
    expect(r("{{ fromJson('{\"test1\": 1, \"test2\": 2, \"test3\": 3}').test1 }}")).toBe('1');
    expect(r("{{ fromJson('{\"test1\": [{\"test1\": 666}, 2, 3], \"test2\": 2}').test1[0].test1 }}")).toBe('666');
    expect(r("{{ fromJson('[1, 2, 3]')[0] }}")).toBe('1');
    expect(r("{{ fromJson('{\"empty_object\":{}}') }}")).toBe('{"empty_object":{}}');
    expect(r('{{ fromJson(null) }}')).toBe('');
  });

  test('json() is the deprecated alias (JsonFunction extends FromJsonFunction)', () => {
    expect(r("{{ json('{\"a\": [true]}').a[0] }}")).toBe('true');
  });

  test('decimals stay doubles (Jackson reads 14700.0 as a Double)', () => {
    expect(r('{{ fromJson(body).amount }} {{ fromJson(body).count }}', { body: '{"amount": 14700.0, "count": 3}' })).toBe('14700.0 3');
  });

  test('invalid JSON fails with "Invalid json: …"', () => {
    expect(renderError("{{ fromJson('{nope') }}").pebbleMessage).toMatch(/^Invalid json: /);
  });
});

test.describe('range() / min() / max()', () => {
  test('range is inclusive, with an optional increment (RangeFunction)', () => {
    expect(r('{{ range(0, 3) }} {{ range(10, 0, -5) }} {{ range("a", "c") }}')).toBe('[0,1,2,3] [10,5,0] ["a","b","c"]');
  });

  test('min / max compare numbers', () => {
    expect(r('{{ max(1, 5.5, 3) }} {{ min(4, 2, 8) }}')).toBe('5.5 2');
  });
});

test.describe('render() / renderOnce()', () => {
  // PebbleVariableRendererTest.recursive
  const vars = {
    first: '1',
    second: '{{first}}',
    third: '{{second}}',
    map: { third: '{{third}}' },
    list: ['{{third}}'],
  };

  test('rendering is not recursive by default', () => {
    expect(r('{{ third }}', vars)).toBe('{{second}}');
  });

  test('render() renders recursively; recursive=false and renderOnce() render once', () => {
    expect(r('{{ render(third) }}', vars)).toBe('1');
    expect(r('{{ render(third, recursive=false) }}', vars)).toBe('{{first}}');
    expect(r('{{ renderOnce(third) }}', vars)).toBe('{{first}}');
  });

  test('render() of maps and lists renders their values', () => {
    expect(r('{{ render(map) }}', vars)).toBe('{"third":"1"}');
    expect(r('{{ render(list, recursive=false) }}', vars)).toBe('["{{second}}"]');
  });

  test('render() of non-strings returns them (RenderFunctionTest)', () => {
    expect(r('{{ render(input) }}', { input: 42 })).toBe('42');
    expect(r('{{ render(input) }}', { input: true })).toBe('true');
    expect(r('{{ render(input) }}', { input: null })).toBe('');
  });

  test('a rendering loop stops after 100 passes (recursiveRenderingAmountLimit)', () => {
    expect(() => r('{{ render(first) }}', { first: '{{second}}', second: '{{first}}' })).toThrow('Too many rendering attempts');
  });
});

test.describe('context functions and unsupported functions', () => {
  test('context.functions provides extra functions with positional and named arguments', () => {
    const functions = {
      kv: (args: unknown[], named: Record<string, unknown>) => `kv:${String(args[0])}:${String(named['namespace'] ?? '-')}`,
    };
    expect(r("{{ kv('KEY', namespace='team') }}", {}, { functions })).toBe('kv:KEY:team');
  });

  test('context functions override built-ins of the same name', () => {
    expect(r('{{ uuid() }}', {}, { functions: { uuid: () => 'fixed' } })).toBe('fixed');
  });

  test('a Kestra function the stand-in lacks fails clearly, naming it', () => {
    const e = renderError("{{ read('file.txt') }}");
    expect(e.kind).toBe('unsupported');
    expect(e.pebbleMessage).toBe('unsupported Pebble function `read` in the local Kestra stand-in');
  });

  test('an unknown function reports Pebble\'s message too', () => {
    expect(renderError('{{ nope() }}').pebbleMessage).toBe(
      'unsupported Pebble function `nope` in the local Kestra stand-in (Kestra itself would fail too: Function or Macro [nope] does not exist.)',
    );
  });

  test('uuid() returns a random UUID', () => {
    expect(r('{{ uuid() }}')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
