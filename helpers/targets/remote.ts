/**
 * The `remote` target: a running Kestra (production or staging) from the environment. Notion
 * read-back is on when NOTION_TOKEN and the four data source ids are set; emails are read back
 * through Resend's API by id when RESEND_API_KEY is set (see helpers/clients/resend/read-back.ts).
 */
import { createKestraClient } from '../clients/kestra/index.js';
import { NotionReadBack } from '../clients/notion/read-back.js';
import { optionalVar, requiredVar, isTrue, ConfigError } from '../config/env.js';
import { NOTION_DATABASE_KEYS, type WebhookName } from '../spec/index.js';
import type { Target } from './types.js';
import { basicAuthSecrets } from './basic-auth.js';

export { KEY_VARIABLE, DATA_SOURCE_VARIABLE } from '../config/remote-variables.js';
import { DATA_SOURCE_VARIABLE, KEY_VARIABLE } from '../config/remote-variables.js';

/**
 * Every variable the remote target's specs need, from what is set: Kestra's URL and credentials,
 * the five webhook keys, and — once NOTION_TOKEN turns Notion read-back on — the four data source ids.
 */
export function remoteTargetVariables(env: NodeJS.ProcessEnv = process.env): string[] {
  const notion = optionalVar('NOTION_TOKEN', env) ? NOTION_DATABASE_KEYS.map((k) => DATA_SOURCE_VARIABLE[k]) : [];
  return ['KESTRA_URL', 'KESTRA_USERNAME', 'KESTRA_PASSWORD', ...Object.values(KEY_VARIABLE), ...notion];
}

export function remoteNotionReadBack(env: NodeJS.ProcessEnv = process.env): NotionReadBack | null {
  const token = optionalVar('NOTION_TOKEN', env);
  if (!token) return null;
  const ids = Object.fromEntries(NOTION_DATABASE_KEYS.map((k) => [k, requiredVar(DATA_SOURCE_VARIABLE[k], env)])) as Record<(typeof NOTION_DATABASE_KEYS)[number], string>;
  // NOTION_API_URL points the read-back at another Notion (a stand-in: smoke:prod offline on stack:local).
  const baseUrl = optionalVar('NOTION_API_URL', env);
  return new NotionReadBack({ token, dataSourceIds: ids, ...(baseUrl ? { baseUrl } : {}) });
}

export async function startRemoteTarget(env: NodeJS.ProcessEnv = process.env): Promise<Target> {
  const baseUrl = requiredVar('KESTRA_URL', env);
  const username = requiredVar('KESTRA_USERNAME', env);
  const password = requiredVar('KESTRA_PASSWORD', env);
  const keys = Object.fromEntries(Object.entries(KEY_VARIABLE).map(([w, v]) => [w, optionalVar(v, env)])) as Record<WebhookName, string | undefined>;
  const kestra = createKestraClient({ baseUrl, auth: { username, password } });
  const notion = remoteNotionReadBack(env);
  return {
    name: 'remote',
    timing: isTrue(optionalVar('KESTRA_TESTING_MODE', env)) ? 'testing' : 'production',
    kestra,
    webhookKey(webhook) {
      const key = keys[webhook];
      if (!key) throw new ConfigError(`${KEY_VARIABLE[webhook]} is not set — needed to fire the ${webhook} webhook on the remote target`);
      return key;
    },
    notion,
    clock: { now: () => new Date() },
    outbox: null,
    faults: null,
    secrets: () => [...basicAuthSecrets({ username, password }), ...Object.values(keys).filter((k): k is string => !!k), optionalVar('NOTION_TOKEN', env) ?? '', optionalVar('RESEND_API_KEY', env) ?? ''].filter(Boolean),
    async describe() {
      const version = await kestra.version().catch(() => undefined);
      return { target: 'remote', kestraUrl: baseUrl, kestraVersion: version?.version ?? 'unknown', notionReadBack: notion ? 'on' : 'off' };
    },
    async stop() {},
  };
}
