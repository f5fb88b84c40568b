/**
 * Date filters/functions (Kestra core/src/main/java/io/kestra/core/runners/pebble/AbstractDate.java,
 * filters/DateFilter.java, filters/DateAddFilter.java, filters/TimestampFilter.java,
 * functions/NowFunction.java). Most expectations are Kestra's DateFilterTest.
 *
 * Default output format is AbstractDate's "iso": yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX, rendered in
 * the `timeZone` argument or the server default zone (RenderContext.zone, 'UTC' by default).
 */
import { test, expect } from '../support/unit-test.js';
import { PebbleRenderError, render } from '../../helpers/kestra-model/pebble/index.js';

// DateFilterTest.NOW = ZonedDateTime.parse("2013-09-08T16:19:12.123456+01")
const NOW = '2013-09-08T16:19:12.123456+01:00';
const r = (source: string, variables: Record<string, unknown> = {}, extra: { now?: () => Date; zone?: string } = {}): string =>
  render(source, { variables, ...extra });

test.describe('date filter (DateFilterTest)', () => {
  test('java.util.Date input with format iso and a time zone (dateFormat)', () => {
    const date = new Date(Math.floor(Date.parse(NOW) / 1000) * 1000);
    expect(r("{{ date | date(format='iso', timeZone='Europe/Paris') }}", { date })).toBe('2013-09-08T17:19:12.000000+02:00');
    expect(r('{{ date | date(format="iso_sec", timeZone="Europe/Paris") }}', { date })).toBe('2013-09-08T17:19:12+02:00');
  });

  test('zoned string keeps its microseconds (dateFormat)', () => {
    expect(r('{{ zoned | date(format="iso", timeZone="Europe/Paris") }}', { zoned: NOW })).toBe('2013-09-08T17:19:12.123456+02:00');
  });

  test('string inputs: existingFormat, offset date-time, local date-time, local date (dateStringFormat)', () => {
    expect(r('{{ "July 24, 2001" | date("yyyy-MM-dd", existingFormat="MMMM dd, yyyy") }}')).toBe('2001-07-24');
    expect(r('{{ "2013-09-08T17:19:12+02:00" | date(timeZone="Europe/Paris") }}')).toBe('2013-09-08T17:19:12.000000+02:00');
    expect(r('{{ "2013-09-08T17:19:12" | date(timeZone="Europe/Paris") }}')).toBe('2013-09-08T17:19:12.000000+02:00');
    expect(r('{{ "2013-09-08" | date(timeZone="Europe/Paris") }}')).toBe('2013-09-08T00:00:00.000000+02:00');
  });

  test('RFC 1123 as existingFormat (dateRfc)', () => {
    expect(r("{{ 'Tue, 08 Feb 2022 19:38:26 GMT' | date(existingFormat='rfc_1123_date_time', timeZone=\"Europe/Paris\") }}")).toBe(
      '2022-02-08T20:38:26.000000+01:00',
    );
  });

  test('DateTimeFormatter patterns, e.g. "yyyy-MM-dd\'T\'HH:mm:ssXXX" and text fields (en)', () => {
    const d = '2025-12-02T10:30:05Z';
    expect(r("{{ d | date(\"yyyy-MM-dd'T'HH:mm:ssXXX\") }}", { d })).toBe('2025-12-02T10:30:05Z');
    expect(r("{{ d | date(\"yyyy-MM-dd'T'HH:mm:ssXXX\", timeZone='America/New_York') }}", { d })).toBe('2025-12-02T05:30:05-05:00');
    expect(r("{{ d | date('EEE, d MMM yyyy hh:mm a') }} {{ d | date('EEEE dd MMMM yy, HH:mm:ss.SSS Z') }}", { d })).toBe(
      'Tue, 2 Dec 2025 10:30 AM Tuesday 02 December 25, 10:30:05.000 +0000',
    );
  });

  test('named formats from AbstractDate.FORMATTERS', () => {
    const d = '2025-12-02T10:30:05.120Z';
    // AbstractDate.FORMATTERS of Kestra 1.3.x: iso_milli, sql_milli, sql_sec (no sql_seq any more)
    expect(r("{{ d | date('sql') }}|{{ d | date('sql_sec') }}|{{ d | date('sql_milli') }}|{{ d | date('iso_milli') }}|{{ d | date('iso_local_date') }}", { d })).toBe(
      '2025-12-02 10:30:05.120000|2025-12-02 10:30:05|2025-12-02 10:30:05.120|2025-12-02T10:30:05.120Z|2025-12-02',
    );
    expect(r("{{ d | date('iso_instant') }}|{{ d | date('iso_offset_time', timeZone='+01:00') }}|{{ d | date('rfc_1123_date_time') }}", { d })).toBe(
      '2025-12-02T10:30:05.120Z|11:30:05.12+01:00|Tue, 2 Dec 2025 10:30:05 GMT',
    );
    // ISO_ZONED_DATE_TIME appends the zone region id in brackets (not for a plain offset)
    expect(r("{{ d | date('iso_zoned_date_time', timeZone='Europe/Paris') }}", { d })).toBe('2025-12-02T11:30:05.12+01:00[Europe/Paris]');
  });

  test('existingFormat with a pattern that has no time gives the start of the day', () => {
    expect(r("{{ '02/12/2025' | date('yyyy-MM-dd HH:mm', existingFormat='dd/MM/yyyy') }}")).toBe('2025-12-02 00:00');
  });

  test('a Long input is epoch seconds (AbstractDate.convert)', () => {
    expect(r("{{ 1700000000 | date('yyyy-MM-dd HH:mm') }}")).toBe('2023-11-14 22:13');
  });

  test('an unparsable date string fails with the java.time message', () => {
    expect(() => r("{{ 'not a date' | date('yyyy') }}")).toThrow("Text 'not a date' could not be parsed at index 0");
  });

  test('an unknown time zone fails', () => {
    expect(() => r("{{ '2025-01-01' | date(timeZone='Mars/Olympus') }}")).toThrow('Unknown time-zone ID: Mars/Olympus');
  });

  test('a JS Date variable prints like java.time.Instant#toString', () => {
    expect(r('{{ d }} {{ e }}', { d: new Date('2025-12-02T10:30:00.120Z'), e: new Date('2025-12-02T10:30:00Z') })).toBe(
      '2025-12-02T10:30:00.120Z 2025-12-02T10:30:00Z',
    );
  });
});

