/**
 * Kestra's own Pebble unit tests, ported as data (no Kestra code): template, variables, and what
 * Kestra's VariableRenderer.render(template, variables) gives — the output, or that it throws.
 *
 * Source: the test classes of io.kestra:core 1.3.17 (core/src/test/java/io/kestra/core/runners/
 * pebble/**), the nearest published release to the pinned image v1.3.16 (no 1.3.16 artifact was
 * published; the pebble sources of 1.3.15 and 1.3.17 differ only in JsonWriter). Templates and
 * expectations are the string constants of those classes (read byte for byte: javap's listing
 * drops trailing spaces), in their assertion order; the source
 * files of kestra-io/kestra at that time read the same. Only features the engine claims
 * (helpers/pebble exportsSupported) are ported.
 *
 * Java values map to the engine's: a ZonedDateTime/Instant/LocalDateTime is its ISO string (what
 * an execution's variables hold), java.util.Date a JS Date, Integer/Long a JS integer.
 *
 * `divergence` marks a case the engine renders differently, with the reason; the spec runs it as
 * test.fixme so it is reported, never counted as passing.
 */

import { JavaDouble } from '../../helpers/kestra-model/pebble/index.js';

export type KestraExpectation =
  /** render() returns exactly this */
  | { output: string }
  /** render() returns a string containing each of these (Kestra's assertThat(...).contains) */
  | { contains: string[] }
  /** render() returns a JSON list holding each of these values (Kestra parses it with Jackson) */
  | { jsonContains: unknown[] }
  /** render() returns an integer within [lower, upper] (RandomIntFunctionTest) */
  | { integerBetween: [number, number] }
  /** render() returns something else than this, of this length when given (hash and id tests) */
  | { notOutput: string; length?: number }
  /** render() throws IllegalVariableEvaluationException (a Pebble error, not a bare Java one) */
  | { throws: true; messageContains?: string };

export interface KestraCase {
  /** Test class (under core/src/test/java/io/kestra/core/runners/pebble/) and method. */
  test: string;
  template: string;
  variables?: Record<string, unknown>;
  expect: KestraExpectation;
  /** The JVM default zone, for cases that give no timeZone; UTC (the stand-in's default) unless set. */
  zone?: string;
  /** The clock now() reads (ISO instant), where Kestra's test compares with ZonedDateTime.now(). */
  now?: string;
  divergence?: string;
}

/** DateFilterTest.NOW = ZonedDateTime.parse("2013-09-08T16:19:12.123456+01") */
const NOW = '2013-09-08T16:19:12.123456+01:00';
/** A fixed clock for the now() cases. */
const CLOCK = '2025-07-01T10:30:05.123Z';

/** DistinctFilterTest / KeysFilterTest / ToJsonFilterTest share this shape of `vars.second`. */
const SECOND = {
  string: 'string',
  int: 1,
  float: 1.123,
  bool: true,
  date: '2013-09-08T16:19:00+02:00',
  map: { string: 'string', int: 1, float: 1.123 },
};

