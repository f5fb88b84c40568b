/**
 * The report's categories (helpers/tools/report/categories.mjs, used by allurerc.mjs) sort the messages
 * our code really produces — Kestra client errors raised by the real client against a misbehaving
 * loopback server, container target errors, Playwright's own messages — matched with Allure 3's own
 * matching code, in Allure's order (first matching rule wins).
 */
import { test, expect } from '../support/unit-test.js';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { matchCategory, normalizeCategoriesConfig, type CategoryMatchingData, type TestStatus } from '@allurereport/core-api';
import { REPORT_CATEGORIES } from '../../helpers/tools/report/categories.mjs';
import { realKestraFailures } from '../support/kestra-failures.js';
import { ContainerStackBootError, ContainerStackUnavailableError } from '../../helpers/targets/container/start.js';
import { ConfigError } from '../../helpers/config/env.js';
import { KestraResponseShapeError } from '../../helpers/clients/kestra/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const categories = normalizeCategoriesConfig({ rules: [...REPORT_CATEGORIES] } as Parameters<typeof normalizeCategoriesConfig>[0]);

/** As allure-playwright writes a thrown error: `<name>: <message>`. */
const shown = (error: Error) => `${error.name}: ${error.message}`;

function categoryOf(message: string | undefined, status: TestStatus = 'failed', flaky = false): string | undefined {
  const data: CategoryMatchingData = { status, labels: [], message, flaky };
  return matchCategory(categories, data)?.name;
}

const TIMEOUT = 'Infrastructure: timeout';
const HTTP_5XX = 'Infrastructure: HTTP 5xx';
const RATE_LIMITED = 'Infrastructure: rate limited (429)';
const UNAVAILABLE = 'Infrastructure: target unavailable';
const DEFECT = 'Product defect';
const HARNESS = 'Harness error (test code, configuration)';

test('the Kestra client\'s real infrastructure errors land in the infrastructure categories', async () => {
  const failures = await realKestraFailures();
  expect(categoryOf(shown(failures.timeout))).toBe(TIMEOUT);
  expect(categoryOf(shown(failures.childrenTimeout))).toBe(TIMEOUT);
  expect(categoryOf(shown(failures.requestTimeout))).toBe(TIMEOUT);
  expect(categoryOf(shown(failures.http503))).toBe(HTTP_5XX);
  expect(categoryOf(shown(failures.http500))).toBe(HTTP_5XX);
  expect(categoryOf(shown(failures.http429))).toBe(RATE_LIMITED);
  expect(categoryOf(shown(failures.refused))).toBe(UNAVAILABLE);
  // The same messages, reported `broken` (e.g. thrown from a fixture), are sorted the same way.
  expect(categoryOf(shown(failures.http503), 'broken')).toBe(HTTP_5XX);
});

test('container target trouble is "target unavailable", as failure or as skip', () => {
  expect(categoryOf(shown(new ContainerStackUnavailableError('container target needs a Docker engine: Could not find a working container runtime strategy (DOCKER_HOST unset)')))).toBe(UNAVAILABLE);
  expect(categoryOf(shown(new ContainerStackBootError('container target: cannot pull kestra/kestra:v1.1.4 for service kestra: (HTTP code 429) unexpected - toomanyrequests: You have reached your pull rate limit.')))).toBe(RATE_LIMITED);
  expect(categoryOf(shown(new ContainerStackBootError('container target: kestra-test-1a2b booted but could not be made ready (flow deploy): connect ECONNRESET')))).toBe(UNAVAILABLE);
  // Skip reasons as tests/support/e2e-fixtures.ts and the funnel specs give them.
  expect(categoryOf('container target skipped: container target needs a Docker engine: Could not find a working container runtime strategy', 'skipped')).toBe(UNAVAILABLE);
  expect(categoryOf('container target needs Docker Compose v2 (`docker compose`): not found', 'skipped')).toBe(UNAVAILABLE);
  expect(categoryOf('no Chromium found: install one (Debian: apt-get install -y chromium) or set CHROMIUM_PATH to its executable', 'skipped')).toBe(UNAVAILABLE);
  // A capability the target lacks is not trouble.
  expect(categoryOf('the remote target cannot inject faults or move the clock', 'skipped')).toBe('Skipped: not applicable on this target');
  expect(categoryOf(undefined, 'skipped')).toBeUndefined();
});

test('Playwright\'s and the funnel\'s timeouts are timeouts; an expect() that waited in vain stays an assertion', () => {
  expect(categoryOf('Test timeout of 120000ms exceeded.', 'broken')).toBe(TIMEOUT);
  expect(categoryOf('Test timeout of 120000ms exceeded while setting up "targetOrReason".', 'broken')).toBe(TIMEOUT);
  expect(categoryOf('TimeoutError: locator.click: Timeout 5000ms exceeded.\nCall log:\n  - waiting for getByRole(\'button\')')).toBe(TIMEOUT);
  expect(categoryOf('Error: heading "Your results" did not become visible within 15000 ms on http://127.0.0.1:4173/en/flows/businessX/dfu/xmas-a01')).toBe(TIMEOUT);
  expect(categoryOf('RequestTimeoutError: Request to Notion API has timed out')).toBe(TIMEOUT);
  expect(categoryOf('Error: expect(locator).toBeVisible() failed\n\nLocator: getByText(\'Merci\')\nExpected: visible\nTimeout: 5000ms\nError: element(s) not found')).toBe(DEFECT);
});

