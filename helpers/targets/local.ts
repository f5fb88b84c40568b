/**
 * The `local` target: the embedded stand-in stack (Kestra, Notion, Resend on loopback) running this
 * repository's flows on a virtual clock, so days of scheduled emails pass in milliseconds.
 */
import { createKestraClient } from '../kestra/index.js';
import { NotionReadBack } from '../notion/read-back.js';
import { startLocalStack } from '../standins/stack.js';
import type { TimingMode } from '../spec/index.js';
import type { Target } from './types.js';
import { faultsOf, outboxOf } from './standin-access.js';
import { basicAuthSecrets } from './basic-auth.js';

export interface LocalTargetOptions {
  /** Production offsets (default) or testing-mode offsets. */
  timing?: TimingMode;
}

export async function startLocalTarget(options: LocalTargetOptions = {}): Promise<Target> {
  const timing = options.timing ?? 'production';
  // Task retry waits (PT1S…) are scaled down so outage specs take milliseconds, not seconds.
  const stack = await startLocalStack({ testingMode: timing === 'testing', retryDelayScale: 0.01 });
  const auth = stack.credentials.kestra || undefined;
  const kestra = createKestraClient({ baseUrl: stack.kestra.url, auth });
  const notion = new NotionReadBack({ token: stack.notion.token, dataSourceIds: { ...stack.notion.dataSourceIds }, baseUrl: stack.notion.url });
  return {
    name: 'local',
    timing,
    kestra,
    webhookKey: (webhook) => stack.webhookKeys[webhook],
    notion,
    clock: {
      now: () => stack.kestra.clock.now(),
      advance: async (ms) => {
        await stack.kestra.clock.advance({ ms });
        await stack.kestra.settle();
      },
    },
    outbox: outboxOf(stack.resend),
    faults: faultsOf(stack.notion, stack.resend),
    secrets: () => [...Object.values(stack.webhookKeys), stack.notion.token, stack.resend.apiKey, ...(auth ? basicAuthSecrets(auth) : [])],
    async describe() {
      const version = await kestra.version().catch(() => undefined);
      return { target: 'local', kestra: `embedded stand-in ${version?.version ?? ''}`.trim(), timing, clock: 'virtual' };
    },
    stop: () => stack.stop(),
  };
}
