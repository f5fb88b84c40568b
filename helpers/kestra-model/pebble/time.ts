/**
 * java.time essentials for the date filters: calendar arithmetic, ZoneId.of and zone offsets
 * (region rules resolved with Intl), ZonedDateTime.ofLocal.
 */
import { EvalFailure } from './errors.js';

export interface Zone {
  /** ZoneId#getId(): "UTC", "Europe/Paris", "Z", "+01:00". */
  id: string;
  /** Fixed offset in seconds, or null for a region with rules (resolved with Intl). */
  fixed: number | null;
  /** true for a ZoneOffset (as opposed to a ZoneRegion such as "UTC" or "Europe/Paris"). */
  isOffset: boolean;
}

/** An instant plus a zone: java.time.ZonedDateTime. */
export interface ZonedDateTime {
  epochSecond: number;
  /** 0..999_999_999 */
  nano: number;
  zone: Zone;
}

export interface LocalDateTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  nano: number;
}

export const fail = (message: string): never => {
  throw new EvalFailure(message);
};

// ---- calendar arithmetic (proleptic Gregorian, H. Hinnant's algorithms) -----------------------

export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(z: number): { year: number; month: number; day: number } {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp + (mp < 10 ? 3 : -9);
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function monthLength(y: number, m: number): number {
  return [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 31;
}

export function localToEpochSecond(l: LocalDateTime): number {
  return daysFromCivil(l.year, l.month, l.day) * 86400 + l.hour * 3600 + l.minute * 60 + l.second;
}

export function epochSecondToLocal(sec: number, nano: number): LocalDateTime {
  const days = Math.floor(sec / 86400);
  let rem = sec - days * 86400;
  const { year, month, day } = civilFromDays(days);
  const hour = Math.floor(rem / 3600);
  rem -= hour * 3600;
  const minute = Math.floor(rem / 60);
  return { year, month, day, hour, minute, second: rem - minute * 60, nano };
}

// ---- zones ------------------------------------------------------------------------------------

const zoneCache = new Map<string, Zone>();
const dtfCache = new Map<string, Intl.DateTimeFormat>();

export function formatOffsetId(total: number): string {
  if (total === 0) return 'Z';
  const sign = total < 0 ? '-' : '+';
  const abs = Math.abs(total);
  const h = Math.floor(abs / 3600);
  const m = Math.floor((abs % 3600) / 60);
  const s = abs % 60;
  return `${sign}${pad(h, 2)}:${pad(m, 2)}${s ? `:${pad(s, 2)}` : ''}`;
}

export function parseOffset(text: string): number | null {
  const m = /^([+-])(\d{1,2})(?::?(\d{2})(?::?(\d{2}))?)?$/.exec(text);
  if (!m) return null;
  const h = Number(m[2]);
  const mi = Number(m[3] ?? 0);
  const s = Number(m[4] ?? 0);
  if (h > 18 || mi > 59 || s > 59) return null;
  const total = h * 3600 + mi * 60 + s;
  return m[1] === '-' ? -total : total;
}

/** java.time.ZoneId.of */
export function zoneOf(id: string): Zone {
  const hit = zoneCache.get(id);
  if (hit) return hit;
  let zone: Zone | null = null;
  if (id === 'Z') zone = { id: 'Z', fixed: 0, isOffset: true };
  else if (id.startsWith('+') || id.startsWith('-')) {
    const off = parseOffset(id);
    if (off !== null) zone = { id: formatOffsetId(off), fixed: off, isOffset: true };
  } else {
    const m = /^(UTC|GMT|UT)([+-].*)?$/.exec(id);
    if (m) {
      if (m[2] === undefined) zone = { id, fixed: 0, isOffset: false };
      else {
        const off = parseOffset(m[2]);
        if (off !== null) zone = { id: `${m[1]}${off === 0 ? '' : formatOffsetId(off)}`, fixed: off, isOffset: false };
      }
    } else if (/^[A-Za-z][A-Za-z0-9~/._+-]+$/.test(id)) {
      try {
        const dtf = new Intl.DateTimeFormat('en-US', {
          timeZone: id,
          hourCycle: 'h23',
          year: 'numeric',
          month: 'numeric',
          day: 'numeric',
          hour: 'numeric',
          minute: 'numeric',
          second: 'numeric',
          era: 'short',
        });
        dtfCache.set(id, dtf);
        zone = { id, fixed: null, isOffset: false };
      } catch {
        zone = null;
      }
    }
  }
  if (!zone) return fail(`Unknown time-zone ID: ${id}`);
  zoneCache.set(id, zone);
  return zone;
}

/** Offset (seconds) of a zone at an instant. */
export function offsetAt(zone: Zone, epochSecond: number): number {
  if (zone.fixed !== null) return zone.fixed;
  const dtf = dtfCache.get(zone.id)!;
  const parts = dtf.formatToParts(new Date(epochSecond * 1000));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? 0);
  let year = get('year');
  if (parts.find((p) => p.type === 'era')?.value === 'BC') year = 1 - year;
  const local = daysFromCivil(year, get('month'), get('day')) * 86400 + get('hour') * 3600 + get('minute') * 60 + get('second');
  return local - epochSecond;
}

/** ZonedDateTime.ofLocal(local, zone, preferredOffset) */
export function fromLocal(local: LocalDateTime, zone: Zone, preferredOffset?: number): ZonedDateTime {
  const localSec = localToEpochSecond(local);
  if (zone.fixed !== null) return { epochSecond: localSec - zone.fixed, nano: local.nano, zone };
  const candidates = new Set([offsetAt(zone, localSec - 86400), offsetAt(zone, localSec), offsetAt(zone, localSec + 86400)]);
  const valid = [...candidates].filter((o) => offsetAt(zone, localSec - o) === o);
  let offset: number;
  if (valid.length === 1) offset = valid[0]!;
  else if (valid.length > 1) offset = preferredOffset !== undefined && valid.includes(preferredOffset) ? preferredOffset : Math.max(...valid);
  else offset = offsetAt(zone, localSec - 86400); // gap: shift later by the gap length
  return { epochSecond: localSec - offset, nano: local.nano, zone };
}

export function localOf(zdt: ZonedDateTime, zone: Zone = zdt.zone): LocalDateTime & { offset: number } {
  const offset = offsetAt(zone, zdt.epochSecond);
  return { ...epochSecondToLocal(zdt.epochSecond + offset, zdt.nano), offset };
}

export function fromDate(date: Date, zone: Zone): ZonedDateTime {
  const ms = date.getTime();
  const epochSecond = Math.floor(ms / 1000);
  return { epochSecond, nano: (ms - epochSecond * 1000) * 1_000_000, zone };
}

export function pad(n: number, width: number): string {
  const s = String(Math.abs(n));
  return (n < 0 ? '-' : '') + s.padStart(width, '0');
}
