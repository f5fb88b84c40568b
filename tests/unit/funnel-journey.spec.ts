/**
 * The funnel journey is complete and consistent: every step names what it does and expects, every
 * selector it uses exists for every target, the data covers every question the site asks, and the
 * payloads it expects are valid under the spec's schemas. The runner drives a recording stub.
 */
import { test, expect } from '../support/unit-test.js';
import {
  expectedPayloads, funnelJourney, invalidEmailJourney, INVALID_EMAIL, journeyDataFor, loadSelectorsFile, missingFirstNameJourney,
  ratingCounts, resolveTarget, runJourney, SELECTOR_KEYS, segmentOf, typedEmails, type JourneyAction,
} from '../../helpers/scenarios/funnel/index.js';
import { recordingDriver } from '../../helpers/scenarios/funnel/recording-driver.js';
import { siteContent } from '../../helpers/standins/website/content.js';
import { checkPayload, classifySegment, testIdentityFor } from '../../helpers/spec/index.js';
import { validPayload } from '../../helpers/scenarios/payloads.js';

const identity = testIdentityFor('unit-journey');

test('the default journey data rates every system the site asks about, as fixtures/payloads/valid.json does', () => {
  const data = journeyDataFor(identity);
  const { systems } = siteContent();
  expect(Object.keys(data.ratings)).toEqual(systems);
  expect(systems).toContain(data.weakestSystem1);
  const valid = validPayload('assessment');
  const counts = ratingCounts(data);
  expect([counts.red, counts.orange, counts.yellow, counts.green]).toEqual([valid.red_systems, valid.orange_systems, valid.yellow_systems, valid.green_systems]);
  expect(segmentOf(data)).toBe(classifySegment(valid));
  expect(data.revenueLeak).toBe(valid.revenue_leak_total);
});

test('every step of every journey has a unique name, actions or an expectation, and known selectors', () => {
  const data = journeyDataFor(identity);
  const journeys = [funnelJourney(data), funnelJourney(data, { doubleSubmit: true }), invalidEmailJourney(data), missingFirstNameJourney(data)];
  const keys = new Set<string>(SELECTOR_KEYS);
  for (const journey of journeys) {
    const names = journey.steps.map((s) => s.name);
    expect(new Set(names).size, `${journey.name}: step names are unique`).toBe(names.length);
    for (const step of journey.steps) {
      expect(step.actions.length + Object.keys(step.expect).length, `${journey.name} / ${step.name} does something`).toBeGreaterThan(0);
      const used = [
        ...step.actions.flatMap((a: JourneyAction) => (a.do === 'fill' || a.do === 'choose' ? [a.field] : a.do === 'click' ? [a.target] : [])),
        ...[step.expect.visible, step.expect.text?.in].filter((k): k is NonNullable<typeof k> => k !== undefined),
      ];
      for (const key of used) expect(keys.has(key), `${journey.name} / ${step.name}: selector key ${key}`).toBe(true);
    }
  }
});

test('every target in selectors.json resolves every selector key the journey may use', () => {
  const file = loadSelectorsFile();
  for (const name of Object.keys(file.targets)) {
    const target = resolveTarget(name, { file });
    expect(Object.keys(target.selectors).sort(), `target ${name}`).toEqual([...SELECTOR_KEYS].sort());
    expect(Object.keys(target.ratingLabels).sort()).toEqual(['green', 'orange', 'red', 'yellow']);
    expect(target.webhooks.signup.length).toBeGreaterThan(0);
    expect(target.webhooks.assessment.length).toBeGreaterThan(0);
  }
  expect(Object.keys(file.targets)).toEqual(expect.arrayContaining(['local', 'production']));
});

test('the full funnel: open → sign up (signup webhook) → answer → complete (assessment webhook, segment shown)', () => {
  const data = journeyDataFor(identity);
  const journey = funnelJourney(data);
  expect(journey.steps.map((s) => s.name)).toEqual(['open the funnel', 'sign up', 'answer the assessment', 'complete the assessment']);
  expect(journey.steps.flatMap((s) => s.expect.webhooks ?? [])).toEqual(['signup', 'assessment']);
  expect(journey.steps[0]!.actions).toEqual([{ do: 'goto' }]);
  expect(journey.steps[2]!.actions.filter((a) => a.do === 'rate')).toHaveLength(siteContent().systems.length);
  expect(journey.steps[3]!.expect).toMatchObject({ visible: 'resultsView', text: { in: 'results', includes: 'CRITICAL' } });
  expect(typedEmails(journey)).toEqual([identity]);
});

