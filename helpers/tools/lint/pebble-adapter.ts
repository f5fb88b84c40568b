/**
 * The one place the linter touches helpers/kestra-model/pebble (the Pebble parser and analysis shared with
 * the Kestra stand-in). Rules go through this interface, so a change in that module's surface
 * is absorbed here.
 */
import * as engine from '../../kestra-model/pebble/index.js';
import type { TemplateAst } from '../../kestra-model/pebble/ast.js';

export type { TemplateAst, TemplateNode, Expr, Args } from '../../kestra-model/pebble/ast.js';

export interface ReferencedPath {
  root: string;
  /** Static attribute chain after the root; dynamic subscripts are '*'. */
  path: (string | number)[];
  /** 0-based offset of the root in the template source. */
  offset: number;
  /** Left of `??`/`???`, input of `is defined` or `default`: an undefined value is tolerated. */
  guarded: boolean;
}

export interface FunctionCall {
  name: string;
  /** Literal arguments as values; anything else is an opaque object. */
  args: unknown[];
  offset: number;
}

export interface TemplateUsage {
  functions: { name: string; offset: number }[];
  filters: { name: string; offset: number }[];
  tests: { name: string; offset: number }[];
  tags: { name: string; offset: number }[];
}

export interface SupportedFeatures {
  filters: readonly string[];
  functions: readonly string[];
  tests: readonly string[];
  tags: readonly string[];
}

export interface PebbleAdapter {
  /** Throws an error with `offset` (0-based) and `pebbleMessage` on a syntax error. */
  parseTemplate(source: string): TemplateAst;
  referencedPaths(ast: TemplateAst): ReferencedPath[];
  functionCalls(ast: TemplateAst): FunctionCall[];
  usage(ast: TemplateAst): TemplateUsage;
  /** Kestra's truthiness of a rendered string (TruthUtils). */
  isTruthy(rendered: string): boolean;
  /** What the local Kestra stand-in's Pebble implements. */
  exportsSupported: SupportedFeatures;
}

/** Several rules ask the same questions of the same template: answer each once per AST. */
function memo<R>(fn: (ast: TemplateAst) => R): (ast: TemplateAst) => R {
  const cache = new WeakMap<TemplateAst, R>();
  return (ast) => {
    let r = cache.get(ast);
    if (r === undefined) {
      r = fn(ast);
      cache.set(ast, r);
    }
    return r;
  };
}

const usage = memo((ast) => engine.usage(ast));

export const pebble: PebbleAdapter = {
  parseTemplate: (source) => engine.parseTemplate(source),
  referencedPaths: memo((ast) => engine.referencedPaths(ast)),
  functionCalls: (ast) => usage(ast).functions,
  usage,
  isTruthy: (rendered) => engine.isTruthy(rendered),
  exportsSupported: engine.exportsSupported,
};
