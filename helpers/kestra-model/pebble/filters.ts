/**
 * Filters: Pebble core (io/pebbletemplates/pebble/extension/core/*Filter.java, 3.2.x) as
 * customised by Kestra (ExtensionCustomizer: `replace` → Kestra's ReplaceFilter, `numberformat`
 * → `numberFormat`, `escape`/`raw` removed) plus Kestra's own filters
 * (core/src/main/java/io/kestra/core/runners/pebble/filters/*.java).
 */
import { createHash } from 'node:crypto';
import { convertToZoned, formatDate, plusUnit, zoneOf, type ZonedDateTime, type Zone } from './dates.js';
import { EvalFailure, JavaRuntimeFailure } from './errors.js';
import { toJson } from './json.js';
import { formatDecimal } from './numberformat.js';
import { javaReplaceAll, javaSplit, javaTrim, slugify, urlDecode, urlEncode } from './strings.js';
import { has, type ArgMap, type CallContext, type FilterDef } from './types.js';
import {
  MapEntry,
  dbl,
  isIntegral,
  isMap,
  isNumber,
  javaClassName,
  javaToString,
  numValue,
} from './values.js';

const fail = (message: string): never => {
  throw new EvalFailure(message);
};

function castFail(v: unknown, target: string): never {
  return fail(`class ${javaClassName(v)} cannot be cast to class ${target}`);
}

function asString(v: unknown): string {
  if (typeof v === 'string') return v;
  return castFail(v, 'java.lang.String');
}

function asStringOrNull(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  return asString(v);
}

/** `(Long) arg` — Pebble integer literals are Longs. */
function asLong(v: unknown): number {
  if (isIntegral(v)) return v;
  if (v === null || v === undefined) return fail('Cannot invoke "java.lang.Long.intValue()" because the argument is null');
  return castFail(v, 'java.lang.Long');
}

/** Pebble's EmptyTest (used by `default`). */
export function isEmptyValue(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === 'string') return javaTrim(v) === '';
  if (Array.isArray(v)) return v.length === 0;
  if (isMap(v)) return Object.keys(v).length === 0;
  return false;
}

// ---- dates (AbstractDate) ---------------------------------------------------------------------

const DATE_ARGS = ['format', 'timeZone', 'existingFormat', 'locale'] as const;

function checkLocale(args: ArgMap): void {
  if (!has(args, 'locale') || args['locale'] === null) return;
  const locale = asString(args['locale']);
  if (!/^en(?:[_-]|$)/i.test(locale)) {
    throw new EvalFailure(`unsupported date locale \`${locale}\` in the local Kestra stand-in (only English)`, 'unsupported');
  }
}

export function zoneArg(args: ArgMap, ctx: CallContext): Zone {
  const tz = asStringOrNull(args['timeZone']);
  return tz !== undefined ? zoneOf(tz) : ctx.defaultZone();
}

/** AbstractDate.format(input, args, context) */
export function formatWithArgs(input: unknown, args: ArgMap, ctx: CallContext, zoned?: ZonedDateTime): string {
  const format = has(args, 'format') ? asString(args['format']) : 'iso';
  const zone = zoneArg(args, ctx);
  checkLocale(args);
  const date = zoned ?? convertToZoned(input, zone, asStringOrNull(args['existingFormat']));
  return formatDate(date, format, zone);
}

// ---- Kestra ReplaceFilter / EscapeCharFilter recursion ------------------------------------------

function deepMapStrings(input: unknown, fn: (s: string) => string): unknown {
  if (isMap(input)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(input)) out[k] = deepMapStrings(input[k], fn);
    return out;
  }
  if (Array.isArray(input)) return input.map((x) => deepMapStrings(x, fn));
  return fn(typeof input === 'string' ? input : javaToString(input));
}

function hashFilter(algorithm: string): FilterDef {
  return {
    args: null,
    apply(input) {
      if (input === null || input === undefined) return null;
      if (typeof input !== 'string') return fail('Need a string to hash\n');
      return createHash(algorithm).update(input, 'utf8').digest('hex');
    },
  };
}

