/**
 * `is` tests: Pebble core (extension/core/*Test.java) + Kestra's `json`
 * (core/src/main/java/io/kestra/core/runners/pebble/tests/JsonTest.java).
 * `defined` is special-cased in the evaluator (PositiveTestExpression catches
 * AttributeNotFoundException for it only).
 */
import { EvalFailure } from './errors.js';
import { isEmptyValue } from './filters.js';
import { parseJson } from './json.js';
import type { TestDef } from './types.js';
import { isIntegral, isMap, javaClassName } from './values.js';

function parity(name: string, even: boolean): TestDef {
  return {
    args: null,
    apply(input) {
      if (input === null || input === undefined) throw new EvalFailure(`Can not pass null value to "${name}" test.`);
      if (!isIntegral(input)) {
        throw new EvalFailure(`class ${javaClassName(input)} cannot be cast to class java.lang.Long`);
      }
      return (Math.abs(input) % 2 === 0) === even;
    },
  };
}

export const TESTS: Record<string, TestDef> = {
  defined: { args: null, apply: (input) => input !== null && input !== undefined },
  null: { args: null, apply: (input) => input === null || input === undefined },
  empty: { args: null, apply: (input) => isEmptyValue(input) },
  iterable: { args: null, apply: (input) => Array.isArray(input) },
  map: { args: null, apply: (input) => isMap(input) },
  even: parity('even', true),
  odd: parity('odd', false),
  json: {
    args: null,
    apply(input) {
      if (input !== null && input !== undefined && typeof input !== 'string') {
        throw new EvalFailure(`class ${javaClassName(input)} cannot be cast to class java.lang.String`);
      }
      if (input === null || input === undefined) throw new EvalFailure('argument "content" is null');
      try {
        parseJson(input);
        return true;
      } catch {
        return false;
      }
    },
  },
};