export const KESTRA_CASES: KestraCase[] = [
  // ---- expression/InExpressionTest.java ------------------------------------------------------
  { test: 'expression/InExpressionTest.inList', template: "{{ state isIn ['SUCCESS', 'WARNING'] }}", variables: { state: 'SUCCESS' }, expect: { output: 'true' } },
  { test: 'expression/InExpressionTest.inList', template: "{{ state isIn ['FAILED', 'KILLED'] }}", variables: { state: 'SUCCESS' }, expect: { output: 'false' } },
  { test: 'expression/InExpressionTest.inMap', template: '{{ key isIn map }}', variables: { map: { key: 'value' }, key: 'key', value: 'value' }, expect: { output: 'true' } },
  { test: 'expression/InExpressionTest.inMap', template: '{{ value isIn map }}', variables: { map: { key: 'value' }, key: 'key', value: 'value' }, expect: { output: 'true' } },

  // ---- expression/NullCoalescingExpressionTest.java ------------------------------------------
  ...['{{ inner.bla ?? block.test.child }}', '{{ block.test.child ?? inner.bla }}'].map((template) => ({
    test: 'expression/NullCoalescingExpressionTest.firstDefined',
    template,
    variables: { block: { test: { child: 'awesome' } }, inner: 'test' },
    expect: { output: 'awesome' },
  })),
  ...[
    '{{ block.test.child ?? null }}',
    '{{ block[inner].child ?? null }}',
    '{{ block[missing].child ?? block[inner].child }}',
    '{{ block[missing].child ?? block[missing2].child ?? block[inner].child }}',
    '{{ missing ?? block.test.child }}',
  ].map((template) => ({
    test: 'expression/NullCoalescingExpressionTest.firstDefinedEval',
    template,
    variables: { block: { test: { child: 'awesome' } }, inner: 'test' },
    expect: { output: 'awesome' },
  })),
  { test: 'expression/NullCoalescingExpressionTest.firstDefinedEval', template: '{{ missing ?? missing2 }}', variables: { block: { test: { child: 'awesome' } }, inner: 'test' }, expect: { throws: true } },
  { test: 'expression/NullCoalescingExpressionTest.emptyObject', template: "{{ block ?? 'UNDEFINED' }}", variables: { block: {} }, expect: { output: '{}' } },
  { test: 'expression/NullCoalescingExpressionTest.nullOrUndefined', template: "{{ null ?? 'IS NULL' }}", variables: { null: null }, expect: { output: 'IS NULL' } },
  { test: 'expression/NullCoalescingExpressionTest.nullOrUndefined', template: "{{ undefined ?? 'IS UNDEFINED' }}", variables: { null: null }, expect: { output: 'IS UNDEFINED' } },

  // ---- expression/UndefinedCoalescingExpressionTest.java -------------------------------------
  { test: 'expression/UndefinedCoalescingExpressionTest.nullOrUndefined', template: "{{ null ??? 'IS NULL' }}", variables: { null: null }, expect: { output: '' } },
  { test: 'expression/UndefinedCoalescingExpressionTest.nullOrUndefined', template: "{{ undefined ??? 'IS UNDEFINED' }}", variables: { null: null }, expect: { output: 'IS UNDEFINED' } },

  // ---- filters/DateFilterTest.java -----------------------------------------------------------
  {
    test: 'filters/DateFilterTest.dateFormat',
    template:
      "{{ date | date(format='iso', timeZone='Europe/Paris') }}\n" +
      '{{ instant | date(format="iso_sec", timeZone="Europe/Paris") }}\n' +
      '{{ instant | date(format="iso_milli", timeZone="Europe/Paris") }}\n' +
      '{{ zoned | date(format="iso", timeZone="Europe/Paris") }}\n' +
      '{{ zoned | date(format="iso_milli", timeZone="Europe/Paris") }}\n' +
      '{{ local | date(format="yyyy-MM-dd HH:mm:ss.SSSSSSXXX", timeZone="Europe/Paris") }}\n' +
      '{{ local | date(format="yyyy-MM-dd HH:mm:ss.SSS", timeZone="UTC") }}\n' +
      '{{ local | date(format="sql", timeZone="UTC") }}\n' +
      '{{ local | date(format="sql_sec", timeZone="UTC") }}\n' +
      '{{ local | date(format="sql_milli", timeZone="UTC") }}\n' +
      '{{ local | date(format="yyyy-MM-dd HH:mm:ss.SSSSSSXXX", timeZone="UTC") }}',
    // new Date(NOW.toEpochSecond() * 1000), NOW.toInstant(), NOW, NOW.toLocalDateTime()
    variables: { date: new Date(1378653552000), instant: '2013-09-08T15:19:12.123456Z', zoned: NOW, local: '2013-09-08T16:19:12.123456' },
    expect: {
      output:
        '2013-09-08T17:19:12.000000+02:00\n2013-09-08T17:19:12+02:00\n2013-09-08T17:19:12.123+02:00\n' +
        '2013-09-08T17:19:12.123456+02:00\n2013-09-08T17:19:12.123+02:00\n2013-09-08 16:19:12.123456+02:00\n' +
        '2013-09-08 16:19:12.123\n2013-09-08 16:19:12.123456\n2013-09-08 16:19:12\n2013-09-08 16:19:12.123\n' +
        '2013-09-08 16:19:12.123456Z',
    },
  },
  {
    test: 'filters/DateFilterTest.dateStringFormat',
    template:
      '{{ "July 24, 2001" | date("yyyy-MM-dd", existingFormat="MMMM dd, yyyy") }}\n' +
      '{{ "2013-09-08T17:19:12+02:00" | date(timeZone="Europe/Paris") }}\n' +
      '{{ "2013-09-08T17:19:12" | date(timeZone="Europe/Paris") }}\n' +
      '{{ "2013-09-08" | date(timeZone="Europe/Paris") }}\n' +
      '{{ "08.09.2023" | date("yyyy-MM-dd", existingFormat="dd.MM.yyyy") }}\n' +
      '{{ "08092023" | date("yyyy-MM-dd", existingFormat="ddMMyyyy") }}\n',
    expect: { output: '2001-07-24\n2013-09-08T17:19:12.000000+02:00\n2013-09-08T17:19:12.000000+02:00\n2013-09-08T00:00:00.000000+02:00\n2023-09-08\n2023-09-08\n' },
  },
  { test: 'filters/DateFilterTest.timestamp', template: '{{ zoned | timestamp(timeZone="Europe/Paris") }}', variables: { zoned: NOW }, expect: { output: '1378653552' } },
  { test: 'filters/DateFilterTest.timestampCompare', template: "{{ (zoned | timestamp) > (zoned | dateAdd(-1, 'DAYS') | timestamp) }}", variables: { zoned: NOW }, expect: { output: 'true' } },
  {
    test: 'filters/DateFilterTest.dateRfc',
    template: "{{ 'Tue, 08 Feb 2022 19:38:26 GMT' | date(existingFormat='rfc_1123_date_time', timeZone=\"Europe/Paris\") }}",
    variables: { zoned: NOW },
    expect: { output: '2022-02-08T20:38:26.000000+01:00' },
  },
  { test: 'filters/DateFilterTest.add', template: '{{ zoned | dateAdd(-1,"DAYS",timeZone="Europe/Paris")}}', variables: { zoned: NOW }, expect: { output: '2013-09-07T17:19:12.123456+02:00' } },
  // now(): Kestra compares with ZonedDateTime.now(); here the clock is fixed at CLOCK (UTC server)
  { test: 'filters/DateFilterTest.now', template: '{{ now() }}', now: CLOCK, expect: { contains: ['2025-07-01'] } },
  { test: 'filters/DateFilterTest.now', template: '{{ now(timeZone="Europe/Lisbon") }}', now: CLOCK, expect: { contains: ['2025-07-01', '11:30'] } },
  { test: 'filters/DateFilterTest.now', template: '{{ now(format="iso_local_date") }}', now: CLOCK, expect: { output: '2025-07-01' } },
  // startsWith(LocalDateTime.now() as "yyyy-MM-dd HH:mm:ss") and hasSize(23)
  { test: 'filters/DateFilterTest.now', template: '{{ now(format="sql_milli") }}', now: CLOCK, expect: { output: '2025-07-01 10:30:05.123' } },
  // timestampDateFormat, split line by line so each detection rule is its own case
  ...(
    [
      ['{{ 1378653552 | date(format="iso_sec", timeZone="Europe/Paris") }}', '2013-09-08T17:19:12+02:00'],
      ['{{ 1378653552123 | date(format="iso_milli", timeZone="Europe/Paris") }}', '2013-09-08T17:19:12.123+02:00'],
      ['{{ 1378653552123 | date(timeZone="Europe/Paris") }}', '2013-09-08T17:19:12.123000+02:00'],
      ['{{ 1378653552123 | date(format="iso_zoned_date_time", timeZone="Europe/Paris") }}', '2013-09-08T17:19:12.123+02:00[Europe/Paris]'],
      ['{{ 1378653552123456000 | date(format="iso", timeZone="Europe/Paris") }}', '2013-09-08T17:19:12.123456+02:00'],
      ['{{ 1378653552000123456 | date(format="iso", timeZone="Europe/Paris") }}', '2013-09-08T17:19:12.123456+02:00', true],
      ['{{ 1378653552 | date(format="sql_sec", timeZone="Europe/Paris") }}', '2013-09-08 17:19:12'],
      ['{{ 1378653552123 | date(format="sql_milli", timeZone="Europe/Paris") }}', '2013-09-08 17:19:12.123'],
      ['{{ 1378653552123456000 | date(format="sql", timeZone="Europe/Paris") }}', '2013-09-08 17:19:12.123456'],
      ['{{ 1378653552000123456 | date(format="sql", timeZone="Europe/Paris") }}', '2013-09-08 17:19:12.123456', true],
      ['{{ 1378653552123 | date(format="sql_milli", timeZone="UTC") }}', '2013-09-08 15:19:12.123'],
      ['{{ "1378653552123" | number | date(format="sql_milli", timeZone="UTC") }}', '2013-09-08 15:19:12.123'],
    ] as [string, string, boolean?][]
  ).map(([template, output, lossy]) => ({
    test: 'filters/DateFilterTest.timestampDateFormat',
    template,
    expect: { output },
    ...(lossy
      ? { divergence: 'a 19-digit Long past 2^53 is not exact as a JS number (1378653552000123456 reads as ...123392), so the micros differ' }
      : {}),
  })),

  // ---- filters/DateAddFilterTest.java --------------------------------------------------------
  {
    test: 'filters/DateAddFilterTest.toDateAdd',
    template: '{{ "2013-09-08T16:19:00+02" | dateAdd(day, "DAYS") | date("yyyy-MM-dd HH:mm:ss z", timeZone=render(timezone)) }}',
    variables: { day: 1, timezone: 'Australia/Perth' },
    expect: { output: '2013-09-09 22:19:00 AWST' },
  },
  {
    test: 'filters/DateAddFilterTest.should_fail_with_invalid_day',
    template: '{{ "2013-09-08T16:19:00+02" | dateAdd(day, "DAYS") | date("yyyy-MM-dd HH:mm:ss z", timeZone=render(timezone)) }}',
    variables: { day: 'invalid', timezone: 'Australia/Perth' },
    expect: { throws: true },
  },
  {
    test: 'filters/DateAddFilterTest.should_return_null_for_null_input',
    template: '{{ null | dateAdd(day, "DAYS") | date("yyyy-MM-dd HH:mm:ss z", timeZone=render(timezone)) }}',
    variables: { day: 1, timezone: 'Australia/Perth' },
    expect: { output: '' },
  },

  // should_get_as_long / should_get_not_get_as_long call DateAddFilter.getAsLong directly; ported
  // through a template (an AtomicInteger, "another Number", becomes a Double here)
  ...([1, new JavaDouble(1), '1'] as unknown[]).map((day) => ({
    test: 'filters/DateAddFilterTest.should_get_as_long',
    template: '{{ "2013-09-08T16:19:00+02" | dateAdd(day, "DAYS") | date("yyyy-MM-dd HH:mm") }}',
    variables: { day },
    expect: { output: '2013-09-09 14:19' },
  })),
  ...(
    [
      [null, 'Incorrect null format, must be a number'],
      ['invalidString', "invalidString can't be converted to long"],
    ] as const
  ).map(([day, message]) => ({
    test: 'filters/DateAddFilterTest.should_get_not_get_as_long',
    template: '{{ "2013-09-08T16:19:00+02" | dateAdd(day, "DAYS") }}',
    variables: { day },
    expect: { throws: true as const, messageContains: message },
  })),

  // ---- filters/DistinctFilterTest.java -------------------------------------------------------
  {
    test: 'filters/DistinctFilterTest.toDistinctFilter',
    template: '{{ vars.second.list }}',
    variables: { vars: { second: { ...SECOND, list: ['one', 'two', 'one', 'three', 'four', 'five', 'three', 1, 2, 3, 1, 2, 2, 1.123, 2.123, 1.123, 10.0, 10.0] } } },
    expect: { contains: ['one', 'two', 'three', '1', '1.123'] },
  },
  {
    test: 'filters/DistinctFilterTest.toDistinctFilter',
    template: '{{ vars.second.list | distinct }}',
    // 10.000F is a Float: JSON prints it 10.0 (a JS 10 would be a Long)
    variables: { vars: { second: { ...SECOND, list: ['one', 'two', 'one', 'three', 'four', 'five', 'three', 1, 2, 3, 1, 2, 2, 1.123, 2.123, 1.123, new JavaDouble(10), new JavaDouble(10)] } } },
    expect: { output: '["one","two","three","four","five",1,2,3,1.123,2.123,10.0]' },
  },
  { test: 'filters/DistinctFilterTest.toDistinctFilter', template: '{{ [] | distinct }}', expect: { output: '[]' } },
  { test: 'filters/DistinctFilterTest.toDistinctFilter', template: '{{ null | distinct }}', expect: { output: 'null' } },
  { test: 'filters/DistinctFilterTest.distinctFilterWithInvalidInput', template: '{{ "string" | distinct }}', expect: { throws: true, messageContains: 'Input must be a list, but received : java.lang.String' } },
  { test: 'filters/DistinctFilterTest.distinctFilterWithNonListObject', template: '{{ {key : "value"} | distinct }}', expect: { throws: true } },

  // ---- filters/StartsWithFilterTest.java, filters/EndsWithFilterTest.java --------------------
  { test: 'filters/StartsWithFilterTest.out', template: '{{ "Hello World" | startsWith("Hello") }}', expect: { output: 'true' } },
  { test: 'filters/EndsWithFilterTest.out', template: '{{ "Hello World" | endsWith("World") }}', expect: { output: 'true' } },

  // ---- filters/ChunkFilterTest.java ----------------------------------------------------------
  { test: 'filters/ChunkFilterTest.out', template: '{{ list | chunk(2) }}', variables: { list: [1, 2, 3, 4, 5, 6, 7, 8, 9] }, expect: { output: '[[1,2],[3,4],[5,6],[7,8],[9]]' } },
  { test: 'filters/ChunkFilterTest.exception', template: '{{ test | chunk(2) }}', variables: { test: 1 }, expect: { throws: true } },
  { test: 'filters/ChunkFilterTest.chunkWithIntegerVariable', template: '{{ list | chunk(max_items) }}', variables: { max_items: 2, list: [1, 2, 3, 4, 5] }, expect: { output: '[[1,2],[3,4],[5]]' } },

  // ---- filters/FlattenFilterTest.java --------------------------------------------------------
  {
    test: 'filters/FlattenFilterTest.flatten',
    template: '{{ nestedList | flatten | first }}',
    variables: {
      nestedList: [
        ["You're doing great! Keep it up!", 'Sending positive vibes your way!', "You're awesome!", 'Keep shining!'],
        ['Believe in yourself!', "You're making a difference!", "You've got this!"],
        ["You're capable of amazing things!", 'Stay positive and keep going!', "You're doing fantastic!"],
      ],
    },
    expect: { output: "You're doing great! Keep it up!" },
  },

  // ---- filters/KeysFilterTest.java, filters/ValuesFilterTest.java ----------------------------
  { test: 'filters/KeysFilterTest.map', template: '{{ vars.second.list | keys }}', variables: { vars: { second: { ...SECOND, list: ['string', 1, 1.123] } } }, expect: { output: '[0,1,2]' } },
  { test: 'filters/KeysFilterTest.map', template: '{{ vars.second | keys }}', variables: { vars: { second: { ...SECOND, list: ['string', 1, 1.123] } } }, expect: { contains: ['"string"', '"map"'] } },
  { test: 'filters/ValuesFilterTest.map', template: '{{ vars.second.map | values }}', variables: { vars: { second: SECOND } }, expect: { jsonContains: ['string', 1.123] } },
  { test: 'filters/ValuesFilterTest.map', template: '{{ vars.second | values }}', variables: { vars: { second: SECOND } }, expect: { jsonContains: ['string', true] } },

  // ---- filters/SubstringFilterTest.java ------------------------------------------------------
  { test: 'filters/SubstringFilterTest.substringBefore', template: "{{ 'a.b.c' | substringBefore('.') }}", expect: { output: 'a' } },
  { test: 'filters/SubstringFilterTest.substringAfter', template: "{{ 'a.b.c' | substringAfter(separator='.') }}", expect: { output: 'b.c' } },
  { test: 'filters/SubstringFilterTest.substringBeforeLast', template: "{{ 'a.b.c' | substringBeforeLast(separator='.') }}", expect: { output: 'a.b' } },
  { test: 'filters/SubstringFilterTest.substringBeforeLast', template: "{{ 'a.b.c' | substringBeforeLast('.') }}", expect: { output: 'a.b' } },
  { test: 'filters/SubstringFilterTest.substringAfterLast', template: "{{ 'a.b.c' | substringAfterLast('.') }}", expect: { output: 'c' } },

  // ---- filters/SlugifyFilterTest.java, filters/ReplaceFilterTest.java, filters/UrlDecodeFilter.java
  { test: 'filters/SlugifyFilterTest.out', template: '{{ "Test\t\t\ntest*" | slugify }}', expect: { output: 'test-test' } },
  { test: 'filters/ReplaceFilterTest.string', template: "{{ 'john doe is john doe' | replace({'john': 'jane'}) }}", expect: { output: 'jane doe is jane doe' } },
  { test: 'filters/ReplaceFilterTest.regexp', template: "{{ 'aa1bb2cc3dd4ee5' | replace({'(\\d)': '-$1-'}, regexp=true) }}", expect: { output: 'aa-1-bb-2-cc-3-dd-4-ee-5-' } },
  { test: 'filters/UrlDecodeFilter.urldecode', template: "{{ 'Kestra rulez !' | urlencode | urldecode }}", expect: { output: 'Kestra rulez !' } },

  // ---- filters/EscapeCharFilterTest.java (parameterized provideValidTypes) -------------------
  { test: 'filters/EscapeCharFilterTest[single]', template: "{{ \"L'eau c'est la vie\" | escapeChar('single') }}", expect: { output: "L\\'eau c\\'est la vie" } },
  { test: 'filters/EscapeCharFilterTest[double]', template: "{{ '\"Hello\"' | escapeChar('double') }}", expect: { output: '\\"Hello\\"' } },
  { test: 'filters/EscapeCharFilterTest[shell]', template: "{{ \"L'eau c'est la vie\" | escapeChar('shell') }}", expect: { output: "L'\\''eau c'\\''est la vie" } },
  { test: 'filters/EscapeCharFilterTest[single, empty]', template: "{{ '' | escapeChar('single') }}", expect: { output: '' } },
  { test: 'filters/EscapeCharFilterTest[double, empty]', template: "{{ '' | escapeChar('double') }}", expect: { output: '' } },
  { test: 'filters/EscapeCharFilterTest[shell, empty]', template: "{{ '' | escapeChar('shell') }}", expect: { output: '' } },

  // ---- filters/IndentFilterTest.java, filters/NindentFilterTest.java -------------------------
  ...(
    [
      ['indent', 'Null', '{{ null | indent(2) }}', ''],
      ['indent', 'Empty', "{{ '' | indent(2) }}", ''],
      ['indent', 'EmptyLines', '{{ "\n\n" | indent(2) }}', '\n  \n  '],
      ['indent', 'String', "{{ 'string' | indent(2) }}", 'string'],
      ['indent', 'Integer', '{{ 1 | indent(2) }}', '1'],
      ['indent', 'StringWithCRLF', '{{ "first line\r\nsecond line" | indent(2) }}', 'first line\r\n  second line'],
      ['indent', 'StringWithLF', '{{ "first line\nsecond line" | indent(2) }}', 'first line\n  second line'],
      ['indent', 'StringWithCR', '{{ "first line\rsecond line" | indent(2) }}', 'first line\r  second line'],
      ['indent', 'WithTab', '{{ "first line\nsecond line" | indent(2, "\t") }}', 'first line\n\t\tsecond line'],
      ['nindent', 'Null', '{{ null | nindent(2) }}', ''],
      ['nindent', 'Empty', "{{ '' | nindent(2) }}", ''],
      ['nindent', 'EmptyLines', '{{ "\n\n" | nindent(2) }}', '\n  \n  \n  '],
      ['nindent', 'String', "{{ 'string' | nindent(2) }}", '\n  string'],
      ['nindent', 'Integer', '{{ 1 | nindent(2) }}', '\n  1'],
      ['nindent', 'StringWithCRLF', '{{ "first line\r\nsecond line" | nindent(2) }}', '\r\n  first line\r\n  second line'],
      ['nindent', 'StringWithLF', '{{ "first line\nsecond line" | nindent(2) }}', '\n  first line\n  second line'],
      ['nindent', 'StringWithCR', '{{ "first line\rsecond line" | nindent(2) }}', '\r  first line\r  second line'],
      ['nindent', 'WithTab', '{{ "first line\nsecond line" | nindent(2, "\t") }}', '\n\t\tfirst line\n\t\tsecond line'],
    ] as const
  ).map(([filter, name, template, output]) => ({
    test: `filters/${filter === 'indent' ? 'Indent' : 'Nindent'}FilterTest.${filter}${name}`,
    template,
    expect: { output },
  })),

  // ---- filters/ToJsonFilterTest.java ---------------------------------------------------------
  ...(
    [
      ['{{ vars.second.string | toJson }}', '"string"'],
      ['{{ vars.second.int | toJson }}', '1'],
      ['{{ vars.second.float | toJson }}', '1.123'],
      ['{{ vars.second.list | toJson }}', '["string",1,1.123]'],
      ['{{ vars.second.bool | toJson }}', 'true'],
    ] as const
  ).map(([template, output]) => ({
    test: 'filters/ToJsonFilterTest.toJsonFilter',
    template,
    variables: { vars: { second: { ...SECOND, list: ['string', 1, 1.123] } } },
    expect: { output },
  })),
  {
    test: 'filters/ToJsonFilterTest.toJsonFilter',
    template: '{{ vars.second.map | toJson }}',
    variables: { vars: { second: SECOND } },
    expect: { contains: ['"int":1', '"float":1.123', '"string":"string"', '{', '}'] },
  },
  { test: 'filters/ToJsonFilterTest.toJsonFilter', template: '{{ {"empty_object":{}} | toJson }}', expect: { output: '{"empty_object":{}}' } },
  { test: 'filters/ToJsonFilterTest.toJsonFilter', template: '{{ null | toJson }}', expect: { output: 'null' } },
  { test: 'filters/ToJsonFilterTest.jsonFilter', template: '{{ vars.second.string | json }}', variables: { vars: { second: { string: 'string' } } }, expect: { output: '"string"' } },
  { test: 'filters/ToJsonFilterTest.exception', template: '{{ {not: json} | toJson }}', expect: { throws: true } },
  { test: 'filters/ToJsonFilterTest.exception', template: '{{ | toJson }}', expect: { throws: true } },

  // ---- functions/FromJsonFunctionTest.java ---------------------------------------------------
  { test: 'functions/FromJsonFunctionTest.fronJsonFunction', template: "{{ fromJson('{\"test1\": 1, \"test2\": 2, \"test3\": 3}').test1 }}", expect: { output: '1' } },
  { test: 'functions/FromJsonFunctionTest.fronJsonFunction', template: "{{ fromJson('{\"test1\": [{\"test1\": 666}, 2, 3], \"test2\": 2, \"test3\": 3}').test1[0].test1 }}", expect: { output: '666' } },
  { test: 'functions/FromJsonFunctionTest.fronJsonFunction', template: "{{ fromJson('[1, 2, 3]')[0] }}", expect: { output: '1' } },
  { test: 'functions/FromJsonFunctionTest.fronJsonFunction', template: "{{ fromJson('{\"empty_object\":{}}') }}", expect: { output: '{"empty_object":{}}' } },
  { test: 'functions/FromJsonFunctionTest.jsonFunction', template: "{{ json('{\"test1\": 1, \"test2\": 2, \"test3\": 3}').test1 }}", expect: { output: '1' } },
  { test: 'functions/FromJsonFunctionTest.exception', template: "{{ fromJson('{not: json}') }}", expect: { throws: true } },
  { test: 'functions/FromJsonFunctionTest.exception', template: '{{ fromJson() }}', expect: { throws: true } },

  // ---- functions/RenderFunctionTest.java, functions/RenderOncerFunctionTest.java -------------
  { test: 'functions/RenderFunctionTest.shouldRenderForString', template: '{{ render(input) }}', variables: { input: 'test' }, expect: { output: 'test' } },
  { test: 'functions/RenderFunctionTest.shouldRenderForInteger', template: '{{ render(input) }}', variables: { input: 42 }, expect: { output: '42' } },
  { test: 'functions/RenderFunctionTest.shouldRenderForBoolean', template: '{{ render(input) }}', variables: { input: true }, expect: { output: 'true' } },
  { test: 'functions/RenderFunctionTest.shouldRenderForNull', template: '{{ render(input) }}', variables: { input: null }, expect: { output: '' } },
  { test: 'functions/RenderOncerFunctionTest.noRenderNeeded', template: '{{ renderOnce(input) }}', variables: { input: 'test' }, expect: { output: 'test' } },
  { test: 'functions/RenderOncerFunctionTest.oneLayerRender', template: '{{ renderOnce(input) }}', variables: { input: '{{someOtherVar}}', someOtherVar: 'test' }, expect: { output: 'test' } },
  {
    test: 'functions/RenderOncerFunctionTest.twoLayerRender',
    template: '{{ renderOnce(input) }}',
    variables: { input: '{{someOtherVar}}', someOtherVar: '{{yetAnotherVar}}', yetAnotherVar: 'test' },
    expect: { output: '{{yetAnotherVar}}' },
  },
  // ---- PebbleVariableRendererTest.java -------------------------------------------------------
  // out(): VariableRenderer.render(Map, vars) renders each value on its own; ported one by one.
  // (`{{ date }}` prints a ZonedDateTime's toString(): a Java object, not ported.)
  ...(
    [
      ['{{ string }}', 'string'],
      ['{{ int }}', '1'],
      ['{{ float }}', '1.123'],
      ['{{ list }}', '["string",1,1.123]'],
      ['{{ bool }}', 'true'],
      // the map API gives null for an empty output; render(String) gives "" (VariableRenderer.render)
      ['{{ list[3] is defined ? bla : null }}', ''],
      ['{{ "apple" ~ "pear" ~ "banana" }}', 'applepearbanana'],
    ] as const
  ).map(([template, output]) => ({
    test: 'PebbleVariableRendererTest.out',
    template,
    variables: { ...SECOND, list: ['string', 1, 1.123] },
    expect: { output },
  })),
  { test: 'PebbleVariableRendererTest.out', template: '{{ map }}', variables: SECOND, expect: { contains: ['"int":1', '"float":1.123', '"string":"string"', '{', '}'] } },
  { test: 'PebbleVariableRendererTest.out', template: 'escape {{ map }}', variables: SECOND, expect: { contains: ['escape {'] } },
  { test: 'PebbleVariableRendererTest.autoJson', template: '{{ map }}', variables: { map: { a: '1', b: '2' } }, expect: { contains: ['"a":"1"', '"b":"2"'] } },
  { test: 'PebbleVariableRendererTest.autoJson', template: '{{ collection }}', variables: { collection: ['1', '2', '3'] }, expect: { output: '["1","2","3"]' } },
  { test: 'PebbleVariableRendererTest.autoJson', template: '{{ inta }}', variables: { inta: [1, 2, 3] }, expect: { output: '[1,2,3]' } },
  { test: 'PebbleVariableRendererTest.numberFormat', template: '{{ var | numberFormat("#.##") }}', variables: { var: 1.232654 }, expect: { contains: ['1.23'] } },
  ...(
    [
      ['{{ third }}', '{{second}}'],
      ['{{ render(third, recursive=false) }}', '{{first}}'],
      ['{{ render(third) }}', '1'],
      ['{{ render(fourth) }}', '1'],
      ['{{ map }}', '{"third":"{{third}}"}'],
      ['{{ render(map, recursive=false) }}', '{"third":"{{second}}"}'],
      ['{{ render(map) }}', '{"third":"1"}'],
      ['{{ list }}', '["{{third}}"]'],
      ['{{ render(list, recursive=false) }}', '["{{second}}"]'],
      ['{{ render(list) }}', '["1"]'],
      ['{{ set }}', '["{{third}}"]'],
      ['{{ render(set, recursive=false) }}', '["{{second}}"]'],
      ['{{ render(set) }}', '["1"]'],
    ] as const
  ).map(([template, output]) => ({
    test: 'PebbleVariableRendererTest.recursive',
    template,
    variables: {
      first: '1',
      second: '{{first}}',
      third: '{{second}}',
      fourth: '{{render(third, recursive=false)}}',
      map: { third: '{{third}}' },
      list: ['{{third}}'],
      set: ['{{third}}'],
    },
    expect: { output },
  })),
  {
    test: 'PebbleVariableRendererTest.recursiveRenderingAmountLimit',
    template: '{{ render(first) }}',
    variables: { first: '{{second}}', second: '{{first}}' },
    expect: { throws: true, messageContains: 'Too many rendering attempts' },
  },
  ...(
    [
      ['See some code {% raw %}{{ var }}{% endraw %}', 'See some code {{ var }}'],
      ['See some code {%raw%}{{ var }}{%endraw%}', 'See some code {{ var }}'],
      ['See some code {%-  raw%}{{ var }}{%endraw -%}', 'See some code {{ var }}'],
      [
        'See some code {% raw %}{{ var }}{% endraw %} and some other code {% raw %}{{ var2 }}{% endraw %}',
        'See some code {{ var }} and some other code {{ var2 }}',
      ],
    ] as const
  ).map(([template, output]) => ({ test: 'PebbleVariableRendererTest.raw', template, variables: { var: '1' }, expect: { output } })),
  ...(
    [
      ['eval', '{{ block[inner].child }}'],
      ['firstDefined', '{{ inner.bla is not defined ? block.test.child : null }}'],
      ['firstDefined', '{{ block.test.child is defined ? block.test.child : inner.bla }}'],
      ['firstDefinedEval', '{{ block.test.child is defined ? block.test.child : null }}'],
      ['firstDefinedEval', '{{ block[inner].child is defined ? block[inner].child : null }}'],
      ['firstDefinedEval', '{{ block[missing].child is defined ? null : block[inner].child }}'],
      ['firstDefinedEval', '{{ block[missing].child is not defined ? (block[missing2].child is not defined ? block[inner].child : null) : null }}'],
      ['firstDefinedEval', '{{ missing is defined ? null : block.test.child }}'],
      ['get', "{{ block['test']['child'] }}"],
      ['get', "{{ block[inner]['child'] }}"],
    ] as const
  ).map(([method, template]) => ({
    test: `PebbleVariableRendererTest.${method}`,
    template,
    variables: { block: { test: { child: 'awesome' } }, inner: 'test' },
    expect: { output: 'awesome' },
  })),
  { test: 'PebbleVariableRendererTest.get', template: "{{ block['test'] }}", variables: { block: { test: { child: 'awesome' } }, inner: 'test' }, expect: { output: '{"child":"awesome"}' } },
  ...['{{ missing is defined ? missing : missing2 }}', '{{ get missing }}'].map((template) => ({
    test: 'PebbleVariableRendererTest.firstDefined/get (assertThrows)',
    template,
    variables: { block: { test: { child: 'awesome' } }, inner: 'test' },
    expect: { throws: true as const },
  })),

  // ---- functions/RandomIntFunctionTest.java --------------------------------------------------
  { test: 'functions/RandomIntFunctionTest.testGenerateNumberPositive', template: '{{ randomInt(lower, upper) }}', variables: { lower: 1, upper: 10 }, expect: { integerBetween: [1, 10] } },
  { test: 'functions/RandomIntFunctionTest.testGenerateNumberNegative', template: '{{ randomInt(lower, upper) }}', variables: { lower: -10, upper: -1 }, expect: { integerBetween: [-10, -1] } },
  { test: 'functions/RandomIntFunctionTest.testGenerateNumberSame', template: '{{ randomInt(lower, upper) }}', variables: { lower: 10, upper: 10 }, expect: { integerBetween: [10, 10] } },
  { test: 'functions/RandomIntFunctionTest.testGenerateNumberUpperLessThanLower', template: '{{ randomInt(lower, upper) }}', variables: { lower: 10, upper: 1 }, expect: { throws: true, messageContains: "In 'randomIn()' upper is less than lower" } },
  { test: 'functions/RandomIntFunctionTest.testGenerateNumberPositiveString', template: '{{ randomInt(lower, upper) }}', variables: { lower: '1', upper: '10' }, expect: { throws: true, messageContains: "The 'randomIn()' function expects an argument lower of type Long." } },
  { test: 'functions/RandomIntFunctionTest.missingParameter', template: '{{randomInt(lower)}}', variables: { lower: 10 }, expect: { throws: true, messageContains: "The 'randomIn()' function expects an argument upper" } },
  { test: 'functions/RandomIntFunctionTest.missingParameter', template: '{{randomInt(upper)}}', variables: { upper: 1 }, expect: { throws: true } },
  { test: 'functions/RandomIntFunctionTest.missingParameter', template: '{{randomInt()}}', expect: { throws: true, messageContains: "The 'randomIn()' function expects an argument lower" } },
  // ---- filters/Md5FilterTest.java, Sha1FilterTest.java, Sha512FilterTest.java: Kestra only
  // asserts that the digest is not the input; functions/IDFunctionTest, UUIDFunctionTest: not
  // empty (a UUID of 36 characters)
  ...['md5', 'sha1', 'sha512'].map((f) => ({ test: `filters/${f[0]!.toUpperCase()}${f.slice(1)}FilterTest.out`, template: `{{ "hello" | ${f} }}`, expect: { notOutput: 'hello' } })),
  { test: 'functions/IDFunctionTest.checkIdIsNotEmpty', template: '{{ id() }}', expect: { notOutput: '' } },
  { test: 'functions/UUIDFunctionTest.checkUuidIsNotEmpty', template: '{{ uuid() }}', expect: { notOutput: '', length: 36 } },
];
