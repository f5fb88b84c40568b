/**
 * DateTimeFormatter patterns (compiled once) and formatting, including the named formats of
 * Kestra's AbstractDate.FORMATTERS (1.3.x: iso, iso_milli, iso_sec, sql, sql_milli, sql_sec, ISO_*
 * constants, RFC 1123).
 */
import { EvalFailure } from './errors.js';
import { daysFromCivil, civilFromDays, epochSecondToLocal, fail, localOf, localToEpochSecond, offsetAt, pad, type LocalDateTime, type Zone, type ZonedDateTime } from './time.js';
import { javaZoneName } from './zone-names.js';


export type Piece =
  | { t: 'lit'; text: string }
  | { t: 'field'; letter: string; count: number }
  | { t: 'opt'; pieces: Piece[] }
  | { t: 'named'; name: string };

const PATTERN_LETTERS = 'GuyDMLdQqYwWEecFaBhKkHmsSAnNVvzOXxZ';
const UNSUPPORTED_LETTERS = 'QqYwWecFBAN';
const patternCache = new Map<string, Piece[]>();

export function compilePattern(pattern: string): Piece[] {
  const hit = patternCache.get(pattern);
  if (hit) return hit;
  const stack: Piece[][] = [[]];
  const top = (): Piece[] => stack[stack.length - 1]!;
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i]!;
    if (/[A-Za-z]/.test(c)) {
      let j = i;
      while (pattern[j] === c) j++;
      const count = j - i;
      if (!PATTERN_LETTERS.includes(c)) fail(`Unknown pattern letter: ${c}`);
      if (UNSUPPORTED_LETTERS.includes(c)) {
        throw new EvalFailure(`unsupported date pattern letter \`${c}\` in the local Kestra stand-in`, 'unsupported');
      }
      top().push({ t: 'field', letter: c, count });
      i = j;
    } else if (c === "'") {
      let j = i + 1;
      let text = '';
      if (pattern[j] === "'") {
        top().push({ t: 'lit', text: "'" });
        i = j + 1;
        continue;
      }
      for (;;) {
        if (j >= pattern.length) fail(`Pattern ends with an incomplete string literal: ${pattern}`);
        if (pattern[j] === "'") {
          if (pattern[j + 1] === "'") {
            text += "'";
            j += 2;
            continue;
          }
          break;
        }
        text += pattern[j];
        j++;
      }
      top().push({ t: 'lit', text });
      i = j + 1;
    } else if (c === '[') {
      stack.push([]);
      i++;
    } else if (c === ']') {
      if (stack.length === 1) fail("Pattern invalid as it contains ] without previous [");
      const pieces = stack.pop()!;
      top().push({ t: 'opt', pieces });
      i++;
    } else if (c === '{' || c === '}' || c === '#') {
      fail(`Pattern includes reserved character: '${c}'`);
    } else {
      top().push({ t: 'lit', text: c });
      i++;
    }
  }
  while (stack.length > 1) {
    const pieces = stack.pop()!;
    top().push({ t: 'opt', pieces });
  }
  const result = stack[0]!;
  for (const p of flatten(result)) validateCount(p);
  patternCache.set(pattern, result);
  return result;
}

function flatten(pieces: Piece[]): Piece[] {
  return pieces.flatMap((p) => (p.t === 'opt' ? flatten(p.pieces) : [p]));
}

function validateCount(p: Piece): void {
  if (p.t !== 'field') return;
  const max: Record<string, number> = { d: 2, H: 2, h: 2, K: 2, k: 2, m: 2, s: 2, a: 1, D: 3, V: 2, O: 4, X: 5, x: 5, Z: 5, G: 5, M: 5, L: 5, E: 5, z: 4, v: 4 };
  const limit = max[p.letter];
  if (limit !== undefined && p.count > limit) fail(`Too many pattern letters: ${p.letter}`);
  if (p.letter === 'V' && p.count !== 2) fail('Pattern letter count must be 2: V');
  if (p.letter === 'O' && p.count !== 1 && p.count !== 4) fail('Pattern letter count must be 1 or 4: O');
}

