/**
 * AST of a parsed Pebble template. Every node carries `start`/`end` offsets (0-based, end
 * exclusive) into the template source so a linter can point at it.
 */
import type { JavaDouble } from './values.js';

export interface Span {
  start: number;
  end: number;
}

export interface TemplateAst {
  kind: 'template';
  source: string;
  body: TemplateNode[];
}

export type TemplateNode = TextNode | RawNode | PrintNode | IfNode | ForNode | SetNode | FilterBlockNode;

export interface TextNode extends Span {
  kind: 'text';
  /** Text after whitespace control (`{{-`, `-}}`) has been applied. */
  value: string;
}

/**
 * `{% raw %}…{% endraw %}` on a single line. Kestra handles raw blocks with a regex in
 * VariableRenderer (not a Pebble tag): the whole block is emitted verbatim and the tags are
 * stripped from the final output.
 */
export interface RawNode extends Span {
  kind: 'raw';
  /** The whole block including the raw/endraw tags. */
  value: string;
  /** The text between the tags. */
  content: string;
}

export interface PrintNode extends Span {
  kind: 'print';
  expr: Expr;
}

export interface IfNode extends Span {
  kind: 'if';
  branches: { cond: Expr; body: TemplateNode[] }[];
  elseBody: TemplateNode[] | null;
}

export interface ForNode extends Span {
  kind: 'for';
  variable: string;
  variableStart: number;
  iterable: Expr;
  body: TemplateNode[];
  elseBody: TemplateNode[] | null;
}

export interface SetNode extends Span {
  kind: 'set';
  name: string;
  nameStart: number;
  value: Expr;
}

export interface FilterBlockNode extends Span {
  kind: 'filterBlock';
  filters: FilterCall[];
  body: TemplateNode[];
}

export interface FilterCall extends Span {
  name: string;
  args: Args;
}

export interface Args {
  positional: Expr[];
  named: { name: string; nameStart: number; value: Expr }[];
}

export type LiteralValue = null | boolean | number | string | JavaDouble;

export type Expr =
  | LiteralExpr
  | ListExpr
  | MapExpr
  | VarExpr
  | AttrExpr
  | UnaryExpr
  | BinaryExpr
  | FilterExpr
  | TestExpr
  | CallExpr
  | TernaryExpr;

export interface LiteralExpr extends Span {
  kind: 'literal';
  value: LiteralValue;
}

export interface ListExpr extends Span {
  kind: 'list';
  items: Expr[];
}

export interface MapExpr extends Span {
  kind: 'map';
  entries: { key: Expr; value: Expr }[];
}

export interface VarExpr extends Span {
  kind: 'var';
  name: string;
}

/** `object.name`, `object['name']`, `object[expr]`, or a bean method call `object.name(args)`. */
export interface AttrExpr extends Span {
  kind: 'attr';
  object: Expr;
  attribute: Expr;
  /** true for `[...]` subscripts. */
  computed: boolean;
  /** Non-null for method-call syntax `object.name(...)`. */
  args: Args | null;
}

export interface UnaryExpr extends Span {
  kind: 'unary';
  op: 'not' | '-' | '+';
  operand: Expr;
}

export type BinaryOp =
  | 'or'
  | 'and'
  | 'contains'
  | 'isIn'
  | '=='
  | '!='
  | '<'
  | '>'
  | '<='
  | '>='
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '~'
  | '..'
  | '??'
  | '???';

export interface BinaryExpr extends Span {
  kind: 'binary';
  op: BinaryOp;
  /** Offset of the operator token. */
  opStart: number;
  left: Expr;
  right: Expr;
}

export interface FilterExpr extends Span {
  kind: 'filter';
  input: Expr;
  name: string;
  nameStart: number;
  args: Args;
}

export interface TestExpr extends Span {
  kind: 'test';
  input: Expr;
  negated: boolean;
  name: string;
  nameStart: number;
  args: Args;
}

export interface CallExpr extends Span {
  kind: 'call';
  name: string;
  args: Args;
}

export interface TernaryExpr extends Span {
  kind: 'ternary';
  cond: Expr;
  then: Expr;
  otherwise: Expr;
}
