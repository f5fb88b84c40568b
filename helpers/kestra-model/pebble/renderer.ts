/**
 * Kestra's VariableRenderer (core/src/main/java/io/kestra/core/runners/VariableRenderer.java):
 * render once by default, raw blocks stripped at the end, recursive rendering for render().
 */
import type { Expr } from './ast.js';
import { zoneOf, type Zone } from './dates.js';
import { EvalFailure, PebbleRenderError, PebbleSyntaxError, PositionlessPebbleFailure } from './errors.js';
import { evaluateExpr, renderAst } from './evaluate.js';
import { RAW_PATTERN_SOURCE } from './lexer.js';
import { parseTemplate } from './parser.js';
import { javaRegex } from './strings.js';
import type { CallContext, RenderContext } from './types.js';
import { hasKey, isMap } from './values.js';

function makeCallContext(rc: RenderContext, renderDepth: number): CallContext {
  let zone: Zone | undefined;
  return {
    context: rc,
    defaultZone: () => (zone ??= zoneOf(rc.zone ?? 'UTC')),
    now: () => (rc.now ? rc.now() : new Date()),
    renderObject: (value, recursive) => renderObject(value, rc, recursive, renderDepth + 1),
    renderDepth,
    callLine: () => 1,
  };
}

const RAW_STRIP = javaRegex(RAW_PATTERN_SOURCE);

/** VariableRenderer.render: final `RAW_PATTERN.matcher(result).replaceAll("$2")` (group 1 here). */
export function stripRawTags(s: string): string {
  if (!s.includes('{%')) return s;
  RAW_STRIP.lastIndex = 0;
  return s.replace(RAW_STRIP, (_m, content: string) => content);
}

export const MAX_RENDERING_AMOUNT = 100;

/** VariableRenderer.render(String, variables, recursive) */
export function renderString(source: string, rc: RenderContext, recursive: boolean, renderDepth = 0): string {
  if (!source.includes('{')) return source;
  const call = makeCallContext(rc, renderDepth);
  let result = renderAst(parseTemplate(source), rc, call);
  if (recursive) {
    let current = source;
    let count = 0;
    while (result !== current) {
      if (++count > MAX_RENDERING_AMOUNT) throw new EvalFailure('Too many rendering attempts');
      current = result;
      result = current.includes('{') ? renderAst(parseTemplate(current), rc, call) : current;
    }
  }
  return stripRawTags(result);
}

/** VariableRenderer.renderObject, used by the render()/renderOnce() functions. */
function renderObject(value: unknown, rc: RenderContext, recursive: boolean, depth: number): unknown {
  try {
    if (typeof value === 'string') return renderString(value, rc, recursive, depth);
    if (Array.isArray(value)) return value.map((v) => renderObject(v, rc, recursive, depth));
    if (isMap(value)) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(value)) {
        const key = renderString(k, rc, recursive, depth);
        if (!hasKey(out, key)) out[key] = renderObject(value[k], rc, recursive, depth);
      }
      return out;
    }
    return value ?? null;
  } catch (e) {
    throw nestedFailure(e);
  }
}

/**
 * What RenderFunction throws when the nested rendering fails: VariableRenderer.renderOnce turns
 * the PebbleException into `new IllegalVariableEvaluationException(e)` (message: the exception's
 * toString(), class name first; an attribute not found keeps Kestra's own sentence), and
 * RenderFunction wraps that in `new PebbleException(e, e.getMessage())`, with no line or template
 * ("(?:?)"). Java runtime exceptions are caught by neither and pass through unchanged.
 */
function nestedFailure(e: unknown): unknown {
  if (e instanceof PebbleRenderError && e.javaException) return e;
  let message: string;
  if (e instanceof PebbleRenderError && e.kind === 'attribute-not-found') message = e.message;
  else if (e instanceof PebbleRenderError && e.kind === 'error') message = `io.pebbletemplates.pebble.error.PebbleException: ${e.message}`;
  else if (e instanceof PebbleSyntaxError) message = `io.pebbletemplates.pebble.error.ParserException: ${e.message}`;
  else if (e instanceof PebbleRenderError || e instanceof EvalFailure) message = e.message;
  else return e;
  return new PositionlessPebbleFailure(`${message} (?:?)`);
}

/** Evaluates a parsed bare expression with the same call context as templates. */
export function evaluateParsed(expr: Expr, source: string, rc: RenderContext): unknown {
  return evaluateExpr(expr, source, rc, makeCallContext(rc, 0));
}
