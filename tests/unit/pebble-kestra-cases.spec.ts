/**
 * Every ported case of Kestra's own Pebble unit tests (tests/unit/pebble-kestra-cases.data.ts,
 * io.kestra:core 1.3.17 test classes) rendered by the engine. A case marked `divergence` runs as
 * test.fixme: reported as a known difference, never as passing.
 */
import { test, expect } from '../support/unit-test.js';
import { PebbleRenderError, PebbleSyntaxError, render } from '../../helpers/kestra-model/pebble/index.js';
import { KESTRA_CASES, type KestraCase } from './pebble-kestra-cases.data.js';

function run(c: KestraCase): string {
  const now = c.now;
  return render(c.template, { variables: c.variables ?? {}, zone: c.zone ?? 'UTC', ...(now ? { now: () => new Date(now) } : {}) });
}

/** What Kestra's IllegalVariableEvaluationException stands for here: a Pebble error the stand-in implements. */
function isKestraEvaluationError(e: unknown): boolean {
  if (e instanceof PebbleSyntaxError) return true;
  return e instanceof PebbleRenderError && e.kind !== 'unsupported' && !e.javaException;
}

const seen = new Map<string, number>();
for (const c of KESTRA_CASES) {
  const n = (seen.get(c.test) ?? 0) + 1;
  seen.set(c.test, n);
  const title = `${c.test} #${n}: ${c.template.replace(/\s+/g, ' ').slice(0, 90)}`;
  const body = (): void => {
    const e = c.expect;
    if ('throws' in e) {
      let thrown: unknown;
      try {
        run(c);
      } catch (err) {
        thrown = err;
      }
      expect(thrown, 'Kestra throws IllegalVariableEvaluationException').toBeDefined();
      expect(isKestraEvaluationError(thrown), String(thrown)).toBe(true);
      if (e.messageContains) expect((thrown as Error).message).toContain(e.messageContains);
    } else if ('output' in e) {
      expect(run(c)).toBe(e.output);
    } else if ('contains' in e) {
      const out = run(c);
      for (const part of e.contains) expect(out).toContain(part);
    } else if ('notOutput' in e) {
      const out = run(c);
      expect(out).not.toBe(e.notOutput);
      if (e.length !== undefined) expect(out).toHaveLength(e.length);
    } else if ('integerBetween' in e) {
      const out = run(c);
      expect(out).toMatch(/^-?\d+$/);
      expect(Number(out)).toBeGreaterThanOrEqual(e.integerBetween[0]);
      expect(Number(out)).toBeLessThanOrEqual(e.integerBetween[1]);
    } else {
      const out = JSON.parse(run(c)) as unknown[];
      for (const value of e.jsonContains) expect(out).toContainEqual(value);
    }
  };
  if (c.divergence) test.fixme(`${title} — known divergence: ${c.divergence}`, body);
  else test(title, body);
}

test('the port covers the engine items it names (isIn, dates, distinct, startsWith/endsWith, render)', () => {
  const files = new Set(KESTRA_CASES.map((c) => c.test.split('.')[0]!.replace(/\[.*$/, '')));
  for (const f of ['expression/InExpressionTest', 'filters/DateFilterTest', 'filters/DistinctFilterTest', 'filters/StartsWithFilterTest', 'filters/EndsWithFilterTest', 'functions/RenderFunctionTest']) {
    expect(files).toContain(f);
  }
});
