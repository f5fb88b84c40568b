/** helpers/scenarios/concurrency.ts: results in the items' order, never more than `limit` calls in flight. */
import { test, expect } from '../support/unit-test.js';
import { mapConcurrently } from '../../helpers/scenarios/concurrency.js';

test('results come back in the items\' order, with at most `limit` calls in flight', async () => {
  let inFlight = 0;
  let most = 0;
  const delays = [30, 5, 20, 1, 15, 2, 25, 3, 10, 4];
  const out = await mapConcurrently(delays, 3, async (ms, i) => {
    most = Math.max(most, ++inFlight);
    await new Promise((r) => setTimeout(r, ms));
    inFlight--;
    return `${i}:${ms}`;
  });
  expect(out).toEqual(delays.map((ms, i) => `${i}:${ms}`));
  expect(most).toBe(3);
});

test('an empty list calls nothing; a limit above the count runs them all at once; a failure rejects', async () => {
  expect(await mapConcurrently([], 4, async () => { throw new Error('never called'); })).toEqual([]);
  let most = 0;
  let inFlight = 0;
  await mapConcurrently([1, 2], 10, async () => {
    most = Math.max(most, ++inFlight);
    await new Promise((r) => setTimeout(r, 5));
    inFlight--;
  });
  expect(most).toBe(2);
  await expect(mapConcurrently([1, 2, 3], 2, async (n) => { if (n === 2) throw new Error('case 2'); return n; })).rejects.toThrow('case 2');
});
