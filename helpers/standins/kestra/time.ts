/**
 * Time as Kestra writes and reads it: `java.time.Instant#toString`, `java.time.Duration#toString`
 * / `Duration.parse` (ISO-8601 `PnDTnHnMn.nS`), and the ZonedDateTime a Subflow `scheduleDate`
 * must render to.
 */
import { instantToString } from '../../kestra-model/pebble/values.js';

export { instantToString };

/** `Duration#toString()`: `PT0S`, `PT0.123S`, `PT1M30S`, `PT26H1M` (hours are never folded into days). */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms === 0) return 'PT0S';
  const negative = ms < 0;
  let rest = Math.abs(Math.round(ms));
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  const sign = negative ? '-' : '';
  let out = 'PT';
  if (hours) out += `${sign}${hours}H`;
  if (minutes) out += `${sign}${minutes}M`;
  if (seconds || millis) {
    const frac = millis ? `.${String(millis).padStart(3, '0').replace(/0+$/, '')}` : '';
    out += `${sign}${seconds}${frac}S`;
  }
  return out;
}

const DURATION = /^([-+]?)P(?:([-+]?\d+)D)?(?:T(?:([-+]?\d+)H)?(?:([-+]?\d+)M)?(?:([-+]?\d+)(?:[.,](\d{0,9}))?S)?)?$/i;

/** `Duration.parse`: milliseconds, or undefined when `text` is not an ISO-8601 duration. */
export function parseDuration(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = DURATION.exec(text.trim());
  if (!m || /T$/i.test(text.trim()) || text.trim().toUpperCase() === 'P') return undefined;
  const [, sign, d, h, min, s, frac] = m;
  const num = (v: string | undefined) => (v === undefined ? 0 : Number(v));
  const fracMs = frac ? Number(`0.${frac}`) * 1000 * (s?.startsWith('-') ? -1 : 1) : 0;
  const total = num(d) * 86_400_000 + num(h) * 3_600_000 + num(min) * 60_000 + num(s) * 1000 + fracMs;
  return sign === '-' ? -total : total;
}

/**
 * ISO-8601 date-time WITH an offset or `Z` (what Jackson reads into a ZonedDateTime); also a
 * bracketed zone id suffix (`…+01:00[Europe/Paris]`). Undefined for anything else — a local
 * date-time is ambiguous and Kestra refuses it too.
 */
export function parseZonedDateTime(text: unknown): Date | undefined {
  if (text instanceof Date) return Number.isNaN(text.getTime()) ? undefined : text;
  if (typeof text !== 'string') return undefined;
  const trimmed = text.trim().replace(/\[[^\]]+\]$/, '');
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}|[+-]\d{2})$/i.test(trimmed)) return undefined;
  // JS Date keeps milliseconds only; longer fractions are truncated like an Instant printed at ms precision.
  const normalized = trimmed.replace(/(\.\d{3})\d+/, '$1').replace(/([+-]\d{2})$/, '$1:00').replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const date = new Date(normalized);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** `Instant.parse` (Java 17: ISO instant, offsets accepted). */
export const parseInstant = parseZonedDateTime;

/** `LocalDate.parse`: yyyy-MM-dd that exists in the calendar. */
export function isLocalDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(text);
}
