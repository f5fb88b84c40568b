/**
 * The Kestra stand-in's small pure pieces: Java time formats, retry arithmetic, secrets and envs,
 * ids, and how a webhook request becomes `trigger.*` variables.
 */
import { expect, test } from '../support/unit-test.js';
import { headerLists, parameterLists, webhookBody } from '../../helpers/standins/kestra/api.js';
import { KestraEnvironment, secretEnv } from '../../helpers/standins/kestra/environment.js';
import { createIdGenerator } from '../../helpers/standins/kestra/ids.js';
import { nextRetry, retryDelayMs, retryPolicyOf } from '../../helpers/standins/kestra/retry.js';
import { formatDuration, parseDuration, parseZonedDateTime } from '../../helpers/standins/kestra/time.js';

test.describe('Java time formats', () => {
  test('durations print like java.time.Duration#toString (hours never folded into days)', () => {
    expect(formatDuration(0)).toBe('PT0S');
    expect(formatDuration(123)).toBe('PT0.123S');
    expect(formatDuration(90_000)).toBe('PT1M30S');
    expect(formatDuration(26 * 3_600_000 + 60_000)).toBe('PT26H1M');
    expect(formatDuration(1500)).toBe('PT1.5S');
  });

  test('ISO-8601 durations parse like Duration.parse (days, fractions), garbage does not', () => {
    expect(parseDuration('PT1S')).toBe(1000);
    expect(parseDuration('PT0.25S')).toBe(250);
    expect(parseDuration('P1DT2H')).toBe(26 * 3_600_000);
    expect(parseDuration('PT30M')).toBe(1_800_000);
    for (const bad of ['1s', 'P', 'PT', 'PTXS', '', 5]) expect(parseDuration(bad)).toBeUndefined();
  });

  test('a scheduleDate must carry a zone (Jackson reads it into a ZonedDateTime); a local date-time is refused', () => {
    expect(parseZonedDateTime('2025-12-02T10:30:00Z')!.toISOString()).toBe('2025-12-02T10:30:00.000Z');
    expect(parseZonedDateTime('2025-12-02T11:30:00+01:00')!.toISOString()).toBe('2025-12-02T10:30:00.000Z');
    expect(parseZonedDateTime('2025-12-02T10:30:00.123456789Z')!.toISOString()).toBe('2025-12-02T10:30:00.123Z');
    expect(parseZonedDateTime('2025-12-02T11:30+01:00[Europe/Paris]')!.toISOString()).toBe('2025-12-02T10:30:00.000Z');
    expect(parseZonedDateTime('2025-12-02T10:30:00')).toBeUndefined();
    expect(parseZonedDateTime('tomorrow')).toBeUndefined();
  });
});

test.describe('retry arithmetic (TaskRun#nextRetryDate, retrys/*.java)', () => {
  test('exponential: interval × delayFactor(2) × (attempts − 1), capped at maxInterval — the first retry is immediate', () => {
    const policy = retryPolicyOf({ type: 'exponential', interval: 'PT1S', maxInterval: 'PT5S', maxAttempts: 6 })!;
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(policy, n))).toEqual([0, 2000, 4000, 5000, 5000]);
  });

  test('constant waits its interval; random stays within [minInterval, maxInterval)', () => {
    expect(retryDelayMs(retryPolicyOf({ type: 'constant', interval: 'PT3S' })!, 4)).toBe(3000);
    const random = retryPolicyOf({ type: 'random', minInterval: 'PT1S', maxInterval: 'PT2S' })!;
    expect(retryDelayMs(random, 1, () => 0)).toBe(1000);
    expect(retryDelayMs(random, 1, () => 0.999)).toBeLessThan(2000);
  });

  test('maxAttempts counts the first attempt; the legacy maxAttempt means the same; no limit at all retries forever', () => {
    const three = retryPolicyOf({ type: 'constant', interval: 'PT1S', maxAttempts: 3 })!;
    expect(nextRetry(three, 2, 0)).toBe(1000);
    expect(nextRetry(three, 3, 0)).toBeUndefined();
    expect(nextRetry(retryPolicyOf({ type: 'constant', interval: 'PT1S', maxAttempt: 2 })!, 2, 0)).toBeUndefined();
    expect(nextRetry(retryPolicyOf({ type: 'constant', interval: 'PT1S' })!, 1000, 0)).toBe(1000);
  });

  test('maxDuration: no attempt may start later than the first one + maxDuration', () => {
    const policy = retryPolicyOf({ type: 'constant', interval: 'PT10S', maxDuration: 'PT15S' })!;
    expect(nextRetry(policy, 1, 0)).toBe(10_000);
    expect(nextRetry(policy, 2, 10_000)).toBeUndefined();
  });
});

test.describe('environment (EnvVarSecretService, envs)', () => {
  test('SECRET_<NAME> is base64-decoded and found case-insensitively; a missing one is Kestra\'s message', () => {
    const env = new KestraEnvironment({ ...secretEnv({ Notion_Token: 'ntn_abc' }), OTHER: 'x' });
    expect(env.secret('NOTION_TOKEN')).toBe('ntn_abc');
    expect(env.secret('notion_token')).toBe('ntn_abc');
    expect(() => env.secret('SECRET_NOTION_TOKEN')).toThrow("Cannot find secret for key 'SECRET_NOTION_TOKEN'.");
  });

  test('a SECRET_ value that is not base64 is an error naming the variable', () => {
    expect(() => new KestraEnvironment({ SECRET_X: 'not base64!' }).secret('X')).toThrow(/SECRET_X must hold the base64/);
  });

  test('ENV_<NAME> becomes envs.<name>, lower-cased; other variables are not exposed', () => {
    expect(new KestraEnvironment({ ENV_NOTION_API_URL: 'http://n', PATH: '/bin', SECRET_A: 'YQ==' }).envs()).toEqual({ notion_api_url: 'http://n' });
  });
});

test.describe('ids and webhook variables', () => {
  test('a seeded id generator repeats its sequence; ids are base-62, at most 22 characters', () => {
    const a = createIdGenerator('seed');
    const b = createIdGenerator('seed');
    const ids = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(ids);
    for (const id of ids) expect(id).toMatch(/^[0-9A-Za-z]{1,22}$/);
    expect(new Set([createIdGenerator()(), createIdGenerator()()]).size).toBe(2);
  });

  test('trigger.body: a JSON object or array is parsed, other text (even JSON scalars) stays a string, no body is absent', () => {
    expect(webhookBody('{"a":1}')).toEqual({ a: 1 });
    expect(webhookBody('[1]')).toEqual([1]);
    expect(webhookBody('"quoted"')).toBe('"quoted"');
    expect(webhookBody('42')).toBe('42');
    expect(webhookBody('{"a":')).toBe('{"a":');
    expect(webhookBody('')).toBeUndefined();
  });

  test('headers keep the case they were sent in and group repeated names into lists; parameters are lists', () => {
    expect(headerLists(['X-Agent', 'a', 'x-agent', 'b', 'Host', 'h'])).toEqual({ 'X-Agent': ['a', 'b'], Host: ['h'] });
    expect(parameterLists(new URLSearchParams('q=1&q=2&r='))).toEqual({ q: ['1', '2'], r: [''] });
  });
});
