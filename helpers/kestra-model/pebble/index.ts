/**
 * A Pebble template engine with Kestra 1.x semantics (the subset Kestra flows use).
 *
 * Two faces:
 *  - the Kestra stand-in: `render`, `evaluateExpression`, `isTruthy`;
 *  - the flow linter: `parseTemplate`, `referencedPaths`, `functionCalls`, `usage`,
 *    `exportsSupported`.
 */
import { printValue } from './evaluate.js';
import { evaluateParsed, renderString } from './renderer.js';
import { FILTERS, KNOWN_UNSUPPORTED_FILTERS } from './filters.js';
import { FUNCTIONS, KNOWN_UNSUPPORTED_FUNCTIONS } from './functions.js';
import { parseExpression, UNSUPPORTED_KNOWN_TAGS } from './parser.js';
import { TESTS } from './tests.js';
import type { RenderContext } from './types.js';
import { unbox } from './values.js';
import { FALSE_RENDERINGS } from '../catalog.js';

export type { TemplateAst, TemplateNode, Expr } from './ast.js';
export type { RenderContext } from './types.js';
export { PebbleSyntaxError, PebbleRenderError, positionAt, type RenderErrorKind } from './errors.js';
export { parseTemplate, parseExpression } from './parser.js';
export {
  referencedPaths,
  functionCalls,
  filterCalls,
  usage,
  UnknownArg,
  type VariableReference,
  type LiteralOrUnknown,
  type CallInfo,
  type UsageInfo,
} from './analysis.js';
export { parseJson, toJson } from './json.js';
export { JavaDouble } from './values.js';

/**
 * Renders a template like Kestra's `VariableRenderer.render(inline, variables)` (recursive
 * rendering off, the default): strict variables, maps/lists printed as JSON, raw blocks stripped.
 * A source without `{` is returned untouched.
 */
export function render(source: string, context: RenderContext): string {
  return renderString(source, context, false);
}

/**
 * Evaluates a bare expression (no `{{ }}`) and returns the typed result (numbers, booleans,
 * strings, lists, maps, null) — integral doubles come back as plain JS numbers.
 */
export function evaluateExpression(expr: string, context: RenderContext): unknown {
  return unbox(evaluateParsed(parseExpression(expr), expr, context));
}

/** How a value prints inside `{{ }}` in Kestra (JSON for maps/lists, Java toString otherwise). */
export function formatValue(value: unknown): string {
  return printValue(value);
}

/**
 * Kestra's `TruthUtils.isTruthy` (core/src/main/java/io/kestra/core/utils/TruthUtils.java),
 * used by the `If` task on its rendered condition: only "false", "0", "-0" and "" are false.
 */
export function isTruthy(rendered: string | null | undefined): boolean {
  return rendered !== null && rendered !== undefined && !(FALSE_RENDERINGS as readonly string[]).includes(rendered);
}

/** What this stand-in implements; anything else makes render/evaluate throw `unsupported`. */
export const exportsSupported: {
  filters: string[];
  functions: string[];
  tests: string[];
  tags: string[];
  operators: string[];
} = {
  filters: Object.keys(FILTERS).sort(),
  functions: Object.keys(FUNCTIONS).sort(),
  tests: Object.keys(TESTS).sort(),
  tags: ['filter', 'for', 'if', 'raw', 'set', 'verbatim'],
  operators: [
    'or', 'and', 'not', 'is', 'is not', 'contains', 'isIn', '==', 'equals', '!=', '<', '>', '<=', '>=',
    '+', '-', '*', '/', '%', '|', '~', '..', '??', '???', '?:',
  ],
};

/** Names Kestra 1.x knows but this stand-in does not implement (for linter messages). */
export const knownUnsupported: { filters: string[]; functions: string[]; tags: string[] } = {
  filters: [...KNOWN_UNSUPPORTED_FILTERS],
  functions: [...KNOWN_UNSUPPORTED_FUNCTIONS],
  tags: [...UNSUPPORTED_KNOWN_TAGS],
};
