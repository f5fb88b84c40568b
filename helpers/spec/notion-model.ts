/**
 * SPEC §7: the Notion data model. Property names and types are part of the contract — a renamed
 * property is the most common production failure — so the stand-in, the flows' review and the
 * production schema check all read them from here.
 */

/** The one Notion API version the flows and the harness speak (databases hold data sources). */
export const NOTION_VERSION = '2025-09-03';

export type NotionPropertyType = 'title' | 'rich_text' | 'email' | 'select' | 'number' | 'date' | 'checkbox';

export interface NotionProperty {
  type: NotionPropertyType;
  /** For selects: the options the contract allows (empty means free-form). */
  options?: readonly string[];
}

export const NOTION_DATABASE_KEYS = ['contacts', 'templates', 'tracker', 'analytics'] as const;
export type NotionDatabaseKey = (typeof NOTION_DATABASE_KEYS)[number];

export interface NotionDatabase {
  key: NotionDatabaseKey;
  title: string;
  /** Kestra secret (without the SECRET_ prefix) holding this database's data source id. */
  dataSourceSecret: string;
  properties: Readonly<Record<string, NotionProperty>>;
}

export const NOTION_DATABASES: Readonly<Record<NotionDatabaseKey, NotionDatabase>> = {
  contacts: {
    key: 'contacts',
    title: 'Contacts',
    dataSourceSecret: 'NOTION_CONTACTS_DATA_SOURCE_ID',
    properties: {
      Name: { type: 'title' },
      Email: { type: 'email' },
      'First Name': { type: 'rich_text' },
      'Business Name': { type: 'rich_text' },
      Segment: { type: 'select', options: ['CRITICAL', 'URGENT', 'OPTIMIZE'] },
      'Last Email Sent': { type: 'date' },
      'Signup Date': { type: 'date' },
      Source: { type: 'select' },
    },
  },
  templates: {
    key: 'templates',
    title: 'Templates',
    dataSourceSecret: 'NOTION_TEMPLATES_DATA_SOURCE_ID',
    properties: {
      'Template Name': { type: 'title' },
      Subject: { type: 'rich_text' },
      Body: { type: 'rich_text' },
      'Sequence Type': { type: 'select', options: ['5day', 'noshow', 'postcall', 'onboarding'] },
      'Email Number': { type: 'number' },
      Active: { type: 'checkbox' },
    },
  },
  tracker: {
    key: 'tracker',
    title: 'Sequence Tracker',
    dataSourceSecret: 'NOTION_TRACKER_DATA_SOURCE_ID',
    properties: {
      Name: { type: 'title' },
      Email: { type: 'email' },
      'Sequence Type': { type: 'select', options: ['5day', 'noshow', 'postcall', 'onboarding'] },
      'Email Number': { type: 'number' },
      Status: { type: 'select', options: ['scheduled', 'sent', 'failed'] },
      'Sent By': { type: 'select', options: ['website', 'kestra'] },
      'Scheduled For': { type: 'date' },
      'Sent At': { type: 'date' },
      'Resend ID': { type: 'rich_text' },
    },
  },
  analytics: {
    key: 'analytics',
    title: 'Analytics',
    dataSourceSecret: 'NOTION_ANALYTICS_DATA_SOURCE_ID',
    properties: {
      Event: { type: 'title' },
      Email: { type: 'email' },
      Template: { type: 'rich_text' },
      'Email Number': { type: 'number' },
      Status: { type: 'select' },
      'Sent By': { type: 'select' },
      Timestamp: { type: 'date' },
    },
  },
};

export const TRACKER_STATUSES = ['scheduled', 'sent', 'failed'] as const;
export type TrackerStatus = (typeof TRACKER_STATUSES)[number];

/** SPEC §4.1: the tracker status that means "already sent" (send-email's idempotency check). */
export const SENT_STATUS: TrackerStatus = 'sent';
/** SPEC §5: the tracker statuses that make a sequence active (a duplicate webhook schedules nothing new). */
export const ACTIVE_STATUSES: readonly TrackerStatus[] = ['scheduled', SENT_STATUS];

/**
 * SPEC §5, duplicates at the same instant: identical webhooks that arrive together schedule ONE
 * sequence and send each email once (the handlers are serialized: Kestra's flow-level `concurrency`,
 * limit 1, behavior QUEUE). The harness checks it with this many identical webhooks fired at once.
 */
export const SIMULTANEOUS_DUPLICATES = 20;

/**
 * The select options the flows' duplicate and already-sent checks match tracker pages on. A missing
 * one is a fresh Tracker or a renamed option: either way those checks cannot see the pages, so the
 * production schema check requires every one (issue 12 item 7).
 */
export const MATCHED_SELECT_OPTIONS: readonly { database: NotionDatabaseKey; property: string; options: readonly string[] }[] = [
  { database: 'tracker', property: 'Sequence Type', options: NOTION_DATABASES.tracker.properties['Sequence Type']!.options! },
  { database: 'tracker', property: 'Status', options: ACTIVE_STATUSES },
];

/** The tracker page title for one (email, sequence, number): one page per triple (SPEC §7). */
export function trackerPageName(email: string, sequence: string, number: number): string {
  return `${sequence} #${number} ${email}`;
}
