/**
 * The environment variables that name a remote deployment's webhook keys and Notion data sources.
 * Configuration facts, so the remote target, the smoke and the stand-in stack's --smoke-env agree.
 */
import type { WebhookName } from '../spec/index.js';

export const KEY_VARIABLE: Readonly<Record<WebhookName, string>> = {
  signup: 'KESTRA_WEBHOOK_KEY_SIGNUP',
  assessment: 'KESTRA_WEBHOOK_KEY_ASSESSMENT',
  noshow: 'KESTRA_WEBHOOK_KEY_NOSHOW',
  postcall: 'KESTRA_WEBHOOK_KEY_POSTCALL',
  onboarding: 'KESTRA_WEBHOOK_KEY_ONBOARDING',
};

export const DATA_SOURCE_VARIABLE = {
  contacts: 'NOTION_CONTACTS_DATA_SOURCE_ID',
  templates: 'NOTION_TEMPLATES_DATA_SOURCE_ID',
  tracker: 'NOTION_TRACKER_DATA_SOURCE_ID',
  analytics: 'NOTION_ANALYTICS_DATA_SOURCE_ID',
} as const;
