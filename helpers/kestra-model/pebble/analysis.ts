/**
 * Static analysis of a parsed template for the flow linter: referenced variable paths, function /
 * filter / test calls with literal arguments, and tags used.
 */
import type { Args, Expr, TemplateAst, TemplateNode } from './ast.js';
import { JavaDouble } from './values.js';

export interface VariableReference {
  /** Root variable, e.g. `outputs`. */
  root: string;
  /** Static attribute chain after the root; dynamic subscripts appear as '*'. */
  path: (string | number)[];
  /** Offset of the root identifier in the template source. */
  offset: number;
  /**
   * true when an undefined value is tolerated here: left of `??`/`???`, input of `is defined`
   * / `is not defined`, or input of the `default` filter.
   */
  guarded: boolean;
}

/** A call argument that is not a literal; `source` is its text in the template. */
export class UnknownArg {
  constructor(readonly source: string) {}
}

export type LiteralOrUnknown =
  | string
  | number
  | boolean
  | null
  | LiteralOrUnknown[]
  | { [key: string]: LiteralOrUnknown }
  | UnknownArg;

export interface CallInfo {
  name: string;
  args: LiteralOrUnknown[];
  named: Record<string, LiteralOrUnknown>;
  /** Offset of the function/filter/test name. */
  offset: number;
}

export interface UsageInfo {
  functions: CallInfo[];
  filters: CallInfo[];
  tests: (CallInfo & { negated: boolean })[];
  tags: { name: string; offset: number }[];
}

type Locals = Set<string>;

interface Visitor {
  expr?(e: Expr, locals: Locals, guarded: boolean): boolean | void;
  tag?(name: string, offset: number): void;
}

function walkArgs(args: Args, locals: Locals, v: Visitor, guarded: boolean): void {
  for (const a of args.positional) walkExpr(a, locals, v, guarded);
  for (const n of args.named) walkExpr(n.value, locals, v, guarded);
}

/** Pebble expressions that wrap every exception of their operands (AddExpression, EqualsExpression…). */
const WRAPPING_OPERATORS = new Set(['==', '!=', '+', '-', '*', '/', '%']);

/**
 * `guarded` is true while an AttributeNotFoundException raised here would be caught: left of
 * `??`/`???`, input of `is defined` / `default`, propagated through everything that does not
 * re-wrap exceptions.
 */
function walkExpr(e: Expr, locals: Locals, v: Visitor, guarded: boolean): void {
  if (v.expr?.(e, locals, guarded) === false) return;
  switch (e.kind) {
    case 'list':
      e.items.forEach((x) => walkExpr(x, locals, v, guarded));
      break;
    case 'map':
      e.entries.forEach(({ key, value }) => {
        walkExpr(key, locals, v, guarded);
        walkExpr(value, locals, v, guarded);
      });
      break;
    case 'attr':
      walkExpr(e.object, locals, v, guarded);
      if (e.computed) walkExpr(e.attribute, locals, v, guarded);
      if (e.args) walkArgs(e.args, locals, v, guarded);
      break;
    case 'unary':
      walkExpr(e.operand, locals, v, guarded);
      break;
    case 'binary': {
      const coalescing = e.op === '??' || e.op === '???';
      const operandGuard = WRAPPING_OPERATORS.has(e.op) ? false : guarded;
      walkExpr(e.left, locals, v, coalescing ? true : operandGuard);
      walkExpr(e.right, locals, v, operandGuard);
      break;
    }
    case 'filter':
      walkArgs(e.args, locals, v, guarded);
      walkExpr(e.input, locals, v, e.name === 'default' ? true : guarded);
      break;
    case 'test':
      walkArgs(e.args, locals, v, guarded);
      walkExpr(e.input, locals, v, e.name === 'defined' ? true : guarded);
      break;
    case 'call':
      walkArgs(e.args, locals, v, guarded);
      break;
    case 'ternary':
      walkExpr(e.cond, locals, v, guarded);
      walkExpr(e.then, locals, v, guarded);
      walkExpr(e.otherwise, locals, v, guarded);
      break;
    default:
      break;
  }
}

function walkNodes(nodes: TemplateNode[], locals: Locals, v: Visitor): void {
  for (const node of nodes) {
    switch (node.kind) {
      case 'print':
        walkExpr(node.expr, locals, v, false);
        break;
      case 'raw':
        v.tag?.('raw', node.start);
        break;
      case 'if':
        v.tag?.('if', node.start);
        for (const b of node.branches) {
          walkExpr(b.cond, locals, v, false);
          walkNodes(b.body, locals, v);
        }
        if (node.elseBody) walkNodes(node.elseBody, locals, v);
        break;
      case 'for': {
        v.tag?.('for', node.start);
        walkExpr(node.iterable, locals, v, false);
        const inner = new Set(locals);
        inner.add(node.variable);
        inner.add('loop');
        walkNodes(node.body, inner, v);
        if (node.elseBody) walkNodes(node.elseBody, locals, v);
        break;
      }
      case 'set':
        v.tag?.('set', node.start);
        walkExpr(node.value, locals, v, false);
        locals.add(node.name);
        break;
      case 'filterBlock':
        v.tag?.('filter', node.start);
        for (const f of node.filters) {
          v.expr?.({ kind: 'filter', input: { kind: 'literal', value: '', start: node.start, end: node.start }, name: f.name, nameStart: f.start, args: f.args, start: f.start, end: f.end }, locals, false);
          walkArgs(f.args, locals, v, false);
        }
        walkNodes(node.body, locals, v);
        break;
      default:
        break;
    }
  }
}