function compareJava(a: unknown, b: unknown): number {
  if (isNumber(a) && isNumber(b)) return numValue(a) - numValue(b);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return fail(`class ${javaClassName(a)} cannot be cast to class java.lang.Comparable`);
}

/** Kestra 1.x NumberFilter uses commons-lang3 NumberUtils; floats are modelled as doubles. */
function parseNumber(val: string, type: string): unknown {
  const bad = (): never => fail(`${val} is not a valid number.`);
  const text = val.trim() === val ? val : bad();
  const intLike = /^[+-]?\d+$/.test(text);
  const decLike = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[dDfF]?$/.test(text);
  switch (type) {
    case 'INT':
    case 'LONG':
    case 'BIGINTEGER':
      return intLike ? Number(text) : bad();
    case 'FLOAT':
    case 'DOUBLE':
    case 'BIGDECIMAL':
      return decLike || intLike ? dbl(Number(text.replace(/[dDfF]$/, ''))) : bad();
    default:
      if (/^[+-]?\d+[lL]?$/.test(text)) return Number(text.replace(/[lL]$/, ''));
      if (/^[+-]?0[xX][0-9a-fA-F]+$/.test(text)) return Number.parseInt(text, 16);
      if (decLike) return dbl(Number(text.replace(/[dDfF]$/, '')));
      return bad();
  }
}

/**
 * StartsWithFilter / EndsWithFilter (1.3.x): `input.toString()` then `args.get("value").toString()`,
 * so a null input or value is a bare NullPointerException (Java's helpful message).
 */
function prefixFilter(name: 'startsWith' | 'endsWith'): FilterDef {
  const npe = (what: string): never => {
    throw new JavaRuntimeFailure(`Cannot invoke "Object.toString()" because ${what} is null`);
  };
  return {
    args: ['value'],
    apply(input, args) {
      const data = javaToString(input ?? npe('"input"'));
      const value = javaToString(args['value'] ?? npe('the return value of "java.util.Map.get(Object)"'));
      return name === 'startsWith' ? data.startsWith(value) : data.endsWith(value);
    },
  };
}

/**
 * DateAddFilter.getAsLong (Kestra 1.3.x): a Long or Integer as is, another Number truncated
 * (longValue), a String through Long.parseLong; anything else is refused.
 */
function dateAddAmount(value: unknown): number {
  if (isIntegral(value)) return value;
  if (isNumber(value)) return Math.trunc(numValue(value));
  if (typeof value === 'string') {
    const n = /^[+-]?\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n)) return fail(`${value} can't be converted to long`);
    return n === 0 ? 0 : n;
  }
  return fail(`Incorrect ${value === null || value === undefined ? 'null' : javaToString(value)} format, must be a number`);
}