test.describe('dateAdd filter (DateAddFilter: plus(amount, ChronoUnit.valueOf(unit)) then format "iso")', () => {
  test('minus one day in Europe/Paris (DateFilterTest.add)', () => {
    expect(r('{{ zoned | dateAdd(-1,"DAYS",timeZone="Europe/Paris")}}', { zoned: NOW })).toBe('2013-09-07T17:19:12.123456+02:00');
  });

  test('applied to an ISO string the result is an ISO-8601 string with microseconds and XXX offset', () => {
    expect(r("{{ '2025-12-02T09:30:00Z' | dateAdd(1, 'HOURS') }}")).toBe('2025-12-02T10:30:00.000000Z');
    expect(r("{{ '2025-12-02T10:30:00+01:00' | dateAdd(30, 'MINUTES') }}")).toBe('2025-12-02T10:00:00.000000Z');
  });

  test('format / timeZone named arguments apply to the output', () => {
    expect(r("{{ '2025-12-02T09:30:00Z' | dateAdd(2, 'DAYS', format='iso_sec') }}")).toBe('2025-12-04T09:30:00Z');
    expect(r("{{ '2025-12-02T09:30:00Z' | dateAdd(1, 'SECONDS', format=\"yyyy-MM-dd'T'HH:mm:ssXXX\", timeZone='Asia/Kolkata') }}")).toBe(
      '2025-12-02T15:00:01+05:30',
    );
  });

  test('date-based units follow the calendar: end of month clamps, DST keeps local time', () => {
    expect(r("{{ '2025-01-31T00:00:00Z' | dateAdd(1, 'MONTHS') }}")).toBe('2025-02-28T00:00:00.000000Z');
    expect(r("{{ '2025-03-30T00:30:00+01:00[Europe/Paris]' | dateAdd(1, 'DAYS', timeZone='Europe/Paris') }}")).toBe(
      '2025-03-31T00:30:00.000000+02:00',
    );
    // time-based units add an exact duration across the DST change
    expect(r("{{ '2025-03-30T01:30:00+01:00[Europe/Paris]' | dateAdd(1, 'HOURS', timeZone='Europe/Paris') }}")).toBe(
      '2025-03-30T03:30:00.000000+02:00',
    );
  });

  test('the unit must be a ChronoUnit constant name', () => {
    expect(() => r("{{ '2025-12-02' | dateAdd(1, 'HOUR') }}")).toThrow('No enum constant java.time.temporal.ChronoUnit.HOUR');
  });

  // DateAddFilter.getAsLong (1.3.x): Long, Integer, any Number (longValue) or a numeric String
  test('the amount: a number (truncated) or a numeric string; anything else is refused with Kestra\'s message', () => {
    expect(r("{{ '2025-12-02T00:00:00Z' | dateAdd(1.5, 'HOURS') }}|{{ '2025-12-02T00:00:00Z' | dateAdd('-2', 'HOURS') }}")).toBe(
      '2025-12-02T01:00:00.000000Z|2025-12-01T22:00:00.000000Z',
    );
    expect(() => r("{{ '2025-12-02' | dateAdd('1.5', 'HOURS') }}")).toThrow("1.5 can't be converted to long");
    expect(() => r("{{ '2025-12-02' | dateAdd(null, 'HOURS') }}")).toThrow('Incorrect null format, must be a number');
    expect(() => r("{{ '2025-12-02' | dateAdd(true, 'HOURS') }}")).toThrow(PebbleRenderError);
  });

  test('timestamp / comparisons (DateFilterTest.timestamp, timestampCompare)', () => {
    expect(r('{{ zoned | timestamp(timeZone="Europe/Paris") }}', { zoned: NOW })).toBe('1378653552');
    expect(r("{{ (zoned | timestamp) > (zoned | dateAdd(-1, 'DAYS') | timestamp) }}", { zoned: NOW })).toBe('true');
  });
});

