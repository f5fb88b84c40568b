/**
 * The website funnel journey, defined once (issue §2): the steps a visitor takes, the data they
 * type, and what each step must make the page show and send. Driver-agnostic data — Playwright and
 * Puppeteer run it through `runJourney(driver, journey, options)`.
 *
 *   const journey = funnelJourney(journeyDataFor(testIdentityFor(runId)));
 *   const report = await runJourney(driver, journey, { url: site.url, target: resolveTarget('local') });
 *   report.webhooks   // what the page posted: [{ name: 'signup', body, status, at }, …]
 *
 * Safety (issue §5): before the driver is touched at all, every address the journey will type
 * passes the recipient guard, and a production site needs the opt-in (helpers/scenarios/funnel/safety.ts).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type AssessmentPayload, classifySegment, type Segment, type SignupPayload } from '../../spec/index.js';
import type { CapturedWebhook, DriverName, FunnelDriver } from './driver.js';
import { assertSiteAllowed, assertTypableEmail } from './safety.js';
import type { FunnelWebhook, Rating } from '../../spec/index.js';
import { type FunnelTarget, ratingSelector, type SelectorKey, webhookMatcher } from './selectors.js';

/* ------------------------------------------------------------------ data */

import { siteContent } from '../../standins/website/content.js';


export interface JourneyData {
  firstName: string;
  email: string;
  businessName?: string;
  /** Each system's rating, in the order the page asks. */
  ratings: Record<string, Rating>;
  weakestSystem1: string;
  weakestSystem2?: string;
  revenueLeak: number;
}

/** The rating pattern of fixtures/payloads/valid.json (2 red, 1 orange, 2 yellow, 3 green → CRITICAL). */
const DEFAULT_PATTERN: readonly Rating[] = ['red', 'red', 'orange', 'yellow', 'yellow', 'green', 'green', 'green'];

/** The visitor the specs and the probe play, typing `email` (an allowed recipient). */
export function journeyDataFor(email: string, overrides: Partial<JourneyData> = {}): JourneyData {
  const { systems } = siteContent();
  const ratings = Object.fromEntries(systems.map((system, i) => [system, DEFAULT_PATTERN[i % DEFAULT_PATTERN.length]!]));
  return {
    firstName: 'Sang',
    email,
    businessName: "Sang's Salon",
    ratings,
    weakestSystem1: systems[0]!,
    weakestSystem2: systems[1],
    revenueLeak: 14700,
    ...overrides,
  };
}

export function ratingCounts(data: Pick<JourneyData, 'ratings'>): Record<Rating, number> {
  const counts: Record<Rating, number> = { red: 0, orange: 0, yellow: 0, green: 0 };
  for (const rating of Object.values(data.ratings)) counts[rating] += 1;
  return counts;
}

export function segmentOf(data: Pick<JourneyData, 'ratings'>): Segment {
  const c = ratingCounts(data);
  return classifySegment({ red_systems: c.red, orange_systems: c.orange });
}

/** What the page must post for this data: the spec's payload fields (run-specific ones excluded). */
export function expectedPayloads(data: JourneyData): { signup: SignupPayload; assessment: Omit<AssessmentPayload, 'email_1_sent_at'> } {
  const c = ratingCounts(data);
  const business = data.businessName ? { business_name: data.businessName } : {};
  return {
    signup: { email: data.email, first_name: data.firstName, ...business },
    assessment: {
      email: data.email,
      first_name: data.firstName,
      ...business,
      red_systems: c.red,
      orange_systems: c.orange,
      yellow_systems: c.yellow,
      green_systems: c.green,
      weakest_system_1: data.weakestSystem1,
      ...(data.weakestSystem2 && data.weakestSystem2 !== data.weakestSystem1 ? { weakest_system_2: data.weakestSystem2 } : {}),
      revenue_leak_total: data.revenueLeak,
      email_1_status: 'sent',
    },
  };
}

/* ------------------------------------------------------------------ steps */

export type JourneyAction =
  | { do: 'goto' }
  | { do: 'fill'; field: SelectorKey; value: string }
  | { do: 'choose'; field: SelectorKey; option: string }
  | { do: 'rate'; system: string; rating: Rating }
  | { do: 'click'; target: SelectorKey; count?: number };

export interface StepExpectation {
  /** An element that must become visible. */
  visible?: SelectorKey;
  /** Webhooks this step must make the page post (one more request of each name). */
  webhooks?: FunnelWebhook[];
  /** Text that must appear in an element. */
  text?: { in: SelectorKey; includes: string };
  /** A visible error (role=alert) containing this text, case-insensitive. */
  error?: string;
}

export interface JourneyStep {
  name: string;
  actions: JourneyAction[];
  expect: StepExpectation;
}

export interface Journey {
  name: string;
  data: JourneyData;
  steps: JourneyStep[];
}

/** Fields holding an email address: what they receive goes through the recipient guard first. */
const EMAIL_FIELDS: ReadonlySet<SelectorKey> = new Set(['email']);

