/**
 * Parsing for AbstractDate.convert: ZonedDateTime/LocalDateTime/LocalDate.parse with the ISO
 * formats or a DateTimeFormatter pattern (`existingFormat`).
 */
import { EvalFailure } from './errors.js';
import { MONTHS, DAYS, NAMED_ISO, NAMED_PATTERNS, STYLES, compilePattern, type Piece } from './date-format.js';
import {
  civilFromDays,
  daysFromCivil,
  fail,
  formatOffsetId,
  fromDate,
  fromLocal,
  localToEpochSecond,
  monthLength,
  parseOffset,
  zoneOf,
  type LocalDateTime,
  type Zone,
  type ZonedDateTime,
} from './time.js';
import { isIntegral } from './values.js';


const ISO_DATE = '([+-]\\d{5,9}|\\d{4})-(\\d{2})-(\\d{2})';
const ISO_TIME = '(\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?';
const ISO_OFFSET = '(Z|[+-]\\d{2}(?::?\\d{2}(?::?\\d{2})?)?)';
const ZONED_RE = new RegExp(`^${ISO_DATE}T${ISO_TIME}${ISO_OFFSET}(?:\\[([^\\]]+)\\])?$`, 'i');
const LOCAL_DT_RE = new RegExp(`^${ISO_DATE}T${ISO_TIME}$`, 'i');
const LOCAL_D_RE = new RegExp(`^${ISO_DATE}$`);

function parseError(value: string, index = 0): never {
  return fail(`Text '${value}' could not be parsed at index ${index}`);
}

function checkLocal(value: string, l: LocalDateTime): LocalDateTime {
  if (l.month < 1 || l.month > 12) fail(`Text '${value}' could not be parsed: Invalid value for MonthOfYear (valid values 1 - 12): ${l.month}`);
  if (l.day < 1 || l.day > monthLength(l.year, l.month)) fail(`Text '${value}' could not be parsed: Invalid date`);
  if (l.hour > 23) fail(`Text '${value}' could not be parsed: Invalid value for HourOfDay (valid values 0 - 23): ${l.hour}`);
  if (l.minute > 59) fail(`Text '${value}' could not be parsed: Invalid value for MinuteOfHour (valid values 0 - 59): ${l.minute}`);
  if (l.second > 59) fail(`Text '${value}' could not be parsed: Invalid value for SecondOfMinute (valid values 0 - 59): ${l.second}`);
  return l;
}

function localFromIso(value: string, m: RegExpExecArray, withTime: boolean): LocalDateTime {
  return checkLocal(value, {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: withTime ? Number(m[4]) : 0,
    minute: withTime ? Number(m[5]) : 0,
    second: withTime ? Number(m[6] ?? 0) : 0,
    nano: withTime && m[7] ? Number(m[7].padEnd(9, '0')) : 0,
  });
}

interface Parsed {
  local: LocalDateTime | null;
  hasTime: boolean;
  offset: number | null;
  zone: Zone | null;
}

function parseIsoZoned(value: string): Parsed | null {
  const m = ZONED_RE.exec(value);
  if (!m) return null;
  const local = localFromIso(value, m, true);
  const offText = m[8]!;
  const offset = offText.toUpperCase() === 'Z' ? 0 : parseOffset(offText);
  if (offset === null) return null;
  return { local, hasTime: true, offset, zone: m[9] ? zoneOf(m[9]) : null };
}

