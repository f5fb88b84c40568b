/**
 * Every environment variable the harness reads, with its purpose and who needs it. `.env.example`
 * documents exactly these (a unit test keeps the two in step); `env.ts` validates them.
 */
import { z } from 'zod';

export type TargetName = 'local' | 'container' | 'remote';
export const TARGET_NAMES: readonly TargetName[] = ['local', 'container', 'remote'];

export interface VariableDoc {
  name: string;
  purpose: string;
  example: string;
  /** Which targets or commands need it ('all' = read everywhere, optional unless stated). */
  neededBy: string;
  secret: boolean;
  schema: z.ZodType<unknown>;
}

const url = z.url({ error: 'must be an absolute URL, e.g. https://host' });
const text = z.string().min(1, { error: 'must not be empty' });
const flag = z.enum(['true', 'false', '1', '0'], { error: 'must be true or false' });

export const HARNESS_VARIABLES: readonly VariableDoc[] = [
  { name: 'HARNESS_TARGET', purpose: 'Target the e2e specs run against', example: 'local', neededBy: 'all (default local)', secret: false, schema: z.enum(['local', 'container', 'remote'], { error: 'must be local, container or remote' }) },
  { name: 'CHROMIUM_PATH', purpose: 'Chromium executable for Playwright and Puppeteer (default: /usr/bin/chromium, else Playwright\'s own)', example: '/usr/bin/chromium', neededBy: 'funnel specs', secret: false, schema: text },
  { name: 'FUNNEL_ALLOW_PRODUCTION', purpose: 'Opt in to driving the production website (funnel probe and specs); refused otherwise', example: 'false', neededBy: 'funnel:probe / funnel specs against production', secret: false, schema: flag },
  { name: 'KESTRA_URL', purpose: 'Base URL of a running Kestra', example: 'https://kestra.galatek.dev', neededBy: 'remote target, smoke, gate, lint --server', secret: false, schema: url },
  { name: 'NOTION_API_URL', purpose: 'Notion API base URL the harness reads through (default https://api.notion.com; a stand-in to run the smoke offline)', example: 'https://api.notion.com', neededBy: 'remote target, smoke:prod (optional)', secret: false, schema: url },
  { name: 'RESEND_API_URL', purpose: 'Resend API base URL the harness reads through (default https://api.resend.com; a stand-in to run the smoke offline)', example: 'https://api.resend.com', neededBy: 'smoke:prod (optional)', secret: false, schema: url },
  { name: 'KESTRA_USERNAME', purpose: 'Kestra basic-auth user (an email address in Kestra >= 0.24)', example: 'admin@example.com', neededBy: 'remote target, smoke, gate, lint --server', secret: false, schema: text },
  { name: 'KESTRA_PASSWORD', purpose: 'Kestra basic-auth password', example: 'change-me', neededBy: 'remote target, smoke, gate, lint --server', secret: true, schema: text },
  { name: 'KESTRA_WEBHOOK_KEY_SIGNUP', purpose: 'Webhook key of signup-handler on the remote Kestra', example: 'replace-with-random-key', neededBy: 'remote target', secret: true, schema: text },
  { name: 'KESTRA_WEBHOOK_KEY_ASSESSMENT', purpose: 'Webhook key of assessment-handler on the remote Kestra', example: 'replace-with-random-key', neededBy: 'remote target', secret: true, schema: text },
  { name: 'KESTRA_WEBHOOK_KEY_NOSHOW', purpose: 'Webhook key of noshow-recovery-handler on the remote Kestra', example: 'replace-with-random-key', neededBy: 'remote target', secret: true, schema: text },
  { name: 'KESTRA_WEBHOOK_KEY_POSTCALL', purpose: 'Webhook key of postcall-maybe-handler on the remote Kestra', example: 'replace-with-random-key', neededBy: 'remote target', secret: true, schema: text },
  { name: 'KESTRA_WEBHOOK_KEY_ONBOARDING', purpose: 'Webhook key of onboarding-handler on the remote Kestra', example: 'replace-with-random-key', neededBy: 'remote target', secret: true, schema: text },
  { name: 'KESTRA_TESTING_MODE', purpose: 'Whether the remote Kestra runs with testing-mode offsets (minutes instead of hours)', example: 'false', neededBy: 'remote target', secret: false, schema: flag },
  { name: 'NOTION_TOKEN', purpose: 'Notion integration token for read-back checks', example: 'ntn_xxx', neededBy: 'remote target (optional), smoke', secret: true, schema: text },
  { name: 'NOTION_CONTACTS_DATA_SOURCE_ID', purpose: 'Notion data source id of Contacts', example: '00000000-0000-0000-0000-000000000001', neededBy: 'remote target (optional), smoke', secret: false, schema: text },
  { name: 'NOTION_TEMPLATES_DATA_SOURCE_ID', purpose: 'Notion data source id of Templates', example: '00000000-0000-0000-0000-000000000002', neededBy: 'remote target (optional), smoke', secret: false, schema: text },
  { name: 'NOTION_TRACKER_DATA_SOURCE_ID', purpose: 'Notion data source id of Sequence Tracker', example: '00000000-0000-0000-0000-000000000003', neededBy: 'remote target (optional), smoke', secret: false, schema: text },
  { name: 'NOTION_ANALYTICS_DATA_SOURCE_ID', purpose: 'Notion data source id of Analytics', example: '00000000-0000-0000-0000-000000000004', neededBy: 'remote target (optional), smoke', secret: false, schema: text },
  { name: 'RESEND_API_KEY', purpose: 'Resend API key for reading back sent emails', example: 're_xxx', neededBy: 'remote target (optional), smoke', secret: true, schema: text },
  { name: 'DOKPLOY_URL', purpose: 'Base URL of the Dokploy panel (API under /api)', example: 'https://dokploy.galatek.dev', neededBy: 'gate (production)', secret: false, schema: url },
  { name: 'DOKPLOY_API_KEY', purpose: 'Dokploy API key, sent as x-api-key', example: 'dokploy_xxx', neededBy: 'gate (production)', secret: true, schema: text },
  { name: 'DOKPLOY_COMPOSE_ID', purpose: 'Id of the Dokploy compose service running Kestra', example: 'a1B2c3D4e5F6g7H8i9J0k', neededBy: 'gate (production)', secret: false, schema: text },
  { name: 'GATE_ALLOW_PRODUCTION', purpose: 'Same as gate --production: allow the Dokploy deploy and production calls', example: 'false', neededBy: 'gate (optional)', secret: false, schema: flag },
  { name: 'SMOKE_ALERT_WEBHOOK_URL', purpose: 'Webhook POSTed {"text"} after N consecutive failed smoke runs', example: 'https://hooks.example.com/services/XXXX', neededBy: 'smoke:prod (optional)', secret: true, schema: url },
  { name: 'SMOKE_ALERT_AFTER', purpose: 'Consecutive failed smoke runs before alerting (default 2)', example: '2', neededBy: 'smoke:prod (optional)', secret: false, schema: z.string().regex(/^[1-9]\d{0,3}$/, { error: 'must be a whole number from 1 to 9999' }) },
  { name: 'SMOKE_LEDGER_FILE', purpose: 'Email ledger path (default reports/smoke-ledger.json)', example: 'reports/smoke-ledger.json', neededBy: 'smoke:prod (optional)', secret: false, schema: text },
  { name: 'SMOKE_ALERT_STATE_FILE', purpose: 'Failure-streak file (default reports/smoke-alert-state.json)', example: 'reports/smoke-alert-state.json', neededBy: 'smoke:prod (optional)', secret: false, schema: text },
  // Set by the shell or CI; read directly where they matter (documented here so .env.example lists them).
  { name: 'DOCKER_HOST', purpose: 'Docker engine for the container target (testcontainers)', example: 'unix:///var/run/docker.sock', neededBy: 'container target (optional)', secret: false, schema: text },
  { name: 'CI', purpose: 'CI run: report history "ci", line reporter, test.only refused, 2 workers', example: 'true', neededBy: 'npm test, report (optional)', secret: false, schema: text },
  { name: 'NO_COLOR', purpose: 'No colours in lint output', example: '1', neededBy: 'lint (optional)', secret: false, schema: text },
  ...(['GITHUB_SHA', 'CI_COMMIT_SHA', 'GIT_COMMIT', 'COMMIT_SHA'] as const).map((name) => ({ name, purpose: 'The commit a report names when git is not available', example: '0123456789abcdef', neededBy: 'report (optional)', secret: false, schema: text })),
  ...(['GITHUB_SERVER_URL', 'GITHUB_REPOSITORY', 'GITHUB_RUN_ID'] as const).map((name) => ({ name, purpose: "GitHub Actions run the smoke's alert links to", example: 'x', neededBy: 'smoke:prod (optional)', secret: false, schema: text })),
];
