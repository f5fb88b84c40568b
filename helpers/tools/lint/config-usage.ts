/**
 * Which secrets and `envs` the flows read, and which ones the deployment provides to Kestra
 * (`SECRET_<NAME>` / `ENV_<NAME>` on the Kestra service of the compose file) and documents in
 * `.env.example`.
 */
import type { LintContext, Deployment } from './rule-context.js';
import type { FlowModel } from './flow-model.js';
import type { FlowTemplate } from './templates.js';
import type { Entry } from './compose-model.js';
import { pebble } from './pebble-adapter.js';
import { variableReferences } from '../../kestra-model/compose-variables.js';

export interface ConfigUse {
  flow: FlowModel;
  template: FlowTemplate;
  name: string;
  offset: number;
}

export function secretUses(ctx: LintContext, flow: FlowModel): ConfigUse[] {
  const out: ConfigUse[] = [];
  for (const t of ctx.templates(flow)) {
    if (!t.ast) continue;
    for (const c of pebble.functionCalls(t.ast)) {
      if (c.name === 'secret' && typeof c.args[0] === 'string') out.push({ flow, template: t, name: c.args[0], offset: c.offset });
    }
  }
  return out;
}

export function envUses(ctx: LintContext, flow: FlowModel): ConfigUse[] {
  const out: ConfigUse[] = [];
  for (const t of ctx.templates(flow)) {
    if (!t.ast) continue;
    for (const r of pebble.referencedPaths(t.ast)) {
      if (r.root === 'envs' && typeof r.path[0] === 'string' && r.path[0] !== '*') out.push({ flow, template: t, name: r.path[0], offset: r.offset });
    }
  }
  return out;
}

/** The environment entry of the Kestra service that provides a variable, if any. */
export function providedEntry(dep: Deployment, variable: string): Entry | undefined {
  return dep.compose?.kestra?.environment.find((e) => e.key === variable);
}

/** Does the Kestra service load an env_file (then documented variables count as provided)? */
export function usesEnvFile(dep: Deployment): boolean {
  return (dep.compose?.kestra?.envFiles.length ?? 0) > 0;
}

/** Is a variable documented: itself in .env.example, or every variable its compose value reads (`${VAR}`, `$VAR`; Compose's syntax)? */
export function isDocumented(dep: Deployment, variable: string): boolean {
  // No .env.example: unknown, not undocumented (the engine says once that the file is missing).
  if (!dep.envExample) return true;
  if (dep.envExample.has(variable)) return true;
  const entry = providedEntry(dep, variable);
  const refs = variableReferences(entry?.value ?? '').map((r) => r.name);
  return refs.length > 0 && refs.every((r) => dep.envExample!.has(r));
}