export const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
export const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function text(full: string, count: number): string {
  if (count === 4) return full;
  if (count === 5) return full.slice(0, 1);
  return full.slice(0, 3);
}

/** DateTimeFormatterBuilder.appendOffset(pattern, noOffsetText) */
export function formatOffset(total: number, pattern: string, noOffsetText: string): string {
  if (total === 0) return noOffsetText;
  const sign = total < 0 ? '-' : '+';
  const abs = Math.abs(total);
  const h = Math.floor(abs / 3600);
  const m = Math.floor((abs % 3600) / 60);
  const s = abs % 60;
  const colon = pattern.includes(':');
  const sep = colon ? ':' : '';
  let out = sign + pad(h, 2);
  switch (pattern.replace(/:/g, '')) {
    case '+HH':
      return out;
    case '+HHmm':
      return m || s ? out + sep + pad(m, 2) : out;
    case '+HHMM':
      return out + sep + pad(m, 2);
    case '+HHMMss':
      out += sep + pad(m, 2);
      return s ? out + sep + pad(s, 2) : out;
    default:
      return out + sep + pad(m, 2) + (s ? sep + pad(s, 2) : '');
  }
}

function localizedOffset(total: number, full: boolean): string {
  if (total === 0) return 'GMT';
  const sign = total < 0 ? '-' : '+';
  const abs = Math.abs(total);
  const h = Math.floor(abs / 3600);
  const m = Math.floor((abs % 3600) / 60);
  const s = abs % 60;
  if (full) return `GMT${sign}${pad(h, 2)}:${pad(m, 2)}${s ? `:${pad(s, 2)}` : ''}`;
  return `GMT${sign}${h}${m || s ? `:${pad(m, 2)}` : ''}${s ? `:${pad(s, 2)}` : ''}`;
}

function zoneName(zone: Zone, epochSecond: number, long: boolean): string {
  if (zone.isOffset) return zone.id;
  if (zone.id === 'UTC' || zone.id === 'Etc/UTC') return long ? 'Coordinated Universal Time' : 'UTC';
  if (zone.fixed !== null) return zone.id;
  // ZoneRules.isDaylightSavings: the offset is above the standard one (the year's smaller offset)
  const year = epochSecondToLocal(epochSecond, 0).year;
  const standard = Math.min(offsetAt(zone, localToEpochSecond(janFirst(year))), offsetAt(zone, localToEpochSecond({ ...janFirst(year), month: 7 })));
  const java = javaZoneName(zone.id, offsetAt(zone, epochSecond) > standard, long);
  if (java !== undefined) return java;
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone.id, timeZoneName: long ? 'long' : 'short' }).formatToParts(
    new Date(epochSecond * 1000),
  );
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? zone.id;
}

const janFirst = (year: number): LocalDateTime => ({ year, month: 1, day: 1, hour: 0, minute: 0, second: 0, nano: 0 });

