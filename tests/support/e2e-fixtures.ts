/**
 * Fixtures for the e2e specs: the target (started once per worker, per HARNESS_TARGET), a fresh
 * plus-addressed test identity per test, and a redactor for report attachments.
 */
import { test as base, expect } from '@playwright/test';
import { startTarget, targetUnavailableReason } from '../../helpers/targets/index.js';
import type { Target } from '../../helpers/targets/types.js';
import { selectedTarget } from '../../helpers/config/env.js';
import { newRunId, testIdentityFor } from '../../helpers/spec/index.js';
import { redactorFor } from '../../helpers/clients/redact.js';
import type { Redactor } from '../../helpers/clients/redact.js';
import { recordEnvironment, recordUnavailableTarget } from '../../helpers/tools/report/environment.js';

type WorkerFixtures = { targetOrReason: Target | string };
type TestFixtures = { target: Target; identity: string; redactor: Redactor };

export const test = base.extend<TestFixtures, WorkerFixtures>({
  targetOrReason: [
    async ({}, use) => {
      const name = selectedTarget();
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
    await use(targetOrReason as Target);
  },
  identity: async ({}, use) => {
    await use(testIdentityFor(newRunId()));
  },
  redactor: async ({ target }, use) => {
    await use(redactorFor(target.secrets()));
  },
});

export { expect };
