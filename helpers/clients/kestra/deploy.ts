/**
 * Flows: source, validation (also one source with its raw answer, and the plugins' flow schema,
 * for lint --server), deployment of a namespace.
 *
 * Deployment never deletes. Default strategy `per-flow`: validate all (deploy nothing if one is
 * invalid), then for each flow `GET /flows/{ns}/{id}` → `PUT` it (exists) or `POST /flows` (new).
 * Why not the per-namespace upload by default: `POST /flows/{namespace}` deletes every flow of the
 * namespace missing from the body unless `delete=false` (server default TRUE), and splits the body
 * on any `---`. It is available as `namespace-bulk`, always with `delete=false`. The tenant-wide
 * `POST /flows/bulk` is unreachable (routes.ts guard).
 * Caveat of both: Kestra has no transaction — a failure mid-way leaves earlier flows deployed.
 */
import { z } from 'zod';
import { requireText, type ApiContext } from './api-context.js';
import { KestraHttpError, KestraResponseShapeError, KestraUsageError, KestraValidationError } from './errors.js';
import {
  assertNoLineSeparator, assertNoTripleDash, inspectFlowSource, normaliseSource, toValidationResult,
  type FlowSource, type FlowValidationResult,
} from './flows.js';
import { apiPrefix, routes } from './routes.js';
import { FlowSchema, FlowWithSourceSchema, ValidationResponseSchema, type FlowWithSource, type ValidateConstraintViolation } from './schemas.js';
import { parseJsonBody } from './parse.js';
import type { DeployedFlow, DeployOptions, DeployResult } from './types.js';

const YAML = 'application/x-yaml';

/** `GET /flows/{namespace}/{id}?source=true`. */
export function getFlowSource(ctx: ApiContext, namespace: string, id: string): Promise<FlowWithSource> {
  requireText(namespace, 'namespace');
  requireText(id, 'flow id');
  return ctx.api(FlowWithSourceSchema, (prefix) => ({
    method: 'GET', path: routes.flow(prefix, namespace, id), query: new URLSearchParams({ source: 'true' }), retryClass: 'idempotent',
  }));
}

/**
 * `POST /flows/validate` (YAML body). A string is sent as-is; an array is joined with `---`
 * after checking no source would be cut by Kestra's split.
 */
export async function validateFlows(ctx: ApiContext, yaml: string | readonly string[]): Promise<FlowValidationResult[]> {
  let body: string;
  if (typeof yaml === 'string') {
    body = yaml;
  } else {
    const sources = yaml.map((y) => ({ source: normaliseSource(y) }));
    sources.forEach((s, i) => assertNoLineSeparator(s, `flow source #${i}`));
    body = sources.map((s) => s.source).join('\n---\n');
  }
  const raw = await ctx.api(ValidationResponseSchema, (prefix) => ({
    method: 'POST', path: routes.flowValidate(prefix), body, contentType: YAML, retryClass: 'idempotent',
  }));
  return raw.map(toValidationResult);
}

/** One flow source as the server validates it: its answer as sent (lint --server reads `constraints` whole). */
export async function validateFlowSource(ctx: ApiContext, source: string): Promise<ValidateConstraintViolation | undefined> {
  const raw = await ctx.api(ValidationResponseSchema, (prefix) => ({
    method: 'POST', path: routes.flowValidate(prefix), body: source, contentType: YAML, retryClass: 'idempotent',
  }));
  return raw[0];
}

/** `GET /api/v1/plugins/schemas/flow`: the flow JSON Schema (draft 7) of the installed plugins. */
export async function flowSchema(ctx: ApiContext): Promise<unknown> {
  const res = await ctx.transport.send({ method: 'GET', path: routes.flowSchema(), retryClass: 'idempotent' });
  return parseJsonBody(z.unknown(), res, ctx.redactor);
}

async function flowExists(ctx: ApiContext, flow: FlowSource): Promise<boolean> {
  try {
    await ctx.api(FlowSchema, (prefix) => ({ method: 'GET', path: routes.flow(prefix, flow.namespace, flow.id), retryClass: 'idempotent' }));
    return true;
  } catch (err) {
    if (err instanceof KestraHttpError && err.status === 404) return false;
    throw err;
  }
}

