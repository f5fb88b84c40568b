/**
 * The embedded stack: Notion, Resend and Kestra stand-ins on free loopback ports, wired together
 * the way a deployment wires the real services — Kestra gets the webhook keys, the Notion token,
 * the data source ids and the Resend key as `SECRET_<NAME>` (base64) entries, and the API base
 * URLs as `ENV_NOTION_API_URL` / `ENV_RESEND_API_URL` — then the repository's flows are deployed.
 * Secrets are random per stack, so nothing here is a credential anywhere else.
 *
 *   const stack = await startLocalStack({ testingMode: false, retryDelayScale: 0.001 });
 *   await fetch(stack.webhooks.assessment, { method: 'POST', headers: {'content-type': 'application/json'}, body });
 *   await stack.kestra.settle();
 *   await stack.kestra.clock.advance({ hours: 120 });
 *   stack.resend.outbox();          // the four emails, subjects from the Notion templates
 *   await stack.stop();
 *
 * Speed: the Notion and Resend stand-ins' rate limits are OFF by default (each email's flows make
 * ~10 Notion calls within milliseconds; with the real limits the burst would be throttled into
 * seconds of retries). Pass `notion`/`resend` options to turn them back on.
 */
import { randomBytes } from 'node:crypto';
import { WEBHOOK_HANDLERS, webhookPath } from '../spec/endpoints.js';
import { WEBHOOK_NAMES, type WebhookName } from '../spec/sequences.js';
import { NOTION_DATABASES, NOTION_DATABASE_KEYS } from '../spec/notion-model.js';
import { startKestraStandin, secretEnv, type KestraStandin, type KestraStandinOptions } from './kestra/index.js';
import { startNotionStandin, type NotionStandin, type NotionStandinOptions } from './notion/index.js';
import { startResendStandin, type ResendStandin, type ResendStandinOptions } from './resend/index.js';

export interface LocalStackOptions {
  /** ENV_TESTING_MODE: offsets of minutes instead of hours/days (SPEC §2). Default false. */
  testingMode?: boolean;
  /** Kestra's clock: 'virtual' (default) or 'real'. */
  clock?: 'virtual' | 'real';
  /** Start of the clock, for all three stand-ins (default now). */
  startAt?: Date;
  /** Kestra task retry waits × this (default 1; tests use ~0.001). */
  retryDelayScale?: number;
  /** Basic credentials of the Kestra API (default: random), or false for none. */
  kestraAuth?: { username: string; password: string } | false;
  /** Host all three listen on (default 127.0.0.1). */
  host?: string;
  /** Fixed ports (default: free ports). */
  ports?: { kestra?: number; notion?: number; resend?: number };
  /** Extra options per stand-in (they win over the stack's). */
  kestra?: Partial<KestraStandinOptions>;
  notion?: Partial<NotionStandinOptions>;
  resend?: Partial<ResendStandinOptions>;
}

export interface LocalStack {
  kestra: KestraStandin;
  notion: NotionStandin;
  resend: ResendStandin;
  /** Full webhook URLs (tenant form), keys included. */
  webhooks: Readonly<Record<WebhookName, string>>;
  /** The webhook keys (the values of SECRET_WEBHOOK_KEY_*). */
  webhookKeys: Readonly<Record<WebhookName, string>>;
  credentials: {
    kestra: { username: string; password: string } | false;
    notionToken: string;
    resendApiKey: string;
  };
  /** The environment Kestra runs with (SECRET_* base64, ENV_*). */
  kestraEnv: Readonly<Record<string, string>>;
  /** The ONE line `npm run stack:local` prints. */
  describe(): { kestra: string; notion: string; resend: string; webhooks: Record<WebhookName, string> };
  stop(): Promise<void>;
}

const token = (prefix: string, bytes = 18) => `${prefix}${randomBytes(bytes).toString('base64url')}`;

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const host = options.host ?? '127.0.0.1';
  const startAt = options.startAt ?? new Date();
  const clockMode = options.clock ?? 'virtual';
  const notionToken = token('ntn_');
  const resendApiKey = token('re_');
  const started: { stop(): Promise<void> }[] = [];
  const stopAll = async () => {
    await Promise.allSettled(started.splice(0).reverse().map((s) => s.stop()));
  };

  try {
    // Kestra is created after the other two (it needs their URLs); until then their clock is the real one,
    // after it they follow Kestra's so created_time / Sent-at stamps match the flows' now().
    let kestraNow: () => Date = () => (clockMode === 'virtual' ? new Date(startAt) : new Date());
    const clock = () => kestraNow();
    const [notion, resend] = await Promise.all([
      startNotionStandin({ host, token: notionToken, rateLimit: false, clock, ...(options.ports?.notion !== undefined ? { port: options.ports.notion } : {}), ...options.notion }),
      startResendStandin({ host, apiKey: resendApiKey, rateLimit: false, clock, ...(options.ports?.resend !== undefined ? { port: options.ports.resend } : {}), ...options.resend }),
    ]);
    started.push(notion, resend);

    const webhookKeys = Object.fromEntries(WEBHOOK_NAMES.map((w) => [w, token('wh', 16)])) as Record<WebhookName, string>;
    const secrets: Record<string, string> = {
      NOTION_TOKEN: notion.token,
      RESEND_API_KEY: resend.apiKey,
    };
    for (const key of NOTION_DATABASE_KEYS) secrets[NOTION_DATABASES[key].dataSourceSecret] = notion.dataSourceIds[key];
    for (const w of WEBHOOK_NAMES) secrets[WEBHOOK_HANDLERS[w].keySecret] = webhookKeys[w];
    const kestraEnv: Record<string, string> = {
      ...secretEnv(secrets),
      ENV_NOTION_API_URL: notion.url,
      ENV_RESEND_API_URL: resend.url,
      ENV_TESTING_MODE: options.testingMode ? 'true' : 'false',
    };
    const auth = options.kestraAuth === undefined ? { username: 'harness@stack.local', password: token('pw-', 12) } : options.kestraAuth;
    const kestra = await startKestraStandin({
      host,
      env: kestraEnv,
      auth,
      clock: clockMode,
      startAt,
      ...(options.retryDelayScale !== undefined ? { retryDelayScale: options.retryDelayScale } : {}),
      ...(options.ports?.kestra !== undefined ? { port: options.ports.kestra } : {}),
      ...options.kestra,
    });
    started.push(kestra);
    kestraNow = () => kestra.clock.now();

    const webhooks = Object.fromEntries(WEBHOOK_NAMES.map((w) => [w, `${kestra.url}${webhookPath(WEBHOOK_HANDLERS[w], webhookKeys[w])}`])) as Record<WebhookName, string>;
    return {
      kestra,
      notion,
      resend,
      webhooks,
      webhookKeys,
      credentials: { kestra: auth, notionToken: notion.token, resendApiKey: resend.apiKey },
      kestraEnv,
      describe: () => ({ kestra: kestra.url, notion: notion.url, resend: resend.url, webhooks: { ...webhooks } }),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