test.describe('now() (NowFunction: format(ZonedDateTime.now(), args))', () => {
  const clock = { now: () => new Date('2025-12-02T10:30:00.123Z') };

  test('follows the context clock; default format "iso" with microseconds', () => {
    expect(r('{{ now() }}', {}, clock)).toBe('2025-12-02T10:30:00.123000Z');
  });

  test('timeZone / format arguments', () => {
    expect(r("{{ now(timeZone='Europe/Paris') }}", {}, clock)).toBe('2025-12-02T11:30:00.123000+01:00');
    expect(r('{{ now(format="iso_local_date") }}', {}, clock)).toBe('2025-12-02');
    expect(r("{{ now('yyyy') }}", {}, clock)).toBe('2025');
  });

  test('the server default zone (RenderContext.zone) is ZoneId.systemDefault()', () => {
    expect(r('{{ now() }}', {}, { ...clock, zone: 'Europe/Paris' })).toBe('2025-12-02T11:30:00.123000+01:00');
  });

  test('now() composes with dateAdd and date', () => {
    expect(r("{{ now() | dateAdd(-1, 'DAYS') | date('yyyy-MM-dd') }}", {}, clock)).toBe('2025-12-01');
  });

  test('localized styles are not supported by the stand-in', () => {
    expect(() => r("{{ now(format='short') }}", {}, clock)).toThrow('unsupported localized date format `short`');
  });
});

test.describe('zone names and numeric dates (AbstractDate, Kestra 1.3.x)', () => {
  // DateTimeFormatter `z` prints Java's short zone name (TimeZone display names, English), e.g.
  // DateAddFilterTest.toDateAdd expects "2013-09-09 22:19:00 AWST"; Intl would say "GMT+8".
  test('z / zzzz follow daylight saving with Java\'s names; offsets and UTC print as Java does', () => {
    const winter = '2025-01-15T12:00:00Z';
    const summer = '2025-07-15T12:00:00Z';
    const z = (d: string, zone: string, pattern = 'z'): string => r(`{{ d | date("${pattern}", timeZone="${zone}") }}`, { d });
    expect([z(winter, 'Australia/Perth'), z(winter, 'Australia/Perth', 'zzzz')]).toEqual(['AWST', 'Australian Western Standard Time']);
    expect([z(winter, 'Europe/Paris'), z(summer, 'Europe/Paris')]).toEqual(['CET', 'CEST']);
    expect([z(winter, 'America/New_York'), z(summer, 'America/New_York')]).toEqual(['EST', 'EDT']);
    expect([z(winter, 'Europe/London'), z(summer, 'Europe/London')]).toEqual(['GMT', 'BST']);
    // southern hemisphere: daylight time in January
    expect([z(winter, 'Australia/Sydney'), z(summer, 'Australia/Sydney')]).toEqual(['AEDT', 'AEST']);
    expect([z(winter, 'UTC'), z(winter, '+08:00'), z(winter, 'Asia/Kolkata')]).toEqual(['UTC', '+08:00', 'IST']);
  });

  // Long inputs: 13 digits are epoch millis, 19 digits ending "000" epoch nanos, other 19 digits
  // millis + micros (Kestra's withNano replaces the fraction), anything else epoch seconds.
  test('numeric dates: seconds, milliseconds, nanoseconds by digit count', () => {
    const iso = (n: string): string => r(`{{ ${n} | date("iso", timeZone="UTC") }}`);
    expect(iso('1378653552')).toBe('2013-09-08T15:19:12.000000Z');
    expect(iso('1378653552123')).toBe('2013-09-08T15:19:12.123000Z');
    expect(iso('1378653552123456000')).toBe('2013-09-08T15:19:12.123456Z');
    // 12 digits are seconds (checked against a JDK's java.time, as the other expectations here)
    expect(iso('999999999999')).toBe('+33658-09-27T01:46:39.000000Z');
    // negative millis: the '-' counts as a digit, so -137865355212 (13 chars) is millis
    expect(iso('-137865355212')).toBe('1965-08-19T08:04:04.788000Z');
  });
});
