/**
 * Production safety (issue §5): the production website needs an explicit opt-in, and the recipient
 * guard runs before the browser types anything — a recording driver proves nothing was driven.
 */
import { test, expect } from '../support/unit-test.js';
import {
  assertSiteAllowed, assertTypableEmail, funnelJourney, invalidEmailJourney, isLoopbackUrl, journeyDataFor, ProductionRefusedError, productionOptedIn,
  resolveTarget, runJourney,
} from '../../helpers/scenarios/funnel/index.js';
import { recordingDriver } from '../../helpers/scenarios/funnel/recording-driver.js';
import { FUNNEL_URLS, testIdentityFor } from '../../helpers/spec/index.js';

const noEnv: NodeJS.ProcessEnv = {};
const local = resolveTarget('local');
const production = resolveTarget('production');

test('the production website is refused without the opt-in, in one line naming both ways to opt in', () => {
  let error: unknown;
  try {
    assertSiteAllowed(FUNNEL_URLS.production, { env: noEnv });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ProductionRefusedError);
  const message = (error as Error).message;
  expect(message.split('\n')).toHaveLength(1);
  expect(message).toContain(FUNNEL_URLS.production);
  expect(message).toContain('--allow-production');
  expect(message).toContain('FUNNEL_ALLOW_PRODUCTION=true');
});

test('the opt-in is the flag or FUNNEL_ALLOW_PRODUCTION=true|1, nothing else', () => {
  expect(() => assertSiteAllowed(FUNNEL_URLS.production, { allowProductionFlag: true, env: noEnv })).not.toThrow();
  expect(() => assertSiteAllowed(FUNNEL_URLS.production, { env: { FUNNEL_ALLOW_PRODUCTION: 'true' } })).not.toThrow();
  expect(() => assertSiteAllowed(FUNNEL_URLS.production, { env: { FUNNEL_ALLOW_PRODUCTION: '1' } })).not.toThrow();
  for (const value of ['false', '0', '']) expect(productionOptedIn({ env: { FUNNEL_ALLOW_PRODUCTION: value } }), value).toBe(false);
  // Anything else is a configuration mistake, not a quiet "no".
  for (const value of ['yes', 'TRUE ']) expect(() => productionOptedIn({ env: { FUNNEL_ALLOW_PRODUCTION: value } }), value).toThrow(/FUNNEL_ALLOW_PRODUCTION must be true or false/);
});

test('loopback sites need no opt-in, unless their target is marked production; any other host does', () => {
  for (const url of ['http://127.0.0.1:4000/x', 'http://localhost:3005/en', 'http://[::1]:80/', 'http://funnel.localhost/']) {
    expect(isLoopbackUrl(url), url).toBe(true);
    expect(() => assertSiteAllowed(url, { env: noEnv }), url).not.toThrow();
  }
  expect(() => assertSiteAllowed(FUNNEL_URLS.localDev, { env: noEnv, targetIsProduction: true })).toThrow(ProductionRefusedError);
  expect(() => assertSiteAllowed('https://staging.sangletech.com/en', { env: noEnv })).toThrow(ProductionRefusedError);
  expect(() => assertSiteAllowed('not a url', { env: noEnv })).toThrow(/is not a URL/);
});

test('the recipient guard allows the test identity (+tag) and Resend test addresses; refuses others; lets a non-address through', () => {
  for (const ok of ['lengobaosang@gmail.com', testIdentityFor('run-1'), 'delivered@resend.dev', 'lengobaosang.gmail.com']) expect(() => assertTypableEmail(ok, 'unit'), ok).not.toThrow();
  for (const bad of ['someone@example.com', 'lengobaosang@gmail.co', 'lengobaosang+a b@gmail.com', 'x@resend.dev', 'lengobaosang@gmail.com.evil.org']) {
    expect(() => assertTypableEmail(bad, 'unit'), bad).toThrow(/refusing recipient/);
  }
});

test('a journey for a refused address drives nothing: no page opened, nothing typed', async () => {
  const { driver, calls } = recordingDriver();
  await expect(runJourney(driver, funnelJourney(journeyDataFor('someone@example.com')), { url: 'http://127.0.0.1:1/', target: local })).rejects.toThrow(
    /refusing recipient "someone@example.com"/,
  );
  expect(calls).toEqual([]);
});

test('a production journey without the opt-in drives nothing; with it, the guard still runs first', async () => {
  const refused = recordingDriver();
  await expect(runJourney(refused.driver, funnelJourney(journeyDataFor(testIdentityFor('run-1'))), { url: FUNNEL_URLS.production, target: production, env: noEnv })).rejects.toThrow(ProductionRefusedError);
  expect(refused.calls).toEqual([]);

  const guarded = recordingDriver();
  await expect(
    runJourney(guarded.driver, funnelJourney(journeyDataFor('sang@sangletech.com')), { url: FUNNEL_URLS.production, target: production, allowProduction: true, env: noEnv }),
  ).rejects.toThrow(/refusing recipient/);
  expect(guarded.calls).toEqual([]);
});

test('an allowed address is typed; the invalid-email journey types a non-address', async () => {
  const identity = testIdentityFor('run-2');
  const ok = recordingDriver({ postsOnClick: { 'Start my assessment': 'signup', 'See my results': 'assessment' } });
  const report = await runJourney(ok.driver, funnelJourney(journeyDataFor(identity)), { url: 'http://127.0.0.1:1/', target: local, timeoutMs: 200 });
  expect(report.ok).toBe(true);
  expect(ok.calls.filter((c) => c.startsWith('fill {"label":"Email"}'))).toEqual([`fill {"label":"Email"} ${identity}`]);

  const invalid = recordingDriver();
  const negative = await runJourney(invalid.driver, invalidEmailJourney(journeyDataFor(identity)), { url: 'http://127.0.0.1:1/', target: local, timeoutMs: 200 });
  expect(negative.ok).toBe(true);
  expect(invalid.calls.filter((c) => c.startsWith('fill {"label":"Email"}'))).toEqual(['fill {"label":"Email"} lengobaosang.gmail.com']);
});