export const FILTERS: Record<string, FilterDef> = {
  // ---------------- Pebble core ----------------
  abbreviate: {
    args: ['length'],
    apply(input, args) {
      if (input === null || input === undefined) return null;
      const value = asString(input);
      const maxWidth = asLong(args['length']);
      if (maxWidth < 0) fail('Invalid argument to abbreviate filter; must be greater than zero');
      if (value.length < maxWidth || value.length <= 3) return value;
      if (maxWidth <= 3) return value.slice(0, maxWidth);
      return `${value.slice(0, Math.max(0, maxWidth - 3))}...`;
    },
  },
  abs: {
    args: null,
    apply(input) {
      if (input === null || input === undefined) return fail('Can not pass null value to "abs" filter.');
      if (isIntegral(input)) return Math.abs(input);
      if (isNumber(input)) return dbl(Math.abs(numValue(input)));
      return fail("The 'abs' filter does require as input a number.");
    },
  },
  base64decode: {
    args: null,
    apply(input) {
      if (input === null || input === undefined) return null;
      if (typeof input !== 'string') return fail('This filter applies to String\n');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(input) || input.length % 4 === 1) {
        return fail('Please provide a correctly Base64 encoded string containing an UTF-8 string\n');
      }
      return Buffer.from(input, 'base64').toString('utf8');
    },
  },
  base64encode: {
    args: null,
    apply(input) {
      if (input === null || input === undefined) return null;
      return Buffer.from(javaToString(input), 'utf8').toString('base64');
    },
  },
  capitalize: {
    args: null,
    apply(input) {
      if (input === null || input === undefined) return null;
      const value = asString(input);
      const i = value.search(/[^\s]/);
      if (i === -1) return value;
      return value.slice(0, i) + value.charAt(i).toUpperCase() + value.slice(i + 1);
    },
  },
  default: {
    args: ['default'],
    apply(input, args) {
      return isEmptyValue(input) ? (args['default'] ?? null) : input;
    },
  },
  first: {
    args: null,
    apply(input) {
      if (input === null || input === undefined) return null;
      if (typeof input === 'string') return input.length > 0 ? input.charAt(0) : fail('Index 0 out of bounds for length 0');
      if (Array.isArray(input)) return input.length > 0 ? input[0] : null;
      return castFail(input, 'java.util.Collection');
    },
  },
  last: {
    args: null,
    apply(input) {
      if (input === null || input === undefined) return null;
      if (typeof input === 'string') return input.length > 0 ? input.charAt(input.length - 1) : fail('Index -1 out of bounds for length 0');
      if (Array.isArray(input)) return input.length > 0 ? input[input.length - 1] : null;
      return castFail(input, 'java.util.Collection');
    },
  },
  join: {
    args: ['separator'],
    apply(input, args) {
      if (input === null || input === undefined) return null;
      if (!Array.isArray(input)) return fail("The 'join' filter expects that the input is either a collection or an array.");
      const glue = has(args, 'separator') ? asStringOrNull(args['separator']) : undefined;
      return input.map(javaToString).join(glue ?? '');
    },
  },
  length: {
    args: null,
    apply(input) {
      if (input === null || input === undefined) return 0;
      if (typeof input === 'string' || Array.isArray(input)) return input.length;
      if (isMap(input)) return Object.keys(input).length;
      return 0;
    },
  },
  lower: {
    args: null,
    apply(input) {
      if (input === null || input === undefined) return null;
      return javaToString(input).toLowerCase();
    },
  },
  merge: {
    args: ['items'],
    apply(input, args) {
      const items = args['items'] ?? null;
      if (input === null || input === undefined) {
        if (items === null) fail('The two arguments to be merged are null');
        return items;
      }
      if (items === null) return input;
      if (isMap(input)) {
        if (isMap(items)) return { ...input, ...items };
        if (Array.isArray(items)) {
          const out: Record<string, unknown> = { ...input };
          for (const e of items) {
            if (!(e instanceof MapEntry)) fail('The object being merged is not a Map.Entry');
            out[e.key] = e.value;
          }
          return out;
        }
        return fail('The object being merged is not a Map/List/Array');
      }
      if (Array.isArray(input)) {
        if (Array.isArray(items)) return [...input, ...items];
        if (isMap(items)) return [...input, ...Object.keys(items).map((k) => new MapEntry(k, items[k]))];
        return fail('The object being merged is not a Map/List/Array');
      }
      return fail('The object being filtered is not a Map/List/Array');
    },
  },
  numberFormat: {
    args: ['format'],
    apply(input, args) {
      if (input === null || input === undefined) return null;
      if (!isNumber(input)) return fail("The input for the 'NumberFormat' filter has to be a number.");
      const format = args['format'] === null || args['format'] === undefined ? null : asString(args['format']);
      return formatDecimal(numValue(input), isIntegral(input), format);
    },
  },
  replace: {
    args: ['replace_pairs', 'regexp'],
    apply(input, args) {
      if (input === null || input === undefined) return null;
      const pairs = args['replace_pairs'];
      if (pairs === null || pairs === undefined) return fail("The argument 'replace_pairs' is required.");
      if (!isMap(pairs)) return castFail(pairs, 'java.util.Map');
      const regexp = has(args, 'regexp') ? args['regexp'] : false;
      if (typeof regexp !== 'boolean') return castFail(regexp, 'java.lang.Boolean');
      const entries = Object.keys(pairs).map((k) => [k, javaToString(pairs[k])] as const);
      const processString = (s: string): string => {
        let data = s;
        for (const [from, to] of entries) data = regexp ? javaReplaceAll(data, from, to) : data.split(from).join(to);
        return data;
      };
      return deepMapStrings(input, processString);
    },
  },
  reverse: {
    args: null,
    apply(input) {
      if (input === null || input === undefined) return null;
      if (!Array.isArray(input)) return castFail(input, 'java.util.List');
      return [...input].reverse();
    },
  },
  rsort: {
    args: null,
    apply(input) {
      if (input === null || input === undefined) return null;
      if (!Array.isArray(input)) return fail('Unsupported input type for rsort filter');
      return [...input].sort((a, b) => compareJava(b, a));
    },
  },
  sha256: hashFilter('sha256'),
  slice: {
    args: ['fromIndex', 'toIndex'],
    apply(input, args) {
      if (input === null || input === undefined) return null;
      const fromArg = args['fromIndex'] ?? 0;
      if (!isNumber(fromArg)) return fail(`Argument fromIndex must be a number. Actual type: ${javaClassName(fromArg)}`);
      const from = Math.trunc(numValue(fromArg));
      if (from < 0) fail('fromIndex must be greater than 0');
      const toArg = args['toIndex'] ?? null;
      if (toArg !== null && !isNumber(toArg)) return fail(`Argument toIndex must be a number. Actual type: ${javaClassName(toArg)}`);
      if (typeof input !== 'string' && !Array.isArray(input)) {
        return fail(`Slice filter can only be applied to String, List and array inputs. Actual type was: ${javaClassName(input)}`);
      }
      const length = input.length;
      let to = length;
      if (toArg !== null) {
        to = Math.trunc(numValue(toArg));
        if (to > length) fail(`toIndex must be smaller than input size: ${length}`);
        else if (from >= to) fail('toIndex must be greater than fromIndex');
      }
      return input.slice(from, to);
    },
  },
  sort: {
    args: null,
    apply(input) {
      if (input === null || input === undefined) return null;
      if (!Array.isArray(input)) return fail('Unsupported input type for sort filter');
      return [...input].sort(compareJava);
    },
  },
  split: {
    args: ['delimiter', 'limit'],
    apply(input, args) {
      if (input === null || input === undefined) return null;
      const delimiter = asStringOrNull(args['delimiter']);
      if (delimiter === undefined) return fail('missing delimiter parameter in split filter');
      const limit = args['limit'];
      if (limit !== null && limit !== undefined && !isNumber(limit)) return castFail(limit, 'java.lang.Number');
      return javaSplit(asString(input), delimiter, limit === null || limit === undefined ? 0 : Math.trunc(numValue(limit)));
    },
  },
  title: {
    args: null,
    apply(input) {
      if (input === null || input === undefined) return null;
      const value = asString(input);
      let out = '';
      let cap = true;
      for (const c of value) {
        if (/\s/.test(c)) {
          cap = true;
          out += c;
        } else if (cap) {
          out += c.toUpperCase();
          cap = false;
        } else {
          out += c;
        }
      }
      return out;
    },
  },
  trim: {
    args: null,
    apply(input) {
      if (input === null || input === undefined) return null;
      return javaTrim(asString(input));
    },
  },
  upper: {
    args: null,
    apply(input) {
      if (input === null || input === undefined) return null;
      return javaToString(input).toUpperCase();
    },
  },
  urlencode: {
    args: null,
    apply(input) {
      if (input === null || input === undefined) return null;
      return urlEncode(asString(input));
    },
  },

  // ---------------- Kestra ----------------
  chunk: {
    args: ['size'],
    apply(input, args) {
      if (input === null || input === undefined) return null;
      if (!has(args, 'size')) fail("'chunk' filter expects an argument 'size'.");
      if (!Array.isArray(input)) return fail(`'chunk' filter can only be applied to List. Actual type was: ${javaClassName(input)}`);
      const size = asLong(args['size']);
      if (size <= 0) fail('size must be greater than 0');
      const out: unknown[][] = [];
      for (let i = 0; i < input.length; i += size) out.push(input.slice(i, i + size));
      return out;
    },
  },
  date: {
    args: DATE_ARGS,
    apply(input, args, ctx) {
      if (input === null || input === undefined) return null;
      return formatWithArgs(input, args, ctx);
    },
  },
  dateAdd: {
    args: ['amount', 'unit', 'format', 'timeZone', 'existingFormat', 'locale'],
    apply(input, args, ctx) {
      if (input === null || input === undefined) return null;
      const amount = dateAddAmount(args['amount']);
      const unit = args['unit'];
      if (unit === null || unit === undefined) return fail('Name is null');
      const zone = zoneArg(args, ctx);
      const date = convertToZoned(input, zone, asStringOrNull(args['existingFormat']));
      return formatWithArgs(input, args, ctx, plusUnit(date, amount, asString(unit)));
    },
  },
  endsWith: prefixFilter('endsWith'),
  escapeChar: {
    args: ['type'],
    apply(input, args) {
      if (input === null || input === undefined) return null;
      if (!has(args, 'type')) fail("The 'escapeChar' filter expects an argument 'type'.");
      const type = String(args['type'] ?? '').toUpperCase();
      const replacements: Record<string, [string, string]> = {
        SINGLE: ["'", "\\'"],
        DOUBLE: ['"', '\\"'],
        SHELL: ["'", "'\\''"],
      };
      const r = replacements[type];
      if (!r) return fail("The 'escapeChar' filter expects the value of 'type' to be either 'single', 'double', or 'shell'.");
      return deepMapStrings(input, (s) => s.split(r[0]).join(r[1]));
    },
  },
  flatten: {
    args: null,
    apply(input) {
      if (input === null || input === undefined) return null;
      if (!Array.isArray(input)) return fail("The 'flatten' filter can only be applied to lists.");
      return input.flatMap((x) => (Array.isArray(x) ? x : [x]));
    },
  },
  indent: indentFilter('indent'),
  nindent: indentFilter('nindent'),
  json: { args: null, apply: (input) => toJson(input) },
  toJson: { args: null, apply: (input) => toJson(input) },
  keys: {
    args: null,
    apply(input) {
      if (input === null || input === undefined) return null;
      if (isMap(input)) return Object.keys(input);
      if (Array.isArray(input)) return input.map((_, i) => i);
      return fail(`'keys' filter can only be applied to List, Map, Array. Actual type was: ${javaClassName(input)}`);
    },
  },
  values: {
    args: null,
    apply(input) {
      if (input === null || input === undefined) return null;
      if (isMap(input)) return Object.keys(input).map((k) => input[k]);
      return fail(`'values' filter can only be applied to Map. Actual type was: ${javaClassName(input)}`);
    },
  },
  number: {
    args: ['type'],
    apply(input, args) {
      if (input === null || input === undefined) return null;
      if (typeof input !== 'string') return fail(`'number' filter can only be applied to String. Actual type was: ${javaClassName(input)}`);
      const type = has(args, 'type') ? javaToString(args['type']) : '';
      return parseNumber(input, type);
    },
  },
  slugify: {
    args: DATE_ARGS,
    apply(input) {
      if (input === null || input === undefined) return null;
      return slugify(javaToString(input));
    },
  },
  startsWith: prefixFilter('startsWith'),
  substringAfter: substringFilter('substringAfter', (s, sep) => {
    if (s === '') return s;
    const pos = s.indexOf(sep);
    return pos === -1 ? '' : s.slice(pos + sep.length);
  }),
  substringAfterLast: substringFilter('substringAfterLast', (s, sep) => {
    if (s === '') return s;
    if (sep === '') return '';
    const pos = s.lastIndexOf(sep);
    return pos === -1 || pos === s.length - sep.length ? '' : s.slice(pos + sep.length);
  }),
  substringBefore: substringFilter('substringBefore', (s, sep) => {
    if (s === '') return s;
    if (sep === '') return '';
    const pos = s.indexOf(sep);
    return pos === -1 ? s : s.slice(0, pos);
  }),
  substringBeforeLast: substringFilter('substringBeforeLast', (s, sep) => {
    if (s === '' || sep === '') return s;
    const pos = s.lastIndexOf(sep);
    return pos === -1 ? s : s.slice(0, pos);
  }),
  timestamp: {
    args: ['timeZone', 'existingFormat'],
    apply(input, args, ctx) {
      if (input === null || input === undefined) return null;
      return convertToZoned(input, zoneArg(args, ctx), asStringOrNull(args['existingFormat'])).epochSecond;
    },
  },
  urldecode: {
    args: null,
    apply(input) {
      if (input === null || input === undefined) return null;
      return urlDecode(asString(input));
    },
  },
  distinct: {
    args: null,
    apply(input) {
      // DistinctFilter (1.3.x): null gives the *string* "null"; a non-list fails
      if (input === null || input === undefined) return 'null';
      if (!Array.isArray(input)) return fail(`Input must be a list, but received : ${javaClassName(input)}`);
      const out: unknown[] = [];
      for (const x of input) if (!out.some((y) => javaEqualsLoose(x, y))) out.push(x);
      return out;
    },
  },
  md5: hashFilter('md5'),
  sha1: hashFilter('sha1'),
  sha512: hashFilter('sha512'),
};

