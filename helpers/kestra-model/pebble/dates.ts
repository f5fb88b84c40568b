/**
 * The java.time subset Kestra's date filters need (core/src/main/java/io/kestra/core/runners/
 * pebble/AbstractDate.java), split into time.ts (zones, calendar), date-format.ts (patterns,
 * formatting), date-parse.ts (parsing) and, here, ZonedDateTime.plus(amount, ChronoUnit).
 * English (en) texts only.
 */
import { civilFromDays, daysFromCivil, fail, fromLocal, localOf, monthLength, type LocalDateTime, type ZonedDateTime } from './time.js';

export { zoneOf, offsetAt, fromDate, type Zone, type ZonedDateTime } from './time.js';
export { formatDate } from './date-format.js';
export { convertToZoned } from './date-parse.js';

// ---- arithmetic -------------------------------------------------------------------------------

const TIME_UNITS: Record<string, number> = {
  NANOS: 1e-9,
  MICROS: 1e-6,
  MILLIS: 1e-3,
  SECONDS: 1,
  MINUTES: 60,
  HOURS: 3600,
  HALF_DAYS: 43200,
};
const CHRONO_UNITS = new Set([
  ...Object.keys(TIME_UNITS), 'DAYS', 'WEEKS', 'MONTHS', 'YEARS', 'DECADES', 'CENTURIES', 'MILLENNIA', 'ERAS', 'FOREVER',
]);

function plusMonths(l: LocalDateTime, months: number): LocalDateTime {
  const total = l.year * 12 + (l.month - 1) + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12 + 1;
  return { ...l, year, month, day: Math.min(l.day, monthLength(year, month)) };
}

/** ZonedDateTime.plus(amount, ChronoUnit.valueOf(unit)) */
export function plusUnit(zdt: ZonedDateTime, amount: number, unit: string): ZonedDateTime {
  if (!CHRONO_UNITS.has(unit)) fail(`No enum constant java.time.temporal.ChronoUnit.${unit}`);
  const seconds = TIME_UNITS[unit];
  if (seconds !== undefined) {
    if (seconds >= 1) return { ...zdt, epochSecond: zdt.epochSecond + amount * seconds };
    const nanosPerUnit = Math.round(seconds * 1e9);
    const totalNano = zdt.nano + amount * nanosPerUnit;
    const carry = Math.floor(totalNano / 1e9);
    return { ...zdt, epochSecond: zdt.epochSecond + carry, nano: totalNano - carry * 1e9 };
  }
  const l = localOf(zdt);
  let next: LocalDateTime;
  switch (unit) {
    case 'DAYS':
    case 'WEEKS': {
      const days = daysFromCivil(l.year, l.month, l.day) + amount * (unit === 'WEEKS' ? 7 : 1);
      next = { ...l, ...civilFromDays(days) };
      break;
    }
    case 'MONTHS':
      next = plusMonths(l, amount);
      break;
    case 'YEARS':
      next = plusMonths(l, amount * 12);
      break;
    case 'DECADES':
      next = plusMonths(l, amount * 120);
      break;
    case 'CENTURIES':
      next = plusMonths(l, amount * 1200);
      break;
    case 'MILLENNIA':
      next = plusMonths(l, amount * 12000);
      break;
    default:
      return fail(`Unsupported unit: ${unit.charAt(0)}${unit.slice(1).toLowerCase()}`);
  }
  return fromLocal(next, zdt.zone, l.offset);
}
