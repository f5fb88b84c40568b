/**
 * The `container` target as the e2e specs see it: Notion and Resend stand-ins on the host (listening
 * on all interfaces so the container reaches them), and the repository's compose file booted by
 * testcontainers in testing mode. Delivery is real: testing-mode emails go out within minutes, so
 * `clock.advance` waits in real time (with progress).
 */
import { startNotionStandin } from '../standins/notion/index.js';
import { startResendStandin } from '../standins/resend/index.js';
import { startContainerStack } from './container/index.js';
import { NotionReadBack } from '../clients/notion/read-back.js';
import type { Target } from './types.js';
import { faultsOf, outboxOf } from './standin-access.js';
import { basicAuthSecrets } from './basic-auth.js';

function log(line: string): void {
  process.stderr.write(`[container] ${line}\n`);
}

export async function startContainerTarget(): Promise<Target> {
  const notion = await startNotionStandin({ host: '0.0.0.0' });
  const resend = await startResendStandin({ host: '0.0.0.0' });
  try {
    const stack = await startContainerStack({
      notionUrl: notion.url,
      resendUrl: resend.url,
      testingMode: true,
      secrets: {
        NOTION_TOKEN: notion.token,
        NOTION_CONTACTS_DATA_SOURCE_ID: notion.dataSourceIds.contacts,
        NOTION_TEMPLATES_DATA_SOURCE_ID: notion.dataSourceIds.templates,
        NOTION_TRACKER_DATA_SOURCE_ID: notion.dataSourceIds.tracker,
        NOTION_ANALYTICS_DATA_SOURCE_ID: notion.dataSourceIds.analytics,
        RESEND_API_KEY: resend.apiKey,
      },
      onProgress: (event) => log(typeof event === 'string' ? event : JSON.stringify(event)),
    });
    log(`Kestra and PostgreSQL up in ${(stack.bootMs / 1000).toFixed(1)} s (${stack.kestraUrl})`);
    const readBack = new NotionReadBack({ token: notion.token, dataSourceIds: { ...notion.dataSourceIds }, baseUrl: notion.url });
    return {
      name: 'container',
      timing: 'testing',
      kestra: stack.kestra,
      webhookKey: (webhook) => stack.webhookKeys[webhook],
      notion: readBack,
      clock: {
        now: () => new Date(),
        advance: async (ms) => {
          const end = Date.now() + ms;
          while (Date.now() < end) {
            log(`waiting for testing-mode sends: ${Math.ceil((end - Date.now()) / 1000)} s left`);
            await new Promise((resolve) => setTimeout(resolve, Math.min(15_000, end - Date.now())));
          }
        },
      },
      outbox: outboxOf(resend),
      faults: faultsOf(notion, resend),
      secrets: () => [...Object.values(stack.webhookKeys), ...basicAuthSecrets(stack.credentials), notion.token, resend.apiKey],
      async diagnostics() {
        const logs = await stack.containerLogs();
        return { 'Kestra container log': logs.kestra, 'PostgreSQL container log': logs.postgres };
      },
      async describe() {
        const version = await stack.kestra.version().catch(() => undefined);
        return { target: 'container', kestraVersion: version?.version ?? 'unknown', bootSeconds: (stack.bootMs / 1000).toFixed(1), timing: 'testing' };
      },
      async stop() {
        await stack.stop();
        await Promise.all([notion.stop(), resend.stop()]);
      },
    };
  } catch (error) {
    await Promise.all([notion.stop(), resend.stop()]);
    throw error;
  }
}
