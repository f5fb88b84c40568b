/**
 * Operator semantics: Pebble's OperatorUtils (io/pebbletemplates/pebble/utils/OperatorUtils.java,
 * 3.2.x) and Kestra's comparison / membership overrides
 * (core/src/main/java/io/kestra/core/runners/pebble/expression/*.java).
 */
import { EvalFailure, JavaRuntimeFailure } from './errors.js';
import { dbl, hasKey, isDouble, isMap, isNumber, javaEquals, javaToString, numValue } from './values.js';

export type ArithOp = '+' | '-' | '*' | '/' | '%';
const OP_NAMES: Record<ArithOp, string> = { '+': 'ADD', '-': 'SUBTRACT', '*': 'MULTIPLICATION', '/': 'DIVISION', '%': 'MODULUS' };

export function arithmetic(op: ArithOp, a: unknown, b: unknown): unknown {
  if (op === '+') {
    if (typeof a === 'string' || typeof b === 'string') return javaToString(a) + javaToString(b);
    if (Array.isArray(a)) return Array.isArray(b) ? [...a, ...b] : [...a, b];
  }
  if (op === '-' && Array.isArray(a)) {
    if (Array.isArray(b)) return a.filter((x) => !b.some((y) => javaEquals(x, y)));
    const i = a.findIndex((x) => javaEquals(x, b));
    return i === -1 ? [...a] : [...a.slice(0, i), ...a.slice(i + 1)];
  }
  if (!isNumber(a) || !isNumber(b)) throw new EvalFailure(`invalid operands for mathematical operation [${OP_NAMES[op]}]`);
  const x = numValue(a);
  const y = numValue(b);
  if (isDouble(a) || isDouble(b)) {
    switch (op) {
      case '+':
        return dbl(x + y);
      case '-':
        return dbl(x - y);
      case '*':
        return dbl(x * y);
      case '/':
        return dbl(x / y);
      default:
        return dbl(x % y);
    }
  }
  let r: number;
  switch (op) {
    case '+':
      r = x + y;
      break;
    case '-':
      r = x - y;
      break;
    case '*':
      r = x * y;
      break;
    case '/':
      if (y === 0) throw new EvalFailure('/ by zero');
      r = Math.trunc(x / y);
      break;
    default:
      if (y === 0) throw new EvalFailure('/ by zero');
      r = x % y;
  }
  return r === 0 ? 0 : r;
}

export const COMPARE_MESSAGES: Record<string, [string, string]> = {
  // Kestra 1.x core/src/main/java/io/kestra/core/runners/pebble/expression/*ThanExpression.java
  '>': ['GREATER_THAN', 'Could not perform greater than comparison'],
  '>=': ['GREATER_THAN_EQUALS', 'Could not perform greater than or equals comparison'],
  '<': ['LESS_THAN', 'Could not perform less than comparisonPebb'],
  '<=': ['LESS_THAN_EQUALS', 'Could not perform less than or equals comparison'],
};

/** Pebble's ContainsExpression: membership with Java equals(). */
export function collectionHas(container: unknown, item: unknown): boolean | undefined {
  if (Array.isArray(container)) {
    if (Array.isArray(item)) return item.every((x) => container.some((y) => javaEquals(x, y)));
    return container.some((y) => javaEquals(item, y));
  }
  if (isMap(container)) return typeof item === 'string' && hasKey(container, item);
  return undefined;
}

/** A bare NullPointerException: no Pebble node wraps one thrown by InExpression. */
const npe = (what: string | null): never => {
  throw new JavaRuntimeFailure(what === null ? 'java.lang.NullPointerException' : `Cannot invoke "Object.toString()" because ${what} is null`);
};

/**
 * Kestra's `isIn` (core/src/main/java/io/kestra/core/runners/pebble/expression/InExpression.java,
 * 1.3.x): compares `toString()`s; a list matches an element, a map a key or a value; a null side,
 * a string or any other right operand gives false.
 */
export function isIn(left: unknown, right: unknown): boolean {
  if (left === null || left === undefined || right === null || right === undefined) return false;
  const needle = javaToString(left);
  if (Array.isArray(right)) {
    // `objects.stream().map(Object::toString)`: a null element is an NPE without a message
    return right.map((x) => (x === null || x === undefined ? npe(null) : javaToString(x))).includes(needle);
  }
  if (isMap(right)) {
    for (const k of Object.keys(right)) {
      if (k === needle) return true;
      const v = right[k];
      if (v === null || v === undefined) npe('the return value of "java.util.Map$Entry.getValue()"');
      if (javaToString(v) === needle) return true;
    }
  }
  return false;
}
