/** A real `@notionhq/client` pointed at a stand-in: quiet, no automatic retries unless asked. */
import { Client, type RetryOptions } from '@notionhq/client';
import { NOTION_VERSION } from '../../spec/notion-model.js';

export function notionClientFor(standin: { url: string; token: string }, options: { retry?: RetryOptions | false; timeoutMs?: number; auth?: string } = {}): Client {
  return new Client({
    auth: options.auth ?? standin.token,
    baseUrl: standin.url,
    notionVersion: NOTION_VERSION,
    retry: options.retry ?? false,
    timeoutMs: options.timeoutMs ?? 5_000,
    logger: () => {},
  });
}
