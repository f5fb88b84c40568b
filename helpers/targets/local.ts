/**
 * The `local` target: the embedded stand-in stack (Kestra, Notion, Resend on loopback) running this
 * repository's flows on a virtual clock, so days of scheduled emails pass in milliseconds.
 */
import type { Dispatcher } from 'undici';
import { createKestraClient } from '../clients/kestra/index.js';
import { NotionReadBack } from '../clients/notion/read-back.js';
import { startLocalStack, type LocalStack } from '../standins/stack.js';
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
  return localTargetFor(stack, { timing, ownsStack: true });
}

/** A target over a running stack; `ownsStack: false` leaves stopping it to the caller. */
export function localTargetFor(stack: LocalStack, options: { timing?: TimingMode; ownsStack: boolean; dispatcher?: Dispatcher }): Target {
  const timing = options.timing ?? 'production';
  const auth = stack.credentials.kestra || undefined;
  const kestra = createKestraClient({ baseUrl: stack.kestra.url, auth, ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}) });
  return {
    name: 'local',
    timing,
    kestra,
    webhookKey: (webhook) => stack.webhookKeys[webhook],
    notion: new NotionReadBack({ token: stack.notion.token, dataSourceIds: { ...stack.notion.dataSourceIds }, baseUrl: stack.notion.url }),
    clock: {
      now: () => stack.kestra.clock.now(),
      advance: async (ms) => {
        await stack.kestra.clock.advance({ ms });
        await stack.kestra.settle();
      },
      settle: () => stack.kestra.settle(),
    },
    outbox: outboxOf(stack.resend),
    faults: faultsOf(stack.notion, stack.resend),
    secrets: () => [...Object.values(stack.webhookKeys), stack.notion.token, stack.resend.apiKey, ...(auth ? basicAuthSecrets(auth) : [])],
    async describe() {
      const version = await kestra.version().catch(() => undefined);
      return { target: 'local', kestra: `embedded stand-in ${version?.version ?? ''}`.trim(), timing, clock: 'virtual' };
    },
    stop: options.ownsStack ? () => stack.stop() : async () => {},
  };
}