function signupActions(data: JourneyData, clicks = 1): JourneyAction[] {
  return [
    { do: 'fill', field: 'firstName', value: data.firstName },
    { do: 'fill', field: 'email', value: data.email },
    ...(data.businessName ? [{ do: 'fill', field: 'businessName', value: data.businessName } as const] : []),
    { do: 'click', target: 'signupSubmit', count: clicks },
  ];
}

/**
 * The whole funnel: open → sign up → answer the assessment → complete it and read the results.
 * `doubleSubmit` double-clicks both submit buttons (the page must still post each webhook once).
 */
export function funnelJourney(data: JourneyData, opts: { doubleSubmit?: boolean } = {}): Journey {
  const clicks = opts.doubleSubmit ? 2 : 1;
  return {
    name: opts.doubleSubmit ? 'funnel (double submit)' : 'funnel',
    data,
    steps: [
      { name: 'open the funnel', actions: [{ do: 'goto' }], expect: { visible: 'signupView' } },
      { name: 'sign up', actions: signupActions(data, clicks), expect: { visible: 'assessmentView', webhooks: ['signup'] } },
      {
        name: 'answer the assessment',
        actions: [
          ...Object.entries(data.ratings).map(([system, rating]): JourneyAction => ({ do: 'rate', system, rating })),
          { do: 'choose', field: 'weakestSystem1', option: data.weakestSystem1 },
          ...(data.weakestSystem2 ? [{ do: 'choose', field: 'weakestSystem2', option: data.weakestSystem2 } as const] : []),
          { do: 'fill', field: 'revenueLeak', value: String(data.revenueLeak) },
        ],
        expect: {},
      },
      {
        name: 'complete the assessment',
        actions: [{ do: 'click', target: 'assessmentSubmit', count: clicks }],
        expect: { visible: 'resultsView', webhooks: ['assessment'], text: { in: 'results', includes: segmentOf(data) } },
      },
    ],
  };
}

/** A value that is not an email address at all (no `@`): the page must refuse it. */
export const INVALID_EMAIL = 'lengobaosang.gmail.com';

/** Signing up with an invalid email: the page shows an error (and must post nothing). */
export function invalidEmailJourney(data: JourneyData, invalidEmail = INVALID_EMAIL): Journey {
  const bad = { ...data, email: invalidEmail };
  return {
    name: 'signup with an invalid email',
    data: bad,
    steps: [
      { name: 'open the funnel', actions: [{ do: 'goto' }], expect: { visible: 'signupView' } },
      { name: 'sign up with an invalid email', actions: signupActions(bad), expect: { visible: 'errors', error: 'valid email' } },
    ],
  };
}

/** Signing up without a first name: the page names the missing field. */
export function missingFirstNameJourney(data: JourneyData): Journey {
  const bad = { ...data, firstName: '' };
  return {
    name: 'signup without a first name',
    data: bad,
    steps: [
      { name: 'open the funnel', actions: [{ do: 'goto' }], expect: { visible: 'signupView' } },
      {
        name: 'sign up without a first name',
        actions: signupActions(bad).filter((a) => !(a.do === 'fill' && a.field === 'firstName')),
        expect: { visible: 'errors', error: 'first name' },
      },
    ],
  };
}

/** Every value the journey will type into an email field. */
export function typedEmails(journey: Journey): string[] {
  return journey.steps.flatMap((s) => s.actions).flatMap((a) => (a.do === 'fill' && EMAIL_FIELDS.has(a.field) ? [a.value] : []));
}

/* ------------------------------------------------------------------ running */

export interface RunJourneyOptions {
  /** The funnel's entry page. */
  url: string;
  target: FunnelTarget;
  /** The production opt-in (`--allow-production`); FUNNEL_ALLOW_PRODUCTION in `env` also counts. */
  allowProduction?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Wraps each step (a spec passes `test.step`); the default just runs it. */
  step?: <T>(name: string, body: () => Promise<T>) => Promise<T>;
  /** Where each step's screenshot goes (`NN-step-name.png`); none written when absent. */
  screenshotDir?: string;
  /** Receives each step's screenshot (a spec attaches it to the report). */
  onScreenshot?: (shot: { step: string; index: number; png: Buffer; path?: string }) => Promise<void> | void;
  /** Per expectation. Default 10 000 ms. */
  timeoutMs?: number;
  /** Throw a failed step's error after recording it (specs); default false (the report carries it). */
  rethrow?: boolean;
}

export interface StepReport {
  name: string;
  ok: boolean;
  ms: number;
  /** When the step began (epoch ms). */
  startedAt: number;
  screenshot?: string;
  error?: string;
}