function javaEqualsLoose(a: unknown, b: unknown): boolean {
  return toJson(a) === toJson(b) && javaClassName(a) === javaClassName(b);
}

function substringFilter(name: string, fn: (s: string, sep: string) => string): FilterDef {
  return {
    args: ['separator'],
    apply(input, args) {
      if (input === null || input === undefined) return null;
      if (!has(args, 'separator')) fail(`The '${name}' filter expects an argument 'separator'.`);
      const sep = asStringOrNull(args['separator']);
      const s = javaToString(input);
      if (sep === undefined) {
        // commons-lang3: a null separator returns the input (before*) or "" (after*)
        return name.startsWith('substringBefore') ? s : s === '' ? s : '';
      }
      return fn(s, sep);
    },
  };
}

function indentFilter(kind: 'indent' | 'nindent'): FilterDef {
  return {
    args: ['amount', 'prefix'],
    apply(input, args) {
      if (input === null || input === undefined) return null;
      const s = javaToString(input);
      if (s === '') return s;
      if (!has(args, 'amount')) fail(`The '${kind}' filter expects an integer as argument 'amount'.`);
      const amount = asLong(args['amount']);
      if (amount < 0) fail(`The '${kind}' filter expects a positive integer >=0 as argument 'amount'.`);
      const prefix = has(args, 'prefix') ? asStringOrNull(args['prefix']) ?? 'null' : ' ';
      const newLine = s.includes('\r\n') ? '\r\n' : s.includes('\n\r') ? '\n\r' : s.includes('\n') ? '\n' : s.includes('\r') ? '\r' : '\n';
      const source = kind === 'indent' ? s : newLine + s;
      return source.split(newLine).join(newLine + prefix.repeat(amount));
    },
  };
}

/** Filters Kestra 1.x ships that this stand-in does not implement. */
export const KNOWN_UNSUPPORTED_FILTERS = [
  'className',
  'jq',
  'yaml',
  'toIon',
  'timestampMilli',
  'timestampMicro',
  'timestampNano',
  'regexMatch',
  'regexExtract',
  'regexReplace',
  'string',
  'condenseString',
  'uniq',
  'jsonEncode',
  'sh',
  'nl2br',
  'format',
];
