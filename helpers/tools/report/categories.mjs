/**
 * Allure 3 categories for the harness (loaded by allurerc.mjs, unit-tested in
 * tests/unit/report-categories.spec.ts against the real error messages of helpers/clients/kestra/errors.ts,
 * the container target and Playwright).
 *
 * Plain JavaScript on purpose: `npx allure generate` loads allurerc.mjs with plain Node, no tsx.
 *
 * Allure gives each test result ONE category: the first rule that matches, in this order. So
 * infrastructure trouble is recognised first, then flakiness (from the history file of the report
 * environment), and only what is left is a product defect (an assertion failed) or a harness error.
 * Allure appends its own "Product errors" (failed) / "Test errors" (broken) rules after these; they
 * only catch what falls through.
 *
 * Messages look like `<ErrorName>: <message>` (allure-playwright), e.g.
 *   KestraHttpError: POST https://…/webhook/christmas.handlers/signup-handler/*** → HTTP 503: … (after 3 attempts)
 *   KestraTimeoutError: execution 4Xa… did not reach a terminal state within 60000ms (last state: RUNNING, 7 polls)
 *   Error: webhook HTTP status\n\nexpect(received).toBe(expected) …
 */

/** Test statuses that count as trouble (allure-playwright: `timedOut` → broken, any other error → failed). */
const BAD = ['failed', 'broken'];

/**
 * Rate limiting: our clients' `→ HTTP 429`, Notion's `rate_limited` ("You have been rate limited"),
 * Docker Hub's `toomanyrequests` (container target pulls), a 429 in an HTTP-status assertion.
 */
export const RATE_LIMITED_PATTERN =
  String.raw`→ HTTP 429\b|\bHTTP 429\b|Too Many Requests|toomanyrequests|\brate[_ -]?limit(?:ed)?\b|HTTP status[\s\S]*?Received:\s+429\b`;

/**
 * A 5xx answer: our clients' `→ HTTP 5xx` (Kestra, Resend read-back), generic `HTTP 5xx` / `status: 5xx`
 * (Notion SDK's UnknownHTTPResponseError), Notion's own 500/503 messages, a 5xx in an HTTP-status
 * assertion, gateway pages.
 */
export const HTTP_5XX_PATTERN =
  String.raw`→ HTTP 5\d\d\b|\bHTTP 5\d\d\b|\bstatus(?: code)?:? 5\d\d\b|HTTP status[\s\S]*?Received:\s+5\d\d\b|\b50[234] (?:Bad Gateway|Service Unavailable|Gateway Timeout)\b|APIResponseError: Unexpected error occurred|Notion is unavailable`;

/**
 * Something ran out of time: KestraTimeoutError (waitForTerminal / waitForChildren), the client's
 * REQUEST_TIMEOUT network code, undici and socket timeouts, Notion's RequestTimeoutError,
 * Playwright's test and action timeouts (an
 * expect() that waited in vain stays an assertion failure), the funnel's "did not become visible within N ms".
 */
export const TIMEOUT_PATTERN = String.raw`KestraTimeoutError|\bREQUEST_TIMEOUT\b|\bETIMEDOUT\b|\bUND_ERR_\w*TIMEOUT\b|RequestTimeoutError|has timed out|Test timeout of \d+ms exceeded|Timeout \d+ms exceeded|did not (?:reach|become)\b[^\n]*\bwithin \d+ ?ms|within \d+ms, found \d+`;

/** The target could not be reached or started (errors), or was skipped because this machine cannot run it. */
export const UNAVAILABLE_PATTERN = String.raw`ContainerStackUnavailableError|ContainerStackBootError|\bECONNREFUSED\b|\bENOTFOUND\b|\bEAI_AGAIN\b|\bECONNRESET\b|\bEHOSTUNREACH\b|\bUND_ERR_SOCKET\b|\bUNREACHABLE\b`;
export const UNAVAILABLE_SKIP_PATTERN = String.raw`target skipped|target needs|target unavailable|not available on this machine|not built yet|Chromium|chromium|Docker|docker`;

/** A skip because the target lacks a capability (faults, virtual clock, outbox): expected, not trouble. */
export const NOT_APPLICABLE_SKIP_PATTERN = String.raw`target cannot|not applicable|only on the \w+ target`;

/** An assertion failed: Playwright's expect (`expect(received)…`, `Expected:`/`Received:`), node:assert. */
export const ASSERTION_PATTERN = String.raw`expect\(|\bExpected[: ]|\bReceived[: ]|AssertionError|toPass\b`;

/** @type {import('./categories.d.mts').CategoryRule[]} */
export const REPORT_CATEGORIES = [
  {
    id: 'infra-429',
    name: 'Infrastructure: rate limited (429)',
    matchers: { statuses: BAD, message: RATE_LIMITED_PATTERN },
    groupByMessage: true,
  },
  {
    id: 'infra-5xx',
    name: 'Infrastructure: HTTP 5xx',
    matchers: { statuses: BAD, message: HTTP_5XX_PATTERN },
    groupByMessage: true,
  },
  {
    id: 'infra-timeout',
    name: 'Infrastructure: timeout',
    matchers: { statuses: BAD, message: TIMEOUT_PATTERN },
    groupByMessage: true,
  },
  {
    id: 'infra-unavailable',
    name: 'Infrastructure: target unavailable',
    matchers: [
      { statuses: BAD, message: UNAVAILABLE_PATTERN },
      { statuses: ['skipped'], message: UNAVAILABLE_SKIP_PATTERN },
    ],
    groupByMessage: true,
  },
  {
    id: 'flaky',
    name: 'Flaky tests',
    matchers: { statuses: BAD, flaky: true },
    groupByMessage: false,
  },
  {
    id: 'product-defect',
    name: 'Product defect',
    matchers: { statuses: ['failed'], message: ASSERTION_PATTERN },
    groupByMessage: true,
  },
  {
    id: 'harness-error',
    name: 'Harness error (test code, configuration)',
    matchers: { statuses: BAD },
    groupByMessage: true,
  },
  {
    id: 'skipped-not-applicable',
    name: 'Skipped: not applicable on this target',
    matchers: { statuses: ['skipped'], message: NOT_APPLICABLE_SKIP_PATTERN },
    groupByMessage: true,
    hide: false,
  },
];
