/**
 * Functions: Kestra's (core/src/main/java/io/kestra/core/runners/pebble/functions/*.java) and
 * Pebble's core range/min/max (extension/core/*Function.java), plus context-provided functions.
 */
import { test, expect } from '../support/unit-test.js';
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

  // SecretFunction (core/src/main/java/io/kestra/core/runners/pebble/functions/SecretFunction.java, 1.3.x):
  // arguments key, namespace, subkey; the subkey reads the secret as JSON
  test('namespace is accepted and passed to the resolver; subkey picks a JSON field (text for values, JSON otherwise)', () => {
    const seen: (string | undefined)[] = [];
    const json = (name: string, namespace?: string): string => {
      seen.push(namespace);
      if (name !== 'CREDS') throw new Error(`Cannot find secret for key '${name}'.`);
      return '{"user":"ana","port":5432,"tls":true,"opts":{"a":[1,2]},"none":null}';
    };
    expect(r("{{ secret('CREDS', subkey='user') }}|{{ secret('CREDS', namespace='company.other', subkey='port') }}", {}, { secret: json })).toBe('ana|5432');
    expect(r("{{ secret('CREDS', subkey='tls') }}|{{ secret('CREDS', subkey='opts') }}|{{ secret('CREDS', subkey='none') }}", {}, { secret: json })).toBe(
      'true|{"a":[1,2]}|null',
    );
    expect(seen).toEqual([undefined, 'company.other', undefined, undefined, undefined]);
    // an empty subkey is ignored (`subkey != null && !subkey.isEmpty()`)
    expect(r("{{ secret('CREDS', subkey='') }}", {}, { secret: json })).toBe(json('CREDS'));
  });

  test('subkey failures: Kestra\'s messages for a missing field and for a secret that is not JSON', () => {
    const json = (): string => '{"user":"ana"}';
    expect(renderError("{{ secret('CREDS', subkey='password') }}", { secret: json }).pebbleMessage).toBe(
      "Cannot find secret sub-key 'password' in secret 'CREDS'.",
    );
    expect(renderError("{{ secret('TOKEN', subkey='user') }}", { secret: () => 'ntn_123' }).pebbleMessage).toBe(
      "Failed to read secret sub-key 'user' from secret 'TOKEN'. Ensure the secret contains valid JSON value.",
    );
  });

  test('an unknown named argument is refused, as Pebble does for any function', () => {
    expect(() => r("{{ secret('CREDS', tenant='x') }}", {}, { secret })).toThrow(/tenant/);
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

test.describe('range() bound (Kestra BoundedRangeFunction)', () => {
  // core/src/main/java/io/kestra/core/runners/pebble/functions/BoundedRangeFunction.java and
  // BoundedRangeFunctionTest (kestra-io/kestra develop, commit d1a3a55260c378300ece3407b6addd20081336dd):
  // at most 1,000,000 elements. Kestra 1.3.x has no bound (Pebble's RangeFunction fills the heap);
  // unbounded, `range(0, 2000000000)` aborted the Node process ("invalid size").
  const message = (n: number): string => `The range function cannot produce more than 1000000 elements, but this call would produce ${n}.`;

  test('one element past the bound fails before building anything, both directions and through `..`', () => {
    expect(renderError('{{ range(0, 2000000000) }}').pebbleMessage).toBe(message(2000000001));
    expect(renderError('{{ range(2000000000, 0, -1) }}').pebbleMessage).toBe(message(2000000001));
    expect(renderError('{{ (0..1000000) | length }}').pebbleMessage).toBe(message(1000001));
    expect(renderError('{% for i in range(1, 3000000, 2) %}{% endfor %}').pebbleMessage).toBe(message(1500000));
  });

  test('exactly 1,000,000 elements is allowed', () => {
    expect(r('{{ range(1, 1000000) | length }} {{ (0..999999) | last }}')).toBe('1000000 999999');
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

  // RenderFunction + VariableConfiguration.DEFAULT_MAX_RENDER_DEPTH = 16 and
  // RenderFunctionTest.shouldThrowOnCircularRender (kestra-io/kestra develop, commit
  // 579f01b8f5f569cff958aeaa1d128aa3f467619f). Kestra 1.3.x has no limit: a StackOverflowError.
  test('circular render() stops at nesting depth 16 with Kestra\'s message, naming the template once', () => {
    let thrown: unknown;
    try {
      r('{{ render(input) }}', { input: '{{ render(input) }}' });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(PebbleRenderError);
    const message = (thrown as PebbleRenderError).message;
    const depth = 'Maximum render() nesting depth (16) exceeded at line 1 — check for circular render() calls in your template. ({{ render(input) }}:1)';
    // each of the 16 enclosing render() calls wraps it as Kestra does: the IllegalVariableEvaluationException's
    // toString() in a PebbleException without line nor template
    expect(message).toBe(`${'io.pebbletemplates.pebble.error.PebbleException: '.repeat(16)}${depth}${' (?:?)'.repeat(16)}`);
    expect(message.split('{{ render(input) }}').length - 1).toBe(1);
  });

  test('16 nested render() calls are allowed, the 17th fails; the line is the render() call\'s', () => {
    // the top render() runs at depth 0, the one inside v15 at depth 1 ... the one inside v1 at depth 15
    const chain: Record<string, string> = { v0: 'done' };
    for (let i = 1; i <= 16; i++) chain[`v${i}`] = `{{ render(v${i - 1}) }}`;
    expect(r('{{ render(v15) }}', chain)).toBe('done');
    expect(() => r('\n{{ render(v16) }}', chain)).toThrow(/nesting depth \(16\) exceeded at line 1 /);
    expect(() => r('\n{{ render(loop) }}', { loop: 'a\n\n{{ render(loop) }}' })).toThrow(/nesting depth \(16\) exceeded at line 3 /);
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
