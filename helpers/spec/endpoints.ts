/** SPEC §8–§9: where things live — namespaces, flows, webhook routes, public URLs. */
import type { WebhookName } from './sequences.js';

export const KESTRA_TENANT = 'main';
export const PRODUCTION_KESTRA_URL = 'https://kestra.galatek.dev';
export const PRODUCTION_NOTION_API_URL = 'https://api.notion.com';
export const PRODUCTION_RESEND_API_URL = 'https://api.resend.com';

export const FUNNEL_URLS = {
  production: 'https://sangletech.com/en/flows/businessX/dfu/xmas-a01',
  localDev: 'http://localhost:3005/en/flows/businessX/dfu/xmas-a01',
} as const;

export const NAMESPACES = {
  root: 'christmas',
  handlers: 'christmas.handlers',
  tasks: 'christmas.tasks',
} as const;

export interface WebhookHandler {
  webhook: WebhookName;
  namespace: string;
  flowId: string;
  /** Kestra secret (no SECRET_ prefix) holding this webhook's key: keys are never literals. */
  keySecret: string;
}

export const WEBHOOK_HANDLERS: Readonly<Record<WebhookName, WebhookHandler>> = {
  signup: { webhook: 'signup', namespace: NAMESPACES.handlers, flowId: 'signup-handler', keySecret: 'WEBHOOK_KEY_SIGNUP' },
  assessment: { webhook: 'assessment', namespace: NAMESPACES.handlers, flowId: 'assessment-handler', keySecret: 'WEBHOOK_KEY_ASSESSMENT' },
  noshow: { webhook: 'noshow', namespace: NAMESPACES.handlers, flowId: 'noshow-recovery-handler', keySecret: 'WEBHOOK_KEY_NOSHOW' },
  postcall: { webhook: 'postcall', namespace: NAMESPACES.handlers, flowId: 'postcall-maybe-handler', keySecret: 'WEBHOOK_KEY_POSTCALL' },
  onboarding: { webhook: 'onboarding', namespace: NAMESPACES.handlers, flowId: 'onboarding-handler', keySecret: 'WEBHOOK_KEY_ONBOARDING' },
};

/** The reusable flow every scheduled email runs as. */
export const SEND_EMAIL_FLOW = { namespace: NAMESPACES.root, flowId: 'send-email' } as const;

/**
 * The webhook route. The namespace stays dotted in one path segment (SPEC §10.2: never split it).
 * `tenantless` gives the older `/api/v1/executions/webhook/...` form, still accepted by Kestra 1.x.
 */
export function webhookPath(handler: Pick<WebhookHandler, 'namespace' | 'flowId'>, key: string, opts: { tenantless?: boolean } = {}): string {
  const prefix = opts.tenantless ? '/api/v1/executions/webhook' : `/api/v1/${KESTRA_TENANT}/executions/webhook`;
  return `${prefix}/${encodeURIComponent(handler.namespace)}/${encodeURIComponent(handler.flowId)}/${encodeURIComponent(key)}`;
}
