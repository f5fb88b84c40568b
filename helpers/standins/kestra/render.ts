/**
 * Rendering flow properties the way Kestra's RunContext does, on the shared Pebble engine
 * (helpers/kestra-model/pebble): a string is rendered ONCE (no recursive rendering — `vars.x` holding `{{ }}`
 * comes back raw, as in Kestra ≥ 0.14), a map has its keys and values rendered, a list each item,
 * anything else is returned as is (VariableRenderer.renderObject). An undefined variable is an
 * error (Kestra's strict mode) unless the template guards it (`??`, `is defined`, `default`).
 */
import { isTruthy as pebbleIsTruthy, render as pebbleRender, type RenderContext } from '../../kestra-model/pebble/index.js';

export interface RenderScope {
  variables: Record<string, unknown>;
  now: () => Date;
  secret: (name: string) => string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

function context(scope: RenderScope): RenderContext {
  return { variables: scope.variables, now: scope.now, secret: scope.secret, zone: 'UTC' };
}

/** Renders one string property. Strings without `{{`/`{%` are returned untouched (Kestra skips them too). */
export function renderString(template: string, scope: RenderScope): string {
  if (!template.includes('{{') && !template.includes('{%')) return template;
  return pebbleRender(template, context(scope));
}

/** RunContext.render(Object): strings rendered, maps (keys and values) and lists recursively, the rest as is. */
export function renderDeep(value: unknown, scope: RenderScope): unknown {
  if (typeof value === 'string') return renderString(value, scope);
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, scope));
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[renderString(k, scope)] = renderDeep(v, scope);
    return out;
  }
  return value;
}

/** A property that must render to text: non-strings are printed as Pebble would print them. */
export function renderText(value: unknown, scope: RenderScope): string {
  if (typeof value === 'string') return renderString(value, scope);
  if (value === undefined || value === null) return '';
  return renderString(`{{ __value }}`, { ...scope, variables: { ...scope.variables, __value: value } });
}

/** TruthUtils.isTruthy: only "false", "0", "-0" and "" are false. */
export function isTruthy(rendered: string): boolean {
  return pebbleIsTruthy(rendered);
}
