/**
 * `POST /api/v1/{tenant}/executions/webhook/{namespace}/{flowId}/{key}` (ExecutionController).
 * 200 + WebhookResponse when an execution is created; 204 when the trigger's conditions do not
 * match; 404 "Flow not found" / "Webhook not found" / "No execution triggered".
 * Retried only when no execution can have been created (see retry.ts).
 */
import { requireText, type ApiContext } from './api-context.js';
import type { SendSpec } from './http.js';
import { parseJsonBody } from './parse.js';
import { apiPrefix, routes } from './routes.js';
import { WebhookExecutionSchema } from './schemas.js';
import type { FireWebhookOptions, WebhookResult } from './types.js';

export async function fireWebhook(
  ctx: ApiContext, namespace: string, flowId: string, key: string, body: unknown, opts: FireWebhookOptions = {},
): Promise<WebhookResult> {
  requireText(namespace, 'namespace');
  requireText(flowId, 'flowId');
  requireText(key, 'webhook key');
  ctx.redactor.add(key);
  // A string is sent as-is, so tests can post malformed JSON.
  const payload = typeof body === 'string' ? body : JSON.stringify(body ?? {});
  const spec = (prefix: string): SendSpec => ({
    method: 'POST', path: routes.webhook(prefix, namespace, flowId, key), body: payload,
    contentType: 'application/json', retryClass: 'unsafe', auth: opts.withAuth ?? false,
  });
  const call = async (prefix: string): Promise<WebhookResult> => {
    const res = await ctx.transport.send(spec(prefix));
    if (res.status === 204 || res.text.trim() === '') return { status: res.status };
    return { status: res.status, execution: parseJsonBody(WebhookExecutionSchema, res, ctx.redactor) };
  };
  return opts.tenantless ? call(apiPrefix('tenantless', ctx.tenant)) : ctx.resolver.run(call);
}
