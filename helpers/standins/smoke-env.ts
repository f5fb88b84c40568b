/**
 * The environment `npm run smoke:prod` (and the remote target) reads, pointing at a running
 * embedded stack — so the production smoke runs fully offline against `npm run stack:local`:
 *
 *   npm run stack:local -- --clock real --smoke-env /tmp/stack.env     # terminal 1
 *   set -a; . /tmp/stack.env; set +a
 *   npm run smoke:prod -- --production --only kestra,notion,webhooks,cleanup --kill-scheduled --no-alert
 *
 * (`--clock real`: the smoke compares execution start times with the wall clock.) The file holds
 * the stack's own random credentials, nothing of production; it is written mode 0600.
 */
import { writeFileSync } from 'node:fs';
import { NOTION_DATABASE_KEYS, WEBHOOK_NAMES } from '../spec/index.js';
import { DATA_SOURCE_VARIABLE, KEY_VARIABLE } from '../config/remote-variables.js';
import type { LocalStack } from './stack.js';

export function smokeEnvFor(stack: LocalStack): Record<string, string> {
  const env: Record<string, string> = { KESTRA_URL: stack.kestra.url };
  if (stack.credentials.kestra) {
    env.KESTRA_USERNAME = stack.credentials.kestra.username;
    env.KESTRA_PASSWORD = stack.credentials.kestra.password;
  }
  env.NOTION_API_URL = stack.notion.url;
  env.NOTION_TOKEN = stack.credentials.notionToken;
  for (const key of NOTION_DATABASE_KEYS) env[DATA_SOURCE_VARIABLE[key]] = stack.notion.dataSourceIds[key];
  env.RESEND_API_URL = stack.resend.url;
  env.RESEND_API_KEY = stack.credentials.resendApiKey;
  for (const w of WEBHOOK_NAMES) env[KEY_VARIABLE[w]] = stack.webhookKeys[w];
  return env;
}

/** `NAME='value'` lines a shell can source (single quotes escaped). */
export function envFileText(env: Readonly<Record<string, string>>): string {
  return Object.entries(env).map(([k, v]) => `${k}='${v.replace(/'/g, `'\\''`)}'\n`).join('');
}

export function writeSmokeEnvFile(stack: LocalStack, path: string): void {
  writeFileSync(path, envFileText(smokeEnvFor(stack)), { mode: 0o600 });
}