/** The variables a template reads (locals bound by `for`/`set` excluded). */
export function referencedPaths(ast: TemplateAst): VariableReference[] {
  const refs: VariableReference[] = [];
  walkNodes(ast.body, new Set(), {
    expr(e, locals, guarded) {
      if (e.kind === 'var') {
        if (!locals.has(e.name)) refs.push({ root: e.name, path: [], offset: e.start, guarded });
        return false;
      }
      if (e.kind !== 'attr') return true;
      // unwind the attribute chain down to its base
      const chain: Extract<Expr, { kind: 'attr' }>[] = [];
      let base: Expr = e;
      while (base.kind === 'attr') {
        chain.unshift(base);
        base = base.object;
      }
      if (base.kind !== 'var') return true;
      if (!locals.has(base.name)) {
        const path: (string | number)[] = [];
        for (const link of chain) {
          if (link.args) break; // a bean method call ends the static path
          const a = link.attribute;
          if (a.kind === 'literal' && typeof a.value === 'string') path.push(a.value);
          else if (a.kind === 'literal' && typeof a.value === 'number' && Number.isInteger(a.value)) path.push(a.value);
          else path.push('*');
        }
        refs.push({ root: base.name, path, offset: base.start, guarded });
      }
      // still visit dynamic subscripts and method arguments
      for (const link of chain) {
        if (link.computed) walkExpr(link.attribute, locals, this, guarded);
        if (link.args) walkArgs(link.args, locals, this, guarded);
      }
      return false;
    },
  });
  return refs.sort((a, b) => a.offset - b.offset);
}

function literalOf(e: Expr, source: string): LiteralOrUnknown {
  switch (e.kind) {
    case 'literal':
      return e.value instanceof JavaDouble ? e.value.value : e.value;
    case 'list':
      return e.items.map((x) => literalOf(x, source));
    case 'map': {
      const out: Record<string, LiteralOrUnknown> = {};
      for (const { key, value } of e.entries) {
        const k = literalOf(key, source);
        if (typeof k !== 'string' && typeof k !== 'number') return new UnknownArg(source.slice(e.start, e.end));
        out[String(k)] = literalOf(value, source);
      }
      return out;
    }
    case 'unary': {
      const inner = literalOf(e.operand, source);
      if (typeof inner === 'number' && e.op !== 'not') return e.op === '-' ? -inner : inner;
      return new UnknownArg(source.slice(e.start, e.end));
    }
    default:
      return new UnknownArg(source.slice(e.start, e.end));
  }
}

function callInfo(name: string, args: Args, offset: number, source: string): CallInfo {
  const named: Record<string, LiteralOrUnknown> = {};
  for (const n of args.named) named[n.name] = literalOf(n.value, source);
  return { name, args: args.positional.map((a) => literalOf(a, source)), named, offset };
}

/** Every function/filter/test call and tag in the template, sorted by source offset. */
export function usage(ast: TemplateAst): UsageInfo {
  const info: UsageInfo = { functions: [], filters: [], tests: [], tags: [] };
  walkNodes(ast.body, new Set(), {
    expr(e) {
      if (e.kind === 'call') info.functions.push(callInfo(e.name, e.args, e.start, ast.source));
      else if (e.kind === 'filter') info.filters.push(callInfo(e.name, e.args, e.nameStart, ast.source));
      else if (e.kind === 'test') info.tests.push({ ...callInfo(e.name, e.args, e.nameStart, ast.source), negated: e.negated });
      return true;
    },
    tag(name, offset) {
      info.tags.push({ name, offset });
    },
  });
  const byOffset = (a: { offset: number }, b: { offset: number }): number => a.offset - b.offset;
  info.functions.sort(byOffset);
  info.filters.sort(byOffset);
  info.tests.sort(byOffset);
  info.tags.sort(byOffset);
  return info;
}

/** e.g. `secret('NOTION_TOKEN')` → `{ name: 'secret', args: ['NOTION_TOKEN'], ... }` */
export function functionCalls(ast: TemplateAst): CallInfo[] {
  return usage(ast).functions;
}

export function filterCalls(ast: TemplateAst): CallInfo[] {
  return usage(ast).filters;
}