export interface JourneyReport {
  ok: boolean;
  journey: string;
  driver: DriverName;
  url: string;
  steps: StepReport[];
  /** Every webhook request the page made, in order. */
  webhooks: CapturedWebhook[];
  error?: string;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

async function perform(driver: FunnelDriver, action: JourneyAction, target: FunnelTarget, url: string): Promise<void> {
  switch (action.do) {
    case 'goto':
      return driver.goto(url);
    case 'fill':
      if (EMAIL_FIELDS.has(action.field)) assertTypableEmail(action.value, 'funnel journey'); // again, at the keyboard
      return driver.fill(target.selectors[action.field], action.value);
    case 'choose':
      return driver.choose(target.selectors[action.field], action.option);
    case 'rate':
      return driver.choose(ratingSelector(target, action.system), target.ratingLabels[action.rating]);
    case 'click':
      return driver.click(target.selectors[action.target], action.count && action.count > 1 ? { count: action.count } : {});
  }
}

async function waitForWebhook(driver: FunnelDriver, name: FunnelWebhook, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (driver.captured().filter((w) => w.name === name).length < count) {
    if (Date.now() >= deadline) throw new Error(`the page did not post the ${name} webhook within ${timeoutMs} ms (requests seen: ${driver.captured().map((w) => w.name).join(', ') || 'none'})`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function check(driver: FunnelDriver, expect: StepExpectation, target: FunnelTarget, seen: Map<FunnelWebhook, number>, timeoutMs: number): Promise<void> {
  if (expect.visible) await driver.waitForVisible(target.selectors[expect.visible], timeoutMs);
  for (const name of expect.webhooks ?? []) {
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    await waitForWebhook(driver, name, count, timeoutMs);
  }
  if (expect.webhooks?.length) await driver.settle(timeoutMs);
  if (expect.text) {
    const { in: key, includes } = expect.text;
    const deadline = Date.now() + timeoutMs;
    let text = await driver.textOf(target.selectors[key]);
    while (!text.includes(includes) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      text = await driver.textOf(target.selectors[key]);
    }
    if (!text.includes(includes)) throw new Error(`"${includes}" not shown in ${key} (it shows "${text.slice(0, 200)}")`);
  }
  if (expect.error) {
    const wanted = expect.error.toLowerCase();
    const deadline = Date.now() + timeoutMs;
    let errors = await driver.visibleErrors(target.selectors.errors);
    while (!errors.some((e) => e.toLowerCase().includes(wanted)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      errors = await driver.visibleErrors(target.selectors.errors);
    }
    if (!errors.some((e) => e.toLowerCase().includes(wanted))) throw new Error(`no visible error mentioning "${expect.error}" (visible errors: ${JSON.stringify(errors)})`);
  }
}

/**
 * Runs the journey step by step (screenshot after each, pass or fail) and reports what happened.
 * Throws before touching the driver when the site or an address is refused (issue §5).
 */
export async function runJourney(driver: FunnelDriver, journey: Journey, options: RunJourneyOptions): Promise<JourneyReport> {
  assertSiteAllowed(options.url, { allowProductionFlag: options.allowProduction, env: options.env, targetIsProduction: options.target.production });
  for (const email of typedEmails(journey)) assertTypableEmail(email, `funnel journey "${journey.name}"`);

  const timeoutMs = options.timeoutMs ?? 10_000;
  const step = options.step ?? (<T>(_name: string, body: () => Promise<T>) => body());
  if (options.screenshotDir) mkdirSync(options.screenshotDir, { recursive: true });
  driver.captureWebhooks(webhookMatcher(options.target));

  const report: JourneyReport = { ok: true, journey: journey.name, driver: driver.name, url: options.url, steps: [], webhooks: [] };
  const seen = new Map<FunnelWebhook, number>();
  for (const [index, definition] of journey.steps.entries()) {
    const startedAt = Date.now();
    const result: StepReport = { name: definition.name, ok: false, ms: 0, startedAt };
    report.steps.push(result);
    try {
      await step(definition.name, async () => {
        try {
          for (const action of definition.actions) await perform(driver, action, options.target, options.url);
          await check(driver, definition.expect, options.target, seen, timeoutMs);
          result.ok = true;
        } finally {
          result.ms = Date.now() - startedAt;
          await screenshot(driver, definition.name, index, options, result);
        }
      });
    } catch (error) {
      result.error = error instanceof Error ? error.message.split('\n')[0] : String(error);
      report.ok = false;
      report.error = `step "${definition.name}": ${result.error}`;
      report.webhooks = driver.captured();
      if (options.rethrow) throw error;
      return report;
    }
  }
  report.webhooks = driver.captured();
  return report;
}

async function screenshot(driver: FunnelDriver, name: string, index: number, options: RunJourneyOptions, result: StepReport): Promise<void> {
  try {
    const path = options.screenshotDir ? join(options.screenshotDir, `${String(index + 1).padStart(2, '0')}-${slug(name)}.png`) : undefined;
    const png = await driver.screenshot(path);
    if (path) result.screenshot = path;
    await options.onScreenshot?.({ step: name, index, png, path });
  } catch {
    // a screenshot that cannot be taken (page gone) must not hide the step's own outcome
  }
}