function inspectAll(namespace: string, flowsYaml: readonly string[], opts: DeployOptions): FlowSource[] {
  requireText(namespace, 'namespace');
  if ((opts as { delete?: unknown }).delete !== undefined && opts.delete !== false) {
    throw new KestraUsageError('deployNamespace refuses delete=true: this client never deletes flows');
  }
  const flows = flowsYaml.map((y, i) => inspectFlowSource(y, i));
  for (const f of flows) {
    if (f.namespace !== namespace) throw new KestraUsageError(`flow ${f.id} is in namespace ${f.namespace}, not ${namespace}`);
  }
  const ids = flows.map((f) => f.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new KestraUsageError(`flow id ${dup} appears twice in the ${namespace} deployment`);
  if (opts.strategy === 'namespace-bulk') flows.forEach((f) => assertNoTripleDash(f, `flow ${f.id}`));
  return flows;
}

async function validateAll(ctx: ApiContext, namespace: string, flows: FlowSource[]): Promise<FlowValidationResult[]> {
  const validation = await validateFlows(ctx, flows.map((f) => f.source));
  if (validation.length !== flows.length) {
    throw new KestraResponseShapeError('POST', routes.flowValidate(apiPrefix(ctx.resolver.current() ?? 'tenant', ctx.tenant)), [
      { path: '(root)', problem: `expected ${flows.length} validation results, got ${validation.length}` },
    ]);
  }
  const invalid = validation
    .map((v, i) => ({ flow: `${namespace}.${flows[i]?.id ?? v.flow ?? `#${i}`}`, violations: v.violations }))
    .filter((v) => v.violations.length > 0);
  if (invalid.length > 0) throw new KestraValidationError(namespace, invalid);
  return validation;
}

function deployed(f: { id: string; namespace: string; revision?: number | null | undefined }, action: DeployedFlow['action']): DeployedFlow {
  return { id: f.id, namespace: f.namespace, ...(f.revision != null ? { revision: f.revision } : {}), action };
}

export async function deployNamespace(
  ctx: ApiContext, namespace: string, flowsYaml: readonly string[], opts: DeployOptions = {},
): Promise<DeployResult> {
  const strategy = opts.strategy ?? 'per-flow';
  const flows = inspectAll(namespace, flowsYaml, opts);
  if (flows.length === 0) return { namespace, strategy, flows: [], validation: [] };
  const validation = opts.validate === false ? [] : await validateAll(ctx, namespace, flows);
  const result: DeployedFlow[] = [];

  if (strategy === 'namespace-bulk') {
    const saved = await ctx.api(z.array(FlowSchema), (prefix) => ({
      method: 'POST', path: routes.namespaceFlows(prefix, namespace), query: new URLSearchParams({ delete: 'false' }),
      body: flows.map((f) => f.source).join('\n---\n'), contentType: YAML, retryClass: 'idempotent',
    }));
    for (const f of saved) {
      result.push(deployed(f, 'upserted'));
      ctx.emit({ type: 'deploy', namespace, flowId: f.id, action: 'upserted' });
    }
    return { namespace, strategy, flows: result, validation };
  }

  for (const flow of flows) {
    const exists = await flowExists(ctx, flow);
    const saved = await ctx.api(FlowSchema, (prefix) => exists
      ? { method: 'PUT', path: routes.flow(prefix, flow.namespace, flow.id), body: flow.source, contentType: YAML, retryClass: 'idempotent' }
      // Creation is not idempotent (a retry after a lost answer would hit "already exists").
      : { method: 'POST', path: routes.flowCreate(prefix), body: flow.source, contentType: YAML, retryClass: 'unsafe' });
    const action = exists ? 'updated' : 'created';
    result.push(deployed(saved, action));
    ctx.emit({ type: 'deploy', namespace, flowId: saved.id, action });
  }
  return { namespace, strategy, flows: result, validation };
}