function parseIso(value: string): Parsed | null {
  const z = parseIsoZoned(value);
  if (z) return z;
  let m = LOCAL_DT_RE.exec(value);
  if (m) return { local: localFromIso(value, m, true), hasTime: true, offset: null, zone: null };
  m = LOCAL_D_RE.exec(value);
  if (m) return { local: localFromIso(value, m, false), hasTime: false, offset: null, zone: null };
  return null;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface Capture {
  letter: string;
  count: number;
}

function pieceRegex(pieces: Piece[], captures: Capture[]): string {
  let re = '';
  for (const p of pieces) {
    if (p.t === 'lit') re += escapeRe(p.text);
    else if (p.t === 'opt') re += `(?:${pieceRegex(p.pieces, captures)})?`;
    else if (p.t === 'field') {
      captures.push({ letter: p.letter, count: p.count });
      re += `(${fieldRegex(p.letter, p.count)})`;
    }
  }
  return re;
}

function fieldRegex(letter: string, count: number): string {
  const num = (min: number, max: number): string => `\\d{${min},${max}}`;
  switch (letter) {
    case 'y':
    case 'u':
      if (count === 2) return '\\d{2}';
      if (count >= 4) return `[+-]?\\d{${count},9}`;
      return `[+-]?\\d{${count},9}`;
    case 'M':
    case 'L':
      if (count === 3) return MONTHS.map((x) => x.slice(0, 3)).join('|');
      if (count === 4) return MONTHS.join('|');
      if (count === 5) return '[A-Z]';
      return count === 1 ? num(1, 2) : num(2, 2);
    case 'E':
      return count === 4 ? DAYS.join('|') : count === 5 ? '[A-Z]' : DAYS.map((x) => x.slice(0, 3)).join('|');
    case 'a':
      return 'AM|PM';
    case 'G':
      return 'AD|BC|Anno Domini|Before Christ|A|B';
    case 'S':
      return `\\d{${count}}`;
    case 'n':
      return count === 1 ? '\\d{1,9}' : `\\d{${count},9}`;
    case 'D':
      return count === 1 ? num(1, 3) : count === 2 ? num(2, 3) : num(3, 3);
    case 'X':
    case 'x':
    case 'Z':
      return 'Z|[+-]\\d{2}(?::?\\d{2}(?::?\\d{2})?)?|GMT(?:[+-]\\d{1,2}(?::\\d{2}(?::\\d{2})?)?)?';
    case 'O':
      return 'GMT(?:[+-]\\d{1,2}(?::\\d{2}(?::\\d{2})?)?)?';
    case 'V':
      return '[A-Za-z][A-Za-z0-9~/._+-]*|Z|[+-]\\d{2}:\\d{2}';
    case 'z':
    case 'v':
      return '[A-Za-z][A-Za-z0-9/_+-]*';
    default:
      return count === 1 ? num(1, 2) : num(count, count);
  }
}

const RFC_1123_RE =
  /^(?:(Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2})(?::(\d{2}))? (GMT|[+-]\d{4})$/;

function parseRfc1123(value: string): Parsed {
  const m = RFC_1123_RE.exec(value);
  if (!m) return parseError(value);
  const local = checkLocal(value, {
    year: Number(m[4]),
    month: MONTHS.findIndex((x) => x.startsWith(m[3]!)) + 1,
    day: Number(m[2]),
    hour: Number(m[5]),
    minute: Number(m[6]),
    second: Number(m[7] ?? 0),
    nano: 0,
  });
  return { local, hasTime: true, offset: m[8] === 'GMT' ? 0 : parseOffset(m[8]!), zone: null };
}

function parseWithPattern(value: string, format: string): Parsed {
  if (format === 'rfc_1123_date_time') return parseRfc1123(value);
  if (NAMED_ISO.has(format)) {
    const iso = parseIso(value);
    if (!iso) return parseError(value);
    return iso;
  }
  if (STYLES.has(format)) {
    throw new EvalFailure(`unsupported localized date format \`${format}\` in the local Kestra stand-in`, 'unsupported');
  }
  const pieces = compilePattern(NAMED_PATTERNS[format] ?? format);
  const captures: Capture[] = [];
  const re = new RegExp(`^${pieceRegex(pieces, captures)}$`);
  const m = re.exec(value);
  if (!m) return parseError(value);
  let year: number | null = null;
  let month: number | null = null;
  let day: number | null = null;
  let dayOfYear: number | null = null;
  let hour: number | null = null;
  let hour12: number | null = null;
  let pm: boolean | null = null;
  let minute = 0;
  let second = 0;
  let nano = 0;
  let offset: number | null = null;
  let zone: Zone | null = null;
  for (let idx = 0; idx < captures.length; idx++) {
    const c = captures[idx]!;
    const s = m[idx + 1];
    if (s === undefined) continue;
    switch (c.letter) {
      case 'y':
      case 'u':
        year = c.count === 2 ? 2000 + Number(s) : Number(s);
        break;
      case 'M':
      case 'L':
        month = c.count === 3 ? MONTHS.findIndex((x) => x.startsWith(s)) + 1 : c.count === 4 ? MONTHS.indexOf(s) + 1 : Number(s);
        break;
      case 'd':
        day = Number(s);
        break;
      case 'D':
        dayOfYear = Number(s);
        break;
      case 'H':
      case 'k':
        hour = Number(s) % 24;
        break;
      case 'h':
      case 'K':
        hour12 = Number(s) % 12;
        break;
      case 'a':
        pm = s === 'PM';
        break;
      case 'm':
        minute = Number(s);
        break;
      case 's':
        second = Number(s);
        break;
      case 'S':
        nano = Number(s.padEnd(9, '0').slice(0, 9));
        break;
      case 'n':
        nano = Number(s);
        break;
      case 'X':
      case 'x':
      case 'Z':
      case 'O':
        offset = s === 'Z' || s === 'GMT' ? 0 : parseOffset(s.replace(/^GMT/, '')) ?? parseError(value);
        break;
      case 'V':
      case 'z':
      case 'v':
        zone = zoneOf(s);
        break;
      default:
        break;
    }
  }
  if (hour === null && hour12 !== null && pm !== null) hour = hour12 + (pm ? 12 : 0);
  if (year !== null && dayOfYear !== null && month === null) {
    const d = civilFromDays(daysFromCivil(year, 1, 1) + dayOfYear - 1);
    month = d.month;
    day = d.day;
  }
  const hasDate = year !== null && month !== null && day !== null;
  const local = hasDate
    ? checkLocal(value, { year: year!, month: month!, day: day!, hour: hour ?? 0, minute, second, nano })
    : null;
  return { local, hasTime: hour !== null, offset, zone };
}

/**
 * AbstractDate.convert: Date/Instant → zoned in `zone`; Long → epoch seconds, milliseconds (13
 * digits) or nanoseconds (19 digits, see epochNumber); String →
 * ZonedDateTime.parse, else LocalDateTime.parse().atZone(zone), else LocalDate.parse()
 * .atStartOfDay().atZone(zone) — with `existingFormat` when given.
 */
export function convertToZoned(value: unknown, zone: Zone, existingFormat: string | undefined): ZonedDateTime {
  if (value instanceof Date) return fromDate(value, zone);
  if (isIntegral(value)) return epochNumber(value, zone);
  if (typeof value !== 'string') {
    const cls = typeof value === 'number' || (typeof value === 'object' && value !== null && 'value' in value) ? 'java.lang.Double' : 'java.lang.Object';
    return fail(`class ${Array.isArray(value) ? 'java.util.ArrayList' : cls} cannot be cast to class java.lang.String`);
  }
  const parsed = existingFormat !== undefined ? parseWithPattern(value, existingFormat) : parseIso(value);
  if (!parsed || !parsed.local) {
    const idx = /^\d{4}-\d{2}-\d{2}/.test(value) ? 10 : 0;
    return parseError(value, idx);
  }
  const local = parsed.hasTime ? parsed.local : { ...parsed.local, hour: 0, minute: 0, second: 0, nano: 0 };
  if (parsed.hasTime && (parsed.offset !== null || parsed.zone !== null)) {
    const ownZone = parsed.zone ?? zoneOf(formatOffsetId(parsed.offset!));
    if (parsed.offset !== null) {
      return { epochSecond: localToEpochSecond(local) - parsed.offset, nano: local.nano, zone: ownZone };
    }
    return fromLocal(local, ownZone);
  }
  return fromLocal(local, zone);
}

/**
 * AbstractDate.convert for a Long (core/src/main/java/io/kestra/core/runners/pebble/AbstractDate.java,
 * 1.3.x), by the length of its decimal string: 13 → epoch milliseconds; 19 ending in "000" → epoch
 * nanoseconds; other 19 → milliseconds plus micros, where Kestra's `withNano(micros * 1000)`
 * replaces the whole fraction; anything else → epoch seconds. BigInt keeps 19 digits exact.
 */
function epochNumber(value: number, zone: Zone): ZonedDateTime {
  const digits = String(value);
  const v = BigInt(digits); // past 2^53 a JS number has lost digits already; its shortest form is closest
  const floorDiv = (a: bigint, b: bigint): bigint => (a >= 0n || a % b === 0n ? a / b : a / b - 1n);
  if (digits.length === 13) {
    const sec = floorDiv(v, 1000n);
    return { epochSecond: Number(sec), nano: Number(v - sec * 1000n) * 1_000_000, zone };
  }
  if (digits.length === 19) {
    if (digits.endsWith('000')) {
      const sec = floorDiv(v, 1_000_000_000n);
      return { epochSecond: Number(sec), nano: Number(v - sec * 1_000_000_000n), zone };
    }
    const millis = v / 1_000_000n; // Java long division truncates
    const micros = Number(v % 1_000_000n);
    if (micros < 0) return fail(`Invalid value for NanoOfSecond (valid values 0 - 999999999): ${micros * 1000}`);
    return { epochSecond: Number(floorDiv(millis, 1000n)), nano: micros * 1000, zone };
  }
  return { epochSecond: value, nano: 0, zone };
}
