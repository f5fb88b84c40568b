/**
 * java.text.DecimalFormat (en locale) for the `numberFormat` filter — Pebble's
 * NumberFormatFilter: `new DecimalFormat(format, DecimalFormatSymbols(locale)).format(number)`,
 * or `NumberFormat.getInstance(locale)` ("#,##0.###") without a format.
 * Rounding is HALF_EVEN on the exact binary value of the double (JDK 8+ behaviour).
 */
import { EvalFailure } from './errors.js';

interface Pattern {
  posPrefix: string;
  posSuffix: string;
  negPrefix: string;
  negSuffix: string;
  minInt: number;
  minFrac: number;
  maxFrac: number;
  grouping: number;
  multiplier: number;
}

const cache = new Map<string, Pattern>();

function parseAffix(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "'") {
      const j = s.indexOf("'", i + 1);
      if (j === i + 1) {
        out += "'";
        i = j;
      } else if (j === -1) {
        out += s.slice(i + 1);
        break;
      } else {
        out += s.slice(i + 1, j);
        i = j;
      }
    } else if (c === '¤') {
      out += '$';
    } else {
      out += c;
    }
  }
  return out;
}

function compile(pattern: string): Pattern {
  const hit = cache.get(pattern);
  if (hit) return hit;
  const [pos = '', neg] = pattern.split(';');
  const m = /^((?:'[^']*'|[^#0,.'])*)([#0,]*(?:\.[#0]*)?)((?:'[^']*'|[^#0,.'])*)$/.exec(pos);
  if (!m || /E/.test(m[2] ?? '')) {
    throw new EvalFailure(`unsupported DecimalFormat pattern \`${pattern}\` in the local Kestra stand-in`, 'unsupported');
  }
  const body = m[2] ?? '';
  const [intPart = '', fracPart = ''] = body.split('.');
  const lastComma = intPart.lastIndexOf(',');
  const p: Pattern = {
    posPrefix: parseAffix(m[1] ?? ''),
    posSuffix: parseAffix(m[3] ?? ''),
    negPrefix: '',
    negSuffix: '',
    minInt: (intPart.match(/0/g) ?? []).length,
    minFrac: (fracPart.match(/0/g) ?? []).length,
    maxFrac: fracPart.length,
    grouping: lastComma === -1 ? 0 : intPart.length - lastComma - 1,
    multiplier: 1,
  };
  if (/%/.test(p.posPrefix + p.posSuffix)) p.multiplier = 100;
  if (/‰/.test(p.posPrefix + p.posSuffix)) p.multiplier = 1000;
  if (neg !== undefined) {
    const nm = /^((?:'[^']*'|[^#0,.'])*)[#0,.]*((?:'[^']*'|[^#0,.'])*)$/.exec(neg);
    p.negPrefix = parseAffix(nm?.[1] ?? '-');
    p.negSuffix = parseAffix(nm?.[2] ?? '');
  } else {
    p.negPrefix = `-${p.posPrefix}`;
    p.negSuffix = p.posSuffix;
  }
  cache.set(pattern, p);
  return p;
}

/** Exact decimal expansion of |d|: digits and the number of them after the decimal point. */
function exactDecimal(d: number): { digits: string; scale: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(d));
  const bits = view.getBigUint64(0);
  const exp = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & 0xfffffffffffffn;
  let e: number;
  if (exp === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = exp - 1075;
  }
  if (e >= 0) return { digits: (mant << BigInt(e)).toString(), scale: 0 };
  return { digits: (mant * 5n ** BigInt(-e)).toString(), scale: -e };
}

function roundHalfEven(digits: string, scale: number, maxFrac: number): { intDigits: string; fracDigits: string } {
  if (digits.length <= scale) digits = digits.padStart(scale + 1, '0');
  let intDigits = digits.slice(0, digits.length - scale);
  let frac = digits.slice(digits.length - scale);
  if (frac.length > maxFrac) {
    const kept = frac.slice(0, maxFrac);
    const dropped = frac.slice(maxFrac);
    const first = dropped.charCodeAt(0) - 48;
    const restNonZero = /[1-9]/.test(dropped.slice(1));
    const lastKept = (kept.length > 0 ? kept : intDigits).slice(-1);
    const roundUp = first > 5 || (first === 5 && (restNonZero || Number(lastKept) % 2 === 1));
    let all = intDigits + kept;
    if (roundUp) {
      const arr = all.split('');
      let k = arr.length - 1;
      while (k >= 0) {
        if (arr[k] === '9') {
          arr[k] = '0';
          k--;
        } else {
          arr[k] = String(Number(arr[k]) + 1);
          break;
        }
      }
      all = (k < 0 ? '1' : '') + arr.join('');
    }
    intDigits = all.slice(0, all.length - kept.length);
    frac = all.slice(all.length - kept.length);
  }
  return { intDigits: intDigits.replace(/^0+/, ''), fracDigits: frac };
}

export function formatDecimal(value: number, isInteger: boolean, pattern: string | null): string {
  const p = compile(pattern ?? '#,##0.###');
  if (Number.isNaN(value)) return 'NaN';
  const negative = value < 0 || Object.is(value, -0);
  if (!Number.isFinite(value)) return `${negative ? p.negPrefix : p.posPrefix}∞${negative ? p.negSuffix : p.posSuffix}`;
  let intDigits: string;
  let fracDigits: string;
  if (isInteger && p.multiplier === 1) {
    intDigits = String(Math.abs(value)).replace(/^0+/, '');
    fracDigits = '';
  } else {
    const scaled = Math.abs(value) * p.multiplier;
    const exact = exactDecimal(scaled);
    ({ intDigits, fracDigits } = roundHalfEven(exact.digits, exact.scale, p.maxFrac));
  }
  fracDigits = fracDigits.replace(/0+$/, '');
  if (fracDigits.length < p.minFrac) fracDigits = fracDigits.padEnd(p.minFrac, '0');
  if (intDigits.length < p.minInt) intDigits = intDigits.padStart(p.minInt, '0');
  if (p.grouping > 0 && intDigits.length > p.grouping) {
    const groups: string[] = [];
    for (let end = intDigits.length; end > 0; end -= p.grouping) groups.unshift(intDigits.slice(Math.max(0, end - p.grouping), end));
    intDigits = groups.join(',');
  }
  let body = fracDigits ? `${intDigits}.${fracDigits}` : intDigits;
  if (body === '') body = '0';
  return negative ? `${p.negPrefix}${body}${p.negSuffix}` : `${p.posPrefix}${body}${p.posSuffix}`;
}
