/**
 * Fixtures for the e2e specs: the target (per HARNESS_TARGET), a fresh plus-addressed test identity
 * per test, and a redactor for report attachments.
 *
 * The container and remote targets start once per worker. The local target gives every test its
 * own embedded stack (a warm start is ~10 ms of CPU; the worker's first, cold one also records the
 * report's environment): no test pays for, or runs beside, what an earlier test left behind — the
 * handler executions a field-rules test queued, the sends a boundary case scheduled and never
 * delivered, which the next test moving the clock used to run (about 45 % of all executions).
 */
import { expect } from '@playwright/test';
// The worker-scoped browser fixtures the funnel specs use too: one worker runs both kinds of spec.
import { browserTest as base } from './browser-fixtures.js';
import type { Target } from '../../helpers/targets/types.js';
import { selectedTarget } from '../../helpers/config/env.js';
import { newRunId, testIdentityFor } from '../../helpers/spec/index.js';
import { redactorFor } from '../../helpers/clients/redact.js';
import type { Redactor } from '../../helpers/clients/redact.js';

// The targets (the stand-ins, the Pebble engine, the clients: about 90 of the ~150 modules the
// webhook specs reach) and the report's environment are imported when a fixture first runs, not
// when a spec file loads: Playwright's runner loads every spec file only to list its tests, and
// paid for all of them before the first worker could start.
const targets = () => import('../../helpers/targets/index.js');
const localTarget = () => import('../../helpers/targets/local.js');
const environment = () => import('../../helpers/tools/report/environment.js');

type WorkerFixtures = { targetOrReason: Target | string };
type TestFixtures = { target: Target; identity: string; redactor: Redactor };

export const test = base.extend<TestFixtures, WorkerFixtures>({
  targetOrReason: [
    async ({}, use) => {
      const name = selectedTarget();
      const { startTarget, targetUnavailableReason } = await targets();
      const { recordEnvironment, recordUnavailableTarget } = await environment();
      const reason = await targetUnavailableReason(name);
      if (reason) {
        recordUnavailableTarget(name, reason);
        await use(reason);
        return;
      }
      const target = await startTarget(name);
      await recordEnvironment(target);
      try {
        await use(target);
      } finally {
        await target.stop();
      }
    },
    { scope: 'worker', timeout: 300_000 },
  ],
  target: async ({ targetOrReason }, use) => {
    test.skip(typeof targetOrReason === 'string', typeof targetOrReason === 'string' ? targetOrReason : '');
    const shared = targetOrReason as Target;
    if (shared.name !== 'local') {
      await use(shared);
      return;
    }
    const own = await (await localTarget()).startLocalTarget({ timing: shared.timing });
    try {
      await use(own);
    } finally {
      await own.stop();
    }
  },
  identity: async ({}, use) => {
    await use(testIdentityFor(newRunId()));
  },
  redactor: async ({ target }, use) => {
    await use(redactorFor(target.secrets()));
  },
});

export { expect };
