/**
 * The Java bean members Pebble's DefaultAttributeResolver / MemberCacheUtils would reach by
 * reflection on String, List and Map (a practical subset): `s.length`, `list.size`,
 * `s.toUpperCase()`, `map.containsKey('k')`...
 */
import { EvalFailure } from './errors.js';
import { hasKey, javaEquals, javaToString } from './values.js';

export const STRING_METHODS: Record<string, (s: string, a: unknown[]) => unknown> = {
  length: (s) => s.length,
  isEmpty: (s) => s.length === 0,
  isBlank: (s) => s.trim() === '',
  toUpperCase: (s) => s.toUpperCase(),
  toLowerCase: (s) => s.toLowerCase(),
  trim: (s) => s.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, ''),
  strip: (s) => s.trim(),
  contains: (s, a) => s.includes(javaToString(a[0])),
  startsWith: (s, a) => s.startsWith(javaToString(a[0])),
  endsWith: (s, a) => s.endsWith(javaToString(a[0])),
  indexOf: (s, a) => s.indexOf(javaToString(a[0])),
  lastIndexOf: (s, a) => s.lastIndexOf(javaToString(a[0])),
  substring: (s, a) => {
    const from = Number(a[0]);
    const to = a.length > 1 ? Number(a[1]) : s.length;
    if (from < 0 || to > s.length || from > to) throw new EvalFailure(`begin ${from}, end ${to}, length ${s.length}`);
    return s.slice(from, to);
  },
  replace: (s, a) => s.split(javaToString(a[0])).join(javaToString(a[1])),
  equals: (s, a) => javaEquals(s, a[0]),
  equalsIgnoreCase: (s, a) => typeof a[0] === 'string' && s.toLowerCase() === a[0].toLowerCase(),
  concat: (s, a) => s + javaToString(a[0]),
  charAt: (s, a) => {
    const i = Number(a[0]);
    if (i < 0 || i >= s.length) throw new EvalFailure(`Index ${i} out of bounds for length ${s.length}`);
    return s.charAt(i);
  },
};
export const STRING_PROPERTIES: Record<string, string> = { length: 'length', empty: 'isEmpty', blank: 'isBlank' };

export const LIST_METHODS: Record<string, (l: unknown[], a: unknown[]) => unknown> = {
  size: (l) => l.length,
  isEmpty: (l) => l.length === 0,
  contains: (l, a) => l.some((x) => javaEquals(x, a[0])),
  indexOf: (l, a) => l.findIndex((x) => javaEquals(x, a[0])),
  get: (l, a) => {
    const i = Number(a[0]);
    if (!Number.isInteger(i) || i < 0 || i >= l.length) throw new EvalFailure(`Index ${i} out of bounds for length ${l.length}`);
    return l[i];
  },
  getFirst: (l) => (l.length ? l[0] : (() => { throw new EvalFailure('java.util.NoSuchElementException'); })()),
  getLast: (l) => (l.length ? l[l.length - 1] : (() => { throw new EvalFailure('java.util.NoSuchElementException'); })()),
};
export const LIST_PROPERTIES: Record<string, string> = { size: 'size', empty: 'isEmpty', first: 'getFirst', last: 'getLast' };

export const MAP_METHODS: Record<string, (m: Record<string, unknown>, a: unknown[]) => unknown> = {
  size: (m) => Object.keys(m).length,
  isEmpty: (m) => Object.keys(m).length === 0,
  containsKey: (m, a) => typeof a[0] === 'string' && hasKey(m, a[0]),
  containsValue: (m, a) => Object.keys(m).some((k) => javaEquals(m[k], a[0])),
  get: (m, a) => (typeof a[0] === 'string' && hasKey(m, a[0]) ? m[a[0]] : null),
  keySet: (m) => Object.keys(m),
  values: (m) => Object.keys(m).map((k) => m[k]),
};
