/** What a target built on the Notion/Resend stand-ins exposes to specs: the outbox and fault injection. */
import { Client, LogLevel } from '@notionhq/client';
import { NOTION_VERSION } from '../spec/index.js';
import type { NotionStandin } from '../standins/notion/index.js';
import type { ResendStandin } from '../standins/resend/index.js';
import type { SentEmail, TargetFaults } from './types.js';

export function outboxOf(resend: ResendStandin): () => Promise<SentEmail[]> {
  return async () =>
    resend.outbox().map((e): SentEmail => ({
      id: e.id, from: e.from, to: e.to, subject: e.subject, html: e.html ?? undefined, text: e.text ?? undefined,
      tags: e.tags, idempotencyKey: e.idempotencyKey ?? undefined, createdAt: e.createdAt,
    }));
}

export function faultsOf(notion: NotionStandin, resend: ResendStandin): TargetFaults {
  const client = new Client({ auth: notion.token, baseUrl: notion.url, notionVersion: NOTION_VERSION, logLevel: LogLevel.ERROR });
  /** Template pages changed by templateUnusable, to put back on clear(). */
  const changed = new Set<string>();
  return {
    notion: (spec) => void notion.injectFault(spec as Parameters<NotionStandin['injectFault']>[0]),
    resend: (spec) => void resend.injectFault(spec as Parameters<ResendStandin['injectFault']>[0]),
    async templateUnusable(templateName, how) {
      const page = notion.pages('templates').find((row) => row['Template Name'] === templateName);
      if (!page) throw new Error(`the Notion stand-in has no template "${templateName}"`);
      changed.add(page.id);
      await client.pages.update(how === 'trashed' ? { page_id: page.id, in_trash: true } : { page_id: page.id, properties: { Active: { checkbox: false } } });
    },
    async clear() {
      notion.clearFaults();
      resend.clearFaults();
      for (const id of changed) await client.pages.update({ page_id: id, in_trash: false, properties: { Active: { checkbox: true } } });
      changed.clear();
    },
  };
}