test('Notion and Resend read-back failures are sorted by status', () => {
  expect(categoryOf('APIResponseError: You have been rate limited. Please try again in a few minutes.')).toBe(RATE_LIMITED);
  expect(categoryOf('APIResponseError: Unexpected error occurred.')).toBe(HTTP_5XX);
  expect(categoryOf('APIResponseError: Notion is unavailable, please try again later.')).toBe(HTTP_5XX);
  expect(categoryOf('UnknownHTTPResponseError: Request to Notion API failed with status: 502')).toBe(HTTP_5XX);
  expect(categoryOf('ResendReadBackError: GET https://api.resend.com/emails/4ef9… → HTTP 503: upstream unavailable')).toBe(HTTP_5XX);
  expect(categoryOf('ResendReadBackError: GET https://api.resend.com/emails/4ef9… failed: ENOTFOUND')).toBe(UNAVAILABLE);
});

test('assertion failures are product defects — unless the assertion was on an HTTP status of 5xx / 429', () => {
  expect(categoryOf('Error: execution 4XaZ\n\nexpect(received).toBe(expected) // Object.is equality\n\nExpected: "SUCCESS"\nReceived: "FAILED"')).toBe(DEFECT);
  expect(categoryOf('Error: contacts for lengobaosang+abc@gmail.com\n\nexpect(received).toHaveLength(expected)\n\nExpected length: 1\nReceived length: 2')).toBe(DEFECT);
  expect(categoryOf('AssertionError [ERR_ASSERTION]: Expected values to be strictly equal')).toBe(DEFECT);
  expect(categoryOf('Error: webhook HTTP status\n\nexpect(received).toBe(expected) // Object.is equality\n\nExpected: 200\nReceived: 503')).toBe(HTTP_5XX);
  expect(categoryOf('Error: webhook HTTP status\n\nexpect(received).toBe(expected) // Object.is equality\n\nExpected: 200\nReceived: 429')).toBe(RATE_LIMITED);
  expect(categoryOf('Error: scheduled sends\n\nExpected: 3\nReceived: 500')).toBe(DEFECT); // a count, not a status
});

test('errors of the harness itself are neither infrastructure nor product', () => {
  expect(categoryOf(shown(new TypeError("Cannot read properties of undefined (reading 'id')")))).toBe(HARNESS);
  expect(categoryOf(shown(new ConfigError('KESTRA_URL is not set — needed by remote target, smoke, gate, lint --server; see .env.example')))).toBe(HARNESS);
  expect(categoryOf(shown(new KestraResponseShapeError('GET', '/api/v1/main/executions/x', [{ path: 'state.current', problem: 'is missing' }])))).toBe(HARNESS);
  expect(categoryOf(undefined, 'broken')).toBe(HARNESS);
});

test('a flaky test (from the environment\'s history) is "Flaky tests", unless infrastructure explains it', () => {
  expect(categoryOf('Error: expect(received).toBe(expected)\n\nExpected: 1\nReceived: 2', 'failed', true)).toBe('Flaky tests');
  expect(categoryOf('KestraHttpError: GET https://kestra.example/api/v1/main/executions/x → HTTP 502: Bad Gateway', 'failed', true)).toBe(HTTP_5XX);
  expect(categoryOf(undefined, 'passed', true)).toBeUndefined();
});

test('passing tests get no category', () => {
  expect(categoryOf(undefined, 'passed')).toBeUndefined();
  expect(categoryOf('', 'passed')).toBeUndefined();
});

test('allurerc.mjs loads with plain Node and wires the categories, both reports and the history of the chosen environment', async () => {
  const url = pathToFileURL(join(ROOT, 'allurerc.mjs')).href;
  const saved = { env: process.env.HARNESS_REPORT_ENV, history: process.env.HARNESS_REPORT_HISTORY, ci: process.env.CI };
  try {
    delete process.env.HARNESS_REPORT_HISTORY;
    process.env.HARNESS_REPORT_ENV = 'prod';
    const prod = (await import(`${url}?env=prod`)).default;
    expect(prod.historyPath).toBe(join(ROOT, 'reports', 'history', 'prod.jsonl'));
    expect(prod.name).toContain('prod');
    expect(prod.categories.rules.map((r: { name: string }) => r.name)).toEqual(REPORT_CATEGORIES.map((r) => r.name));
    expect(prod.plugins.awesome.options.singleFile).toBe(false);
    expect(prod.plugins['single-file']).toEqual(expect.objectContaining({ import: '@allurereport/plugin-awesome', options: expect.objectContaining({ singleFile: true }) }));
    expect(prod.plugins.awesome.options.groupBy).toEqual(['parentSuite', 'epic', 'feature', 'story', 'suite']);

    delete process.env.HARNESS_REPORT_ENV;
    process.env.CI = 'true';
    expect((await import(`${url}?env=ci`)).default.historyPath).toBe(join(ROOT, 'reports', 'history', 'ci.jsonl'));
    process.env.HARNESS_REPORT_ENV = 'staging';
    await expect(import(`${url}?env=staging`)).rejects.toThrow('HARNESS_REPORT_ENV must be one of local, ci, prod (got "staging")');
  } finally {
    for (const [key, name] of [['env', 'HARNESS_REPORT_ENV'], ['history', 'HARNESS_REPORT_HISTORY'], ['ci', 'CI']] as const) {
      if (saved[key] === undefined) delete process.env[name];
      else process.env[name] = saved[key];
    }
  }
});
