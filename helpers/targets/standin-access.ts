/** What a target built on the Notion/Resend stand-ins exposes to specs: the outbox and fault injection. */
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
  return {
    notion: (spec) => void notion.injectFault(spec as Parameters<NotionStandin['injectFault']>[0]),
    resend: (spec) => void resend.injectFault(spec as Parameters<ResendStandin['injectFault']>[0]),
    clear: () => {
      notion.clearFaults();
      resend.clearFaults();
    },
  };
}