function formatField(letter: string, count: number, l: LocalDateTime & { offset: number }, zdt: ZonedDateTime, zone: Zone): string {
  const epochDay = daysFromCivil(l.year, l.month, l.day);
  const dow = (((epochDay + 3) % 7) + 7) % 7; // 0 = Monday
  switch (letter) {
    case 'G':
      return count === 4 ? (l.year > 0 ? 'Anno Domini' : 'Before Christ') : count === 5 ? (l.year > 0 ? 'A' : 'B') : l.year > 0 ? 'AD' : 'BC';
    case 'u':
    case 'y': {
      const y = letter === 'y' && l.year <= 0 ? 1 - l.year : l.year;
      if (count === 2) return pad(((y % 100) + 100) % 100, 2);
      if (count >= 4 && y > 9999) return `+${y}`;
      return pad(y, count);
    }
    case 'M':
    case 'L':
      return count >= 3 ? text(MONTHS[l.month - 1]!, count) : pad(l.month, count);
    case 'd':
      return pad(l.day, count);
    case 'D':
      return pad(epochDay - daysFromCivil(l.year, 1, 1) + 1, count);
    case 'E':
      return text(DAYS[dow]!, count);
    case 'a':
      return l.hour < 12 ? 'AM' : 'PM';
    case 'h':
      return pad(l.hour % 12 === 0 ? 12 : l.hour % 12, count);
    case 'K':
      return pad(l.hour % 12, count);
    case 'k':
      return pad(l.hour === 0 ? 24 : l.hour, count);
    case 'H':
      return pad(l.hour, count);
    case 'm':
      return pad(l.minute, count);
    case 's':
      return pad(l.second, count);
    case 'S':
      return String(l.nano).padStart(9, '0').slice(0, count).padEnd(count, '0');
    case 'n':
      return pad(l.nano, count);
    case 'V':
      return zone.id;
    case 'z':
    case 'v':
      return zoneName(zone, zdt.epochSecond, count === 4);
    case 'O':
      return localizedOffset(l.offset, count === 4);
    case 'X':
    case 'x': {
      const pat = ['+HHmm', '+HHMM', '+HH:MM', '+HHMMss', '+HH:MM:ss'][count - 1]!;
      const zero = letter === 'X' ? 'Z' : ['+00', '+0000', '+00:00', '+0000', '+00:00'][count - 1]!;
      return formatOffset(l.offset, pat, zero);
    }
    case 'Z':
      if (count <= 3) return formatOffset(l.offset, '+HHMM', '+0000');
      if (count === 4) return localizedOffset(l.offset, true);
      return formatOffset(l.offset, '+HH:MM:ss', 'Z');
    default:
      return fail(`Unknown pattern letter: ${letter}`);
  }
}

function formatPieces(pieces: Piece[], l: LocalDateTime & { offset: number }, zdt: ZonedDateTime, zone: Zone): string {
  let out = '';
  for (const p of pieces) {
    if (p.t === 'lit') out += p.text;
    else if (p.t === 'field') out += formatField(p.letter, p.count, l, zdt, zone);
    else if (p.t === 'opt') out += formatPieces(p.pieces, l, zdt, zone);
  }
  return out;
}

/** appendFraction(NANO_OF_SECOND, 0, 9, true) */
function isoFraction(nano: number): string {
  if (nano === 0) return '';
  return `.${String(nano).padStart(9, '0').replace(/0+$/, '')}`;
}

function isoLocalTime(l: LocalDateTime): string {
  return `${pad(l.hour, 2)}:${pad(l.minute, 2)}:${pad(l.second, 2)}${isoFraction(l.nano)}`;
}

function isoLocalDate(l: LocalDateTime): string {
  const y = l.year > 9999 ? `+${l.year}` : pad(l.year, 4);
  return `${y}-${pad(l.month, 2)}-${pad(l.day, 2)}`;
}

function isoWeek(l: LocalDateTime): { weekYear: number; week: number; dow: number } {
  const epochDay = daysFromCivil(l.year, l.month, l.day);
  const dow = ((((epochDay + 3) % 7) + 7) % 7) + 1; // 1 = Monday
  const thursday = epochDay - dow + 4;
  const weekYear = civilFromDays(thursday).year;
  const week = Math.floor((thursday - daysFromCivil(weekYear, 1, 1)) / 7) + 1;
  return { weekYear, week, dow };
}