test('the double-submit journey double-clicks both submit buttons', () => {
  const clicks = funnelJourney(journeyDataFor(identity), { doubleSubmit: true }).steps.flatMap((s) => s.actions).filter((a) => a.do === 'click');
  expect(clicks).toEqual([
    { do: 'click', target: 'signupSubmit', count: 2 },
    { do: 'click', target: 'assessmentSubmit', count: 2 },
  ]);
});

test('the negative journeys type no deliverable address and expect a named error', () => {
  const data = journeyDataFor(identity);
  const invalid = invalidEmailJourney(data);
  expect(typedEmails(invalid)).toEqual([INVALID_EMAIL]);
  expect(INVALID_EMAIL).not.toContain('@');
  expect(invalid.steps.at(-1)!.expect).toEqual({ visible: 'errors', error: 'valid email' });
  const missing = missingFirstNameJourney(data);
  expect(missing.steps.flatMap((s) => s.actions).some((a) => a.do === 'fill' && a.field === 'firstName')).toBe(false);
  expect(missing.steps.at(-1)!.expect.error).toBe('first name');
});

test('the expected payloads are valid under the spec schemas (with a send time added)', () => {
  const expected = expectedPayloads(journeyDataFor(identity));
  expect(checkPayload('signup', expected.signup)).toMatchObject({ ok: true });
  expect(checkPayload('assessment', { ...expected.assessment, email_1_sent_at: '2025-12-01T10:30:00.000Z' })).toMatchObject({ ok: true });
  expect(expected.assessment).toMatchObject({ red_systems: 2, orange_systems: 1, yellow_systems: 2, green_systems: 3, weakest_system_1: 'GPS', weakest_system_2: 'Money', email_1_status: 'sent' });
});

test('runJourney drives the steps in order, screenshots each, and reports the webhooks', async () => {
  const { driver, calls } = recordingDriver({ postsOnClick: { 'Start my assessment': 'signup', 'See my results': 'assessment' } });
  const shots: string[] = [];
  const report = await runJourney(driver, funnelJourney(journeyDataFor(identity)), {
    url: 'http://127.0.0.1:1/funnel',
    target: resolveTarget('local'),
    onScreenshot: ({ step }) => void shots.push(step),
    timeoutMs: 200,
  });
  expect(report.error).toBeUndefined();
  expect(report.ok).toBe(true);
  expect(shots).toEqual(report.steps.map((s) => s.name));
  expect(report.webhooks.map((w) => w.name)).toEqual(['signup', 'assessment']);
  expect(calls[0]).toBe('capture');
  expect(calls[1]).toBe('goto http://127.0.0.1:1/funnel');
  expect(calls).toContain(`fill {"label":"Email"} ${identity}`);
  expect(calls).toContain('choose {"group":"GPS"} Red');
  expect(calls).toContain('choose {"label":"Weakest system"} GPS');
});

test('runJourney reports (or rethrows) the failing step, naming the missing webhook', async () => {
  const { driver } = recordingDriver(); // posts nothing
  const options = { url: 'http://127.0.0.1:1/funnel', target: resolveTarget('local'), timeoutMs: 100 };
  const report = await runJourney(driver, funnelJourney(journeyDataFor(identity)), options);
  expect(report.ok).toBe(false);
  expect(report.steps.map((s) => [s.name, s.ok])).toEqual([['open the funnel', true], ['sign up', false]]);
  expect(report.error).toMatch(/^step "sign up": the page did not post the signup webhook within 100 ms/);
  const again = recordingDriver();
  await expect(runJourney(again.driver, funnelJourney(journeyDataFor(identity)), { ...options, rethrow: true })).rejects.toThrow(/signup webhook/);
});
