/**
 * JSON the way Kestra's Jackson ObjectMapper (JacksonMapper.ofJson()) writes and reads it.
 *
 * Writing (toJson filter, and the JsonWriter that prints maps/lists in `{{ }}`):
 *  - compact, no spaces; map entries in insertion order;
 *  - map entries whose value is null are dropped: JacksonMapper configures
 *    `setSerializationInclusion(NON_NULL)`, which Jackson 2.9+ applies to map *contents* too
 *    (JsonInclude.Value.construct(incl, incl)); see kestra-io/kestra#3211 and #18938. Nulls inside
 *    lists are kept (content inclusion does not apply to collections);
 *  - doubles via `Double.toString` (`14700.0`, `1.0E10`), integers as-is;
 *  - strings: `"` and `\` escaped, control characters as `\n`/`\t`/`\r`/`\b`/`\f` or `\u00XX`
 *    (upper-case hex, Jackson's CharTypes.HC), everything else — including non-ASCII and
 *    U+2028/U+2029 — written as is;
 *  - `Map.Entry` as a single-entry object; `Instant` as an ISO-8601 string.
 *
 * Reading (fromJson / json functions): numbers with a fraction or exponent become doubles
 * (so `14700.0` keeps printing as `14700.0`), others integers; trailing content after the first
 * value is ignored (Jackson's FAIL_ON_TRAILING_TOKENS is off by default).
 */
import {
  JavaDouble,
  MapEntry,
  dbl,
  instantToString,
  isIntegral,
  isMap,
  javaDoubleToString,
} from './values.js';

const HEX = '0123456789ABCDEF';

/**
 * Characters JSON.stringify writes differently from Jackson: control characters other than
 * \b \t \n \f \r (JSON.stringify uses lower-case hex) and lone surrogates (JSON.stringify escapes
 * them). A string without any is quoted by JSON.stringify, in native code: the stand-in writes
 * every execution it serves through here, so this is its hottest path.
 */
const OWN_ESCAPES = /[\u0000-\u0007\u000b\u000e-\u001f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function quoteJsonString(s: string): string {
  return OWN_ESCAPES.test(s) ? quoteJacksonString(s) : JSON.stringify(s);
}

function quoteJacksonString(s: string): string {
  let out = '"';
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c) continue;
    out += s.slice(last, i);
    last = i + 1;
    switch (c) {
      case 0x22:
        out += '\\"';
        break;
      case 0x5c:
        out += '\\\\';
        break;
      case 0x0a:
        out += '\\n';
        break;
      case 0x0d:
        out += '\\r';
        break;
      case 0x09:
        out += '\\t';
        break;
      case 0x08:
        out += '\\b';
        break;
      case 0x0c:
        out += '\\f';
        break;
      default:
        out += `\\u00${HEX[c >> 4]}${HEX[c & 0xf]}`;
    }
  }
  return `${out}${s.slice(last)}"`;
}

function doubleToJson(d: number): string {
  // Jackson's default WRITE_NAN_AS_STRINGS
  if (!Number.isFinite(d)) return `"${javaDoubleToString(d)}"`;
  return javaDoubleToString(d);
}

export function toJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'string':
      return quoteJsonString(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return isIntegral(v) ? String(v) : doubleToJson(v);
    case 'bigint':
      return v.toString();
    default:
      break;
  }
  if (v instanceof JavaDouble) return doubleToJson(v.value);
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) out += i === 0 ? toJson(v[i]) : `,${toJson(v[i])}`;
    return `${out}]`;
  }
  if (v instanceof MapEntry) {
    return v.value === null || v.value === undefined ? '{}' : `{${quoteJsonString(v.key)}:${toJson(v.value)}}`;
  }
  if (v instanceof Date) return quoteJsonString(instantToString(v));
  if (isMap(v)) {
    let out = '{';
    for (const k of Object.keys(v)) {
      const value = v[k];
      if (value === null || value === undefined) continue;
      out += `${out.length === 1 ? '' : ','}${quoteJsonString(k)}:${toJson(value)}`;
    }
    return `${out}}`;
  }
  return quoteJsonString(String(v));
}

export class JsonParseError extends Error {}

/** Parses JSON like Jackson's `readValue(json, Object.class)`. */
export function parseJson(text: string): unknown {
  let i = 0;
  const n = text.length;

  const fail = (msg: string): never => {
    throw new JsonParseError(msg);
  };
  const ws = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else break;
    }
  };
  const unexpected = (): never => {
    if (i >= n) return fail('Unexpected end-of-input');
    const ch = text[i] ?? '';
    return fail(`Unexpected character ('${ch}' (code ${text.charCodeAt(i)})) at position ${i}`);
  };

  const parseString = (): string => {
    i++; // opening quote
    let out = '';
    let start = i;
    while (true) {
      if (i >= n) fail('Unexpected end-of-input: was expecting closing quote for a string value');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(start, i);
        i++;
        return out;
      }
      if (c < 0x20) fail(`Illegal unquoted character ((CTRL-CHAR, code ${c})): has to be escaped using backslash to be included in string value`);
      if (c === 0x5c) {
        out += text.slice(start, i);
        const e = text[i + 1];
        i += 2;
        switch (e) {
          case '"':
            out += '"';
            break;
          case '\\':
            out += '\\';
            break;
          case '/':
            out += '/';
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += '\r';
            break;
          case 't':
            out += '\t';
            break;
          case 'u': {
            const hex = text.slice(i, i + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('Unexpected character in unicode escape');
            out += String.fromCharCode(parseInt(hex, 16));
            i += 4;
            break;
          }
          default:
            fail(`Unrecognized character escape '${e ?? ''}'`);
        }
        start = i;
        continue;
      }
      i++;
    }
  };

  const parseNumber = (): number | JavaDouble => {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i));
    if (!m || m[0] === '-') return unexpected();
    const lit = m[0];
    i += lit.length;
    const next = text[i];
    if (next !== undefined && /[0-9A-Za-z_.]/.test(next)) unexpected();
    const value = Number(lit);
    return m[2] !== undefined || m[3] !== undefined ? dbl(value) : value;
  };

  const parseValue = (): unknown => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      while (true) {
        ws();
        if (text[i] !== '"') unexpected();
        const key = parseString();
        ws();
        if (text[i] !== ':') unexpected();
        i++;
        const value = parseValue();
        if (key === '__proto__') {
          Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
        } else {
          obj[key] = value;
        }
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        unexpected();
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      while (true) {
        arr.push(parseValue());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        unexpected();
      }
    }
    if (c === '"') return parseString();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return parseNumber();
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, i) && !/[A-Za-z0-9_]/.test(text[i + word.length] ?? '')) {
        i += word.length;
        return value;
      }
    }
    if (i >= n) return fail('No content to map due to end-of-input');
    const token = /^[^\s,:\[\]{}"]+/.exec(text.slice(i))?.[0] ?? text[i];
    return fail(
      `Unrecognized token '${token}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`,
    );
  };

  return parseValue();
}