/** The named formatters of AbstractDate.FORMATTERS. */
function formatNamed(name: string, l: LocalDateTime & { offset: number }, zdt: ZonedDateTime, zone: Zone): string {
  const offsetId = formatOffset(l.offset, '+HH:MM:ss', 'Z');
  const region = zone.isOffset ? '' : `[${zone.id}]`;
  switch (name) {
    case 'iso_date_time':
      return `${isoLocalDate(l)}T${isoLocalTime(l)}${offsetId}${region}`;
    case 'iso_date':
      return `${isoLocalDate(l)}${offsetId}`;
    case 'iso_time':
    case 'iso_offset_time':
      return `${isoLocalTime(l)}${offsetId}`;
    case 'iso_local_date':
      return isoLocalDate(l);
    case 'iso_local_date_time':
      return `${isoLocalDate(l)}T${isoLocalTime(l)}`;
    case 'iso_local_time':
      return isoLocalTime(l);
    case 'iso_instant': {
      const u = epochSecondToLocal(zdt.epochSecond, zdt.nano);
      const digits = zdt.nano === 0 ? '' : zdt.nano % 1_000_000 === 0 ? 3 : zdt.nano % 1000 === 0 ? 6 : 9;
      const frac = digits === '' ? '' : `.${String(zdt.nano).padStart(9, '0').slice(0, digits)}`;
      return `${isoLocalDate(u)}T${pad(u.hour, 2)}:${pad(u.minute, 2)}:${pad(u.second, 2)}${frac}Z`;
    }
    case 'iso_ordinal_date':
      return `${pad(l.year, 4)}-${pad(daysFromCivil(l.year, l.month, l.day) - daysFromCivil(l.year, 1, 1) + 1, 3)}${offsetId}`;
    case 'iso_week_date': {
      const w = isoWeek(l);
      return `${pad(w.weekYear, 4)}-W${pad(w.week, 2)}-${w.dow}${offsetId}`;
    }
    case 'iso_zoned_date_time':
      return `${isoLocalDate(l)}T${isoLocalTime(l)}${offsetId}${region}`;
    case 'rfc_1123_date_time': {
      const dow = (((daysFromCivil(l.year, l.month, l.day) + 3) % 7) + 7) % 7;
      const off = l.offset === 0 ? 'GMT' : formatOffset(l.offset, '+HHMM', 'GMT');
      return `${DAYS[dow]!.slice(0, 3)}, ${l.day} ${MONTHS[l.month - 1]!.slice(0, 3)} ${pad(l.year, 4)} ${pad(l.hour, 2)}:${pad(l.minute, 2)}:${pad(l.second, 2)} ${off}`;
    }
    default:
      return fail(`Unknown named format ${name}`);
  }
}

/** core/src/main/java/io/kestra/core/runners/pebble/AbstractDate.java (1.3.x); `sql_seq` is gone. */
export const NAMED_PATTERNS: Record<string, string> = {
  iso: "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX",
  iso_milli: "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
  iso_sec: "yyyy-MM-dd'T'HH:mm:ssXXX",
  sql: 'yyyy-MM-dd HH:mm:ss.SSSSSS',
  sql_milli: 'yyyy-MM-dd HH:mm:ss.SSS',
  sql_sec: 'yyyy-MM-dd HH:mm:ss',
};
export const NAMED_ISO = new Set([
  'iso_date_time', 'iso_date', 'iso_time', 'iso_local_date', 'iso_instant', 'iso_local_date_time',
  'iso_local_time', 'iso_offset_time', 'iso_ordinal_date', 'iso_week_date', 'iso_zoned_date_time',
  'rfc_1123_date_time',
]);
export const STYLES = new Set(['full', 'long', 'medium', 'short']);

/** `formatter(format).withLocale(locale).withZone(zone).format(date)` from AbstractDate. */
export function formatDate(zdt: ZonedDateTime, format: string, zone: Zone): string {
  if (STYLES.has(format)) {
    throw new EvalFailure(`unsupported localized date format \`${format}\` in the local Kestra stand-in`, 'unsupported');
  }
  const l = localOf(zdt, zone);
  if (NAMED_ISO.has(format)) return formatNamed(format, l, zdt, zone);
  const pieces = compilePattern(NAMED_PATTERNS[format] ?? format);
  return formatPieces(pieces, l, zdt, zone);
}
