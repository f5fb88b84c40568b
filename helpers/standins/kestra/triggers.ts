/**
 * Trigger matching: which Webhook trigger of a flow a key opens, and the execution inputs its
 * `inputs:` render to (ExecutionController#webhook, Webhook.java).
 */
import type { KestraEnvironment } from './environment.js';
import type { FlowDef, TriggerDef } from './flow.js';
import { describeViolations, resolveInputs } from './inputs.js';
import { renderDeep, renderText, type RenderScope } from './render.js';
import { flowVariables, labelMap } from './variables.js';

export const WEBHOOK_TYPE = 'io.kestra.plugin.core.trigger.Webhook';

export interface WebhookRequest {
  /** As received: the JSON/array body is parsed for `trigger.body`, anything else stays text. */
  body: unknown;
  headers: Record<string, string[]>;
  parameters: Record<string, string[]>;
}

export interface TriggerContext {
  env: KestraEnvironment;
  now: () => Date;
}

function scopeFor(ctx: TriggerContext, variables: Record<string, unknown>): RenderScope {
  return { variables, now: ctx.now, secret: (n) => ctx.env.secret(n) };
}

function baseVariables(ctx: TriggerContext, flow: FlowDef): Record<string, unknown> {
  return { flow: flowVariables(flow), envs: ctx.env.envs(), vars: flow.variables };
}

/** ExecutionController#webhook: each Webhook trigger's key is RENDERED, trimmed, compared. */
export function matchWebhookTrigger(ctx: TriggerContext, flow: FlowDef, key: string): TriggerDef | undefined {
  return flow.triggers.find((t) => {
    if (t.type !== WEBHOOK_TYPE || t.disabled) return false;
    try {
      return renderText(t.key, scopeFor(ctx, baseVariables(ctx, flow))).trim() === key;
    } catch {
      return false; // Kestra logs "Unable to render the webhook key" and ignores that trigger
    }
  });
}

/** The trigger's `trigger.*` variables for a request. */
export function webhookVariables(request: WebhookRequest): Record<string, unknown> {
  const variables: Record<string, unknown> = { headers: request.headers, parameters: request.parameters };
  if (request.body !== undefined && request.body !== null) variables.body = request.body;
  return variables;
}

export type TriggerInputs = { ok: true; values: Record<string, unknown> } | { ok: false; reason: string };

/** The trigger's `inputs:` rendered for the new execution, then read against the flow's inputs. */
export function webhookInputs(
  ctx: TriggerContext,
  flow: FlowDef,
  trigger: TriggerDef,
  execution: { id: string; startDate: Date },
  variables: Record<string, unknown>,
): TriggerInputs {
  if (!trigger.inputs) return { ok: true, values: {} };
  let rendered: unknown;
  try {
    rendered = renderDeep(trigger.inputs, scopeFor(ctx, {
      ...baseVariables(ctx, flow),
      execution: { id: execution.id, startDate: execution.startDate, originalId: execution.id },
      trigger: variables,
      labels: labelMap(flow.labels),
    }));
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  const resolved = resolveInputs(flow.inputs, rendered as Record<string, unknown>);
  if (!resolved.ok) return { ok: false, reason: describeViolations(resolved.violations) };
  return { ok: true, values: resolved.values };
}
