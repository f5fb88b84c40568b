/**
 * The Java value model the evaluator works with, mapped onto JS values:
 *
 *  - Java `null`                  → `null` (and `undefined` is read as `null`)
 *  - Java `Integer`/`Long`        → a JS number for which `Number.isInteger` is true
 *  - Java `Double`                → a non-integral JS number (incl. NaN/±Infinity), or a
 *                                   `JavaDouble` box for integral doubles such as `2.0`, so that
 *                                   they print as `2.0` like Java does
 *  - Java `String` / `Character`  → string
 *  - Java `Boolean`               → boolean
 *  - `List` / arrays              → JS array
 *  - `Map`                        → plain object
 *  - `Map.Entry` (for-loop over a map) → `MapEntry`
 *  - `java.time.Instant`          → JS `Date`
 */

export class JavaDouble {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
  toString(): string {
    return javaDoubleToString(this.value);
  }
}

export class MapEntry {
  constructor(
    readonly key: string,
    readonly value: unknown,
  ) {}
}

/** Box a JS number that is the result of a Java double operation. */
export function dbl(n: number): number | JavaDouble {
  return Number.isInteger(n) || Object.is(n, -0) ? new JavaDouble(n) : n;
}

export function isNumber(v: unknown): v is number | JavaDouble {
  return typeof v === 'number' || v instanceof JavaDouble;
}

/** Java Integer/Long. */
export function isIntegral(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && !Object.is(v, -0);
}

export function isDouble(v: unknown): boolean {
  return v instanceof JavaDouble || (typeof v === 'number' && !isIntegral(v));
}

export function numValue(v: number | JavaDouble): number {
  return typeof v === 'number' ? v : v.value;
}

export function isList(v: unknown): v is unknown[] {
  return Array.isArray(v);
}

export function isMap(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

export function hasKey(map: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(map, key);
}

/** Java's `Double.toString(double)` (shortest repr, as in JDK 19+). */
export function javaDoubleToString(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (d === Infinity) return 'Infinity';
  if (d === -Infinity) return '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const sign = d < 0 ? '-' : '';
  const abs = Math.abs(d);
  const [mant = '0', expText = '0'] = abs.toExponential().split('e');
  const digits = mant.replace('.', '');
  const exp = Number(expText);
  if (abs >= 1e-3 && abs < 1e7) {
    if (exp >= 0) {
      const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
      const frac = digits.slice(exp + 1) || '0';
      return `${sign}${intPart}.${frac}`;
    }
    return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  return `${sign}${digits[0]}.${digits.slice(1) || '0'}E${exp}`;
}

/** `java.time.Instant#toString()`: ISO-8601 in UTC, fraction in groups of 3 digits when non-zero. */
export function instantToString(date: Date): string {
  const iso = date.toISOString(); // yyyy-MM-ddTHH:mm:ss.SSSZ
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

/** `String.valueOf(Object)` / `Object#toString()` as Java would print the value. */
export function javaToString(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return isIntegral(v) ? String(v) : javaDoubleToString(v);
  if (v instanceof JavaDouble) return javaDoubleToString(v.value);
  if (Array.isArray(v)) return `[${v.map(javaToString).join(', ')}]`;
  if (v instanceof MapEntry) return `${v.key}=${javaToString(v.value)}`;
  if (v instanceof Date) return instantToString(v);
  if (isMap(v)) {
    return `{${Object.keys(v)
      .map((k) => `${k}=${javaToString(v[k])}`)
      .join(', ')}}`;
  }
  if (typeof v === 'bigint') return v.toString();
  return String(v);
}

/** The Java class Kestra would report for a value in error messages. */
export function javaClassName(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return 'java.lang.String';
  if (typeof v === 'boolean') return 'java.lang.Boolean';
  if (isIntegral(v)) return 'java.lang.Integer';
  if (isNumber(v)) return 'java.lang.Double';
  if (Array.isArray(v)) return 'java.util.ArrayList';
  if (v instanceof MapEntry) return 'java.util.HashMap$Node';
  if (v instanceof Date) return 'java.time.Instant';
  if (isMap(v)) return 'java.util.LinkedHashMap';
  return 'java.lang.Object';
}

/** `Object#equals` semantics (Long(1).equals(Double(1.0)) is false). */
export function javaEquals(a: unknown, b: unknown): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (a === null || b === null) return a === b;
  if (isNumber(a) || isNumber(b)) {
    if (!isNumber(a) || !isNumber(b)) return false;
    if (isIntegral(a) !== isIntegral(b)) return false;
    return Object.is(numValue(a), numValue(b));
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => javaEquals(x, b[i]));
  }
  if (a instanceof MapEntry || b instanceof MapEntry) {
    return a instanceof MapEntry && b instanceof MapEntry && a.key === b.key && javaEquals(a.value, b.value);
  }
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (isMap(a) || isMap(b)) {
    if (!isMap(a) || !isMap(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => hasKey(b, k) && javaEquals(a[k], b[k]));
  }
  return a === b;
}

/** Pebble's `OperatorUtils.equals`: numbers compare by double value, everything else by equals(). */
export function pebbleEquals(a: unknown, b: unknown): boolean {
  if (isNumber(a) && isNumber(b)) return numValue(a) === numValue(b);
  return javaEquals(a, b);
}

/**
 * Pebble's `TypeUtils.compatibleCast(value, Boolean.class)` as used by `if`, `not`, `and`,
 * `or` and the ternary operator (Pebble 3.2.x): Boolean as-is, Number → `!= 0`,
 * String → `!isEmpty()`. Returns `undefined` for a value that cannot be cast.
 */
export function toPebbleBoolean(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (isNumber(v)) return numValue(v) !== 0;
  if (typeof v === 'string') return v.length > 0;
  return undefined;
}

/** Simple Java class name, as in "Unsupported value type ArrayList". */
export function javaSimpleClassName(v: unknown): string {
  const full = javaClassName(v);
  return full.slice(full.lastIndexOf('.') + 1);
}

/** Converts evaluator values back to plain JS values (unboxes JavaDouble, MapEntry). */
export function unbox(v: unknown): unknown {
  if (v instanceof JavaDouble) return v.value;
  if (v instanceof MapEntry) return { key: v.key, value: unbox(v.value) };
  if (Array.isArray(v)) {
    let copy: unknown[] | null = null;
    for (let i = 0; i < v.length; i++) {
      const u = unbox(v[i]);
      if (u !== v[i]) {
        copy ??= v.slice();
        copy[i] = u;
      }
    }
    return copy ?? v;
  }
  if (isMap(v)) {
    let copy: Record<string, unknown> | null = null;
    for (const k of Object.keys(v)) {
      const u = unbox(v[k]);
      if (u !== v[k]) {
        copy ??= { ...v };
        copy[k] = u;
      }
    }
    return copy ?? v;
  }
  return v;
}
