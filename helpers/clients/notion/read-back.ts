/**
 * Reads back what the flows wrote to Notion — contacts, tracker pages, analytics events — through
 * the real @notionhq/client (API 2025-09-03), against the stand-in or production alike.
 */
import { Client, LogLevel } from '@notionhq/client';
import { NOTION_VERSION, type NotionDatabaseKey, type SequenceType, type TrackerStatus } from '../../spec/index.js';
import { plainProperties, type PlainValue } from './simplify.js';

export interface NotionReadBackOptions {
  token: string;
  dataSourceIds: Record<NotionDatabaseKey, string>;
  /** Defaults to Notion's production API. */
  baseUrl?: string;
  timeoutMs?: number;
}

export interface ContactRecord {
  pageId: string;
  email: string | null;
  name: string | null;
  firstName: string | null;
  businessName: string | null;
  segment: string | null;
  lastEmailSent: string | null;
  signupDate: string | null;
  source: string | null;
}

export interface TrackerRecord {
  pageId: string;
  name: string | null;
  email: string | null;
  sequence: SequenceType | null;
  number: number | null;
  status: TrackerStatus | null;
  sentBy: 'website' | 'kestra' | null;
  scheduledFor: string | null;
  sentAt: string | null;
  resendId: string | null;
}

export interface AnalyticsRecord {
  pageId: string;
  event: string | null;
  email: string | null;
  template: string | null;
  emailNumber: number | null;
  status: string | null;
  sentBy: string | null;
  timestamp: string | null;
}

type Filter = Record<string, unknown>;
const str = (v: PlainValue | undefined) => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: PlainValue | undefined) => (typeof v === 'number' ? v : null);

export class NotionReadBack {
  readonly client: Client;

  constructor(private readonly options: NotionReadBackOptions) {
    this.client = new Client({
      auth: options.token,
      baseUrl: options.baseUrl,
      notionVersion: NOTION_VERSION,
      // Failures come back as errors the harness reports in one line; the client's own multi-line warn is noise.
      logLevel: LogLevel.ERROR,
      timeoutMs: options.timeoutMs ?? 15_000,
      retry: { maxRetries: 4, initialRetryDelayMs: 400, maxRetryDelayMs: 8_000 },
    });
  }

  /** Every page of a data source matching the filter (all result pages, trashed ones excluded by Notion). */
  async queryAll(database: NotionDatabaseKey, filter: Filter): Promise<{ id: string; properties: Record<string, PlainValue> }[]> {
    const pages: { id: string; properties: Record<string, PlainValue> }[] = [];
    let cursor: string | undefined;
    do {
      const response = await this.client.dataSources.query({
        data_source_id: this.options.dataSourceIds[database],
        filter: filter as never,
        start_cursor: cursor,
        page_size: 100,
      });
      for (const page of response.results) {
        if ('properties' in page) pages.push({ id: page.id, properties: plainProperties(page as { properties: Record<string, unknown> }) });
      }
      cursor = response.has_more ? (response.next_cursor ?? undefined) : undefined;
    } while (cursor);
    return pages;
  }

  async contacts(email: string): Promise<ContactRecord[]> {
    const pages = await this.queryAll('contacts', { property: 'Email', email: { equals: email } });
    return pages.map(({ id, properties: p }) => ({
      pageId: id,
      email: str(p.Email),
      name: str(p.Name),
      firstName: str(p['First Name']),
      businessName: str(p['Business Name']),
      segment: str(p.Segment),
      lastEmailSent: str(p['Last Email Sent']),
      signupDate: str(p['Signup Date']),
      source: str(p.Source),
    }));
  }

  async trackerPages(email: string, sequence?: SequenceType): Promise<TrackerRecord[]> {
    // Filtered on Email only: Notion refuses a select filter naming an option the Tracker does not
    // have yet (a fresh one has none), so the sequence is matched here.
    const pages = await this.queryAll('tracker', { property: 'Email', email: { equals: email } });
    return pages
      .filter(({ properties: p }) => sequence === undefined || str(p['Sequence Type']) === sequence)
      .map(({ id, properties: p }) => ({
        pageId: id,
        name: str(p.Name),
        email: str(p.Email),
        sequence: str(p['Sequence Type']) as SequenceType | null,
        number: num(p['Email Number']),
        status: str(p.Status) as TrackerStatus | null,
        sentBy: str(p['Sent By']) as 'website' | 'kestra' | null,
        scheduledFor: str(p['Scheduled For']),
        sentAt: str(p['Sent At']),
        resendId: str(p['Resend ID']),
      }))
      .sort((a, b) => `${a.sequence}${a.number}`.localeCompare(`${b.sequence}${b.number}`));
  }

  async analyticsEvents(email: string): Promise<AnalyticsRecord[]> {
    const pages = await this.queryAll('analytics', { property: 'Email', email: { equals: email } });
    return pages.map(({ id, properties: p }) => ({
      pageId: id,
      event: str(p.Event),
      email: str(p.Email),
      template: str(p.Template),
      emailNumber: num(p['Email Number']),
      status: str(p.Status),
      sentBy: str(p['Sent By']),
      timestamp: str(p.Timestamp),
    }));
  }

  /** Moves every page a test identity created to the trash (clean-up after runs). */
  async trashEverythingFor(email: string): Promise<number> {
    const ids = [
      ...(await this.contacts(email)).map((c) => c.pageId),
      ...(await this.trackerPages(email)).map((t) => t.pageId),
      ...(await this.analyticsEvents(email)).map((a) => a.pageId),
    ];
    for (const page_id of ids) await this.client.pages.update({ page_id, in_trash: true });
    return ids.length;
  }
}
