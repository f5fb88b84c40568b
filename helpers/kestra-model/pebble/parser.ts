/**
 * Parser mirroring Pebble's ParserImpl + ExpressionParser (precedence climbing) and the tag
 * parsers Kestra keeps (if/elseif/else, for/else, set, filter). Error messages are Pebble's.
 *
 * Operator precedences: Pebble CoreExtension.getBinaryOperators() plus Kestra's `??`/`???`
 * and `isIn` (all 120, Extension.java of Kestra 1.3.x; `isIn` since 0.24). Kestra has no `in` /
 * `not in` operators: `{{ x in list }}` is a syntax error there, and so it is here.
 */
import type {
  Args,
  BinaryOp,
  Expr,
  FilterCall,
  ForNode,
  IfNode,
  SetNode,
  FilterBlockNode,
  TemplateAst,
  TemplateNode,
  TestExpr,
  FilterExpr,
} from './ast.js';
import { PebbleSyntaxError } from './errors.js';
import { tokenize, type Token, type TokenType } from './lexer.js';
import { dbl } from './values.js';

interface BinaryOperatorDef {
  precedence: number;
  kind: 'normal' | 'filter' | 'test';
}

const BINARY: Record<string, BinaryOperatorDef> = {
  or: { precedence: 10, kind: 'normal' },
  and: { precedence: 15, kind: 'normal' },
  is: { precedence: 20, kind: 'test' },
  'is not': { precedence: 20, kind: 'test' },
  contains: { precedence: 20, kind: 'normal' },
  '==': { precedence: 30, kind: 'normal' },
  equals: { precedence: 30, kind: 'normal' },
  '!=': { precedence: 30, kind: 'normal' },
  '>': { precedence: 30, kind: 'normal' },
  '<': { precedence: 30, kind: 'normal' },
  '>=': { precedence: 30, kind: 'normal' },
  '<=': { precedence: 30, kind: 'normal' },
  '+': { precedence: 40, kind: 'normal' },
  '-': { precedence: 40, kind: 'normal' },
  '*': { precedence: 60, kind: 'normal' },
  '/': { precedence: 60, kind: 'normal' },
  '%': { precedence: 60, kind: 'normal' },
  '|': { precedence: 100, kind: 'filter' },
  '~': { precedence: 110, kind: 'normal' },
  '..': { precedence: 120, kind: 'normal' },
  '??': { precedence: 120, kind: 'normal' },
  '???': { precedence: 120, kind: 'normal' },
  isIn: { precedence: 120, kind: 'normal' },
};

const UNARY = new Set(['not', '+', '-']);
const UNARY_PRECEDENCE = 500;
const RESERVED = new Set(['true', 'false', 'null', 'none']);

/** Tags Pebble ships that Kestra keeps but this stand-in does not implement. */
export const UNSUPPORTED_KNOWN_TAGS = ['block', 'macro'];

export class Parser {
  private readonly tokens: Token[];
  private i = 0;
  /** Offsets of the `{{` / `{%` being parsed, innermost last (for EOF errors). */
  private readonly openers: number[] = [];

  constructor(private readonly source: string) {
    this.tokens = tokenize(source);
  }

  // ---- token stream -------------------------------------------------------------------------

  private current(): Token {
    return this.tokens[this.i]!;
  }

  private peek(k = 1): Token {
    return this.tokens[Math.min(this.i + k, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.current();
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }

  private test(type: TokenType, ...values: string[]): boolean {
    const t = this.current();
    return t.type === type && (values.length === 0 || values.includes(t.value ?? ''));
  }

  private fail(message: string, token: Token = this.current()): never {
    const offset = token.type === 'EOF' && this.openers.length > 0 ? this.openers[this.openers.length - 1]! : token.start;
    throw new PebbleSyntaxError(message, this.source, offset);
  }

  private expect(type: TokenType, value?: string): Token {
    const t = this.current();
    const ok = t.type === type && (value === undefined || t.value === value);
    if (!ok) {
      this.fail(`Unexpected token of value "${t.value ?? 'null'}" and type ${t.type}, expected token of type ${type}`);
    }
    return this.next();
  }

  // ---- template structure -------------------------------------------------------------------

  parse(): TemplateAst {
    const body = this.subparse(null);
    return { kind: 'template', source: this.source, body };
  }

  private subparse(stop: ((t: Token) => boolean) | null): TemplateNode[] {
    const nodes: TemplateNode[] = [];
    while (this.current().type !== 'EOF') {
      const t = this.current();
      switch (t.type) {
        case 'TEXT':
          nodes.push({ kind: 'text', value: t.value ?? '', start: t.start, end: t.end });
          this.next();
          break;
        case 'RAW':
          nodes.push({ kind: 'raw', value: t.value ?? '', content: t.content ?? '', start: t.start, end: t.end });
          this.next();
          break;
        case 'PRINT_START': {
          this.openers.push(t.start);
          this.next();
          const expr = this.parseExpression();
          const end = this.expect('PRINT_END');
          this.openers.pop();
          nodes.push({ kind: 'print', expr, start: t.start, end: end.end });
          break;
        }
        case 'EXECUTE_START': {
          this.next();
          const name = this.current();
          if (name.type !== 'NAME') this.fail('A block must start with a tag name.', name);
          if (stop && stop(name)) return nodes;
          nodes.push(this.parseTag(t, name));
          break;
        }
        default:
          this.fail('Parser ended in undefined state.', t);
      }
    }
    return nodes;
  }

  private parseTag(open: Token, name: Token): TemplateNode {
    this.openers.push(open.start);
    let node: TemplateNode;
    switch (name.value) {
      case 'if':
        node = this.parseIf(open);
        break;
      case 'for':
        node = this.parseFor(open);
        break;
      case 'set':
        node = this.parseSet(open);
        break;
      case 'filter':
        node = this.parseFilterTag(open);
        break;
      default:
        if (UNSUPPORTED_KNOWN_TAGS.includes(name.value ?? '')) {
          this.fail(`unsupported Pebble tag \`${name.value}\` in the local Kestra stand-in`, name);
        }
        this.fail(`Unexpected tag name "${name.value}"`, name);
    }
    this.openers.pop();
    return node;
  }

  private parseIf(open: Token): IfNode {
    this.next(); // 'if'
    const isFork = (t: Token): boolean => t.type === 'NAME' && ['elseif', 'else', 'endif'].includes(t.value ?? '');
    const cond = this.parseExpression();
    this.expect('EXECUTE_END');
    const branches = [{ cond, body: this.subparse(isFork) }];
    let elseBody: TemplateNode[] | null = null;
    for (;;) {
      const t = this.current();
      if (t.value === null) {
        this.fail('Unexpected end of template. Pebble was looking for the "endif" tag', t);
      }
      if (t.value === 'else') {
        this.next();
        this.expect('EXECUTE_END');
        elseBody = this.subparse((x) => x.type === 'NAME' && x.value === 'endif');
      } else if (t.value === 'elseif') {
        this.next();
        const c = this.parseExpression();
        this.expect('EXECUTE_END');
        branches.push({ cond: c, body: this.subparse(isFork) });
      } else if (t.value === 'endif') {
        this.next();
        break;
      } else {
        this.fail(
          'Unexpected end of template. Pebble was looking for the following tags "else", "elseif", or "endif"',
          t,
        );
      }
    }
    const end = this.expect('EXECUTE_END');
    return { kind: 'if', branches, elseBody, start: open.start, end: end.end };
  }

  private parseFor(open: Token): ForNode {
    this.next(); // 'for'
    const variableStart = this.current().start;
    const variable = this.parseNewVariableName();
    const inTok = this.current();
    if (!((inTok.type === 'NAME' || inTok.type === 'OPERATOR') && inTok.value === 'in')) this.expect('NAME', 'in');
    this.next();
    const iterable = this.parseExpression();
    this.expect('EXECUTE_END');
    const body = this.subparse((t) => t.type === 'NAME' && (t.value === 'else' || t.value === 'endfor'));
    let elseBody: TemplateNode[] | null = null;
    if (this.test('NAME', 'else')) {
      this.next();
      this.expect('EXECUTE_END');
      elseBody = this.subparse((t) => t.type === 'NAME' && t.value === 'endfor');
    }
    if (this.current().value === null) {
      this.fail('Unexpected end of template. Pebble was looking for the "endfor" tag');
    }
    this.next();
    const end = this.expect('EXECUTE_END');
    return { kind: 'for', variable, variableStart, iterable, body, elseBody, start: open.start, end: end.end };
  }

  private parseSet(open: Token): SetNode {
    this.next(); // 'set'
    const nameStart = this.current().start;
    const name = this.parseNewVariableName();
    this.expect('PUNCTUATION', '=');
    const value = this.parseExpression();
    const end = this.expect('EXECUTE_END');
    return { kind: 'set', name, nameStart, value, start: open.start, end: end.end };
  }

  private parseFilterTag(open: Token): FilterBlockNode {
    this.next(); // 'filter'
    const filters: FilterCall[] = [this.parseFilterCall()];
    while (this.test('OPERATOR', '|')) {
      this.next();
      filters.push(this.parseFilterCall());
    }
    this.expect('EXECUTE_END');
    const body = this.subparse((t) => t.type === 'NAME' && t.value === 'endfilter');
    if (this.current().type === 'EOF') {
      this.fail('Unexpected end of template. Pebble was looking for the "endfilter" tag');
    }
    this.next();
    const end = this.expect('EXECUTE_END');
    return { kind: 'filterBlock', filters, body, start: open.start, end: end.end };
  }

  private parseNewVariableName(): string {
    const t = this.expect('NAME');
    if (RESERVED.has(t.value ?? '')) this.fail(`Can not assign a value to ${t.value}`, t);
    return t.value ?? '';
  }

  // ---- expressions --------------------------------------------------------------------------

  parseStandaloneExpression(): Expr {
    const expr = this.parseExpression();
    if (this.current().type !== 'EOF') {
      const t = this.current();
      this.fail(`Unexpected token of value "${t.value ?? 'null'}" and type ${t.type}, expected token of type EOF`);
    }
    return expr;
  }

  private parseExpression(minPrecedence = 0): Expr {
    const token = this.current();
    let expr: Expr;
    if (token.type === 'OPERATOR' && UNARY.has(token.value ?? '')) {
      this.next();
      const operand = this.parseExpression(UNARY_PRECEDENCE);
      expr = { kind: 'unary', op: token.value as 'not' | '-' | '+', operand, start: token.start, end: operand.end };
    } else if (token.type === 'PUNCTUATION' && token.value === '(') {
      this.next();
      const inner = this.parseExpression();
      this.expect('PUNCTUATION', ')');
      expr = this.parsePostfix(inner);
    } else if (token.type === 'PUNCTUATION' && token.value === '[') {
      expr = this.parseArray();
    } else if (token.type === 'PUNCTUATION' && token.value === '{') {
      expr = this.parseMap();
    } else {
      expr = this.subparseExpression();
    }

    for (;;) {
      const t = this.current();
      const def = t.type === 'OPERATOR' ? BINARY[t.value ?? ''] : undefined;
      if (!def || def.precedence < minPrecedence) break;
      this.next();
      if (def.kind === 'filter') {
        const call = this.parseFilterCall();
        const node: FilterExpr = {
          kind: 'filter',
          input: expr,
          name: call.name,
          nameStart: call.start,
          args: call.args,
          start: expr.start,
          end: call.end,
        };
        expr = node;
      } else if (def.kind === 'test') {
        const nameTok = this.expect('NAME');
        let args: Args = { positional: [], named: [] };
        let end = nameTok.end;
        if (this.test('PUNCTUATION', '(')) ({ args, end } = this.parseArguments());
        const node: TestExpr = {
          kind: 'test',
          input: expr,
          negated: t.value === 'is not',
          name: nameTok.value ?? '',
          nameStart: nameTok.start,
          args,
          start: expr.start,
          end,
        };
        expr = node;
      } else {
        const right = this.parseExpression(def.precedence + 1); // all operators are left-associative
        const op = (t.value === 'equals' ? '==' : t.value) as BinaryOp;
        expr = { kind: 'binary', op, opStart: t.start, left: expr, right, start: expr.start, end: right.end };
      }
    }

    if (minPrecedence === 0) return this.parseTernary(expr);
    return expr;
  }

  private parseTernary(cond: Expr): Expr {
    if (!this.test('PUNCTUATION', '?')) return cond;
    this.next();
    const then = this.parseExpression();
    this.expect('PUNCTUATION', ':');
    const otherwise = this.parseExpression();
    return { kind: 'ternary', cond, then, otherwise, start: cond.start, end: otherwise.end };
  }

  private subparseExpression(): Expr {
    const t = this.current();
    let node: Expr;
    switch (t.type) {
      case 'NAME': {
        const v = t.value ?? '';
        if (v === 'true' || v === 'TRUE' || v === 'false' || v === 'FALSE') {
          node = { kind: 'literal', value: v.toLowerCase() === 'true', start: t.start, end: t.end };
          this.next();
        } else if (v === 'none' || v === 'NONE' || v === 'null' || v === 'NULL') {
          node = { kind: 'literal', value: null, start: t.start, end: t.end };
          this.next();
        } else if (this.peek().type === 'PUNCTUATION' && this.peek().value === '(') {
          this.next();
          const { args, end } = this.parseArguments();
          node = { kind: 'call', name: v, args, start: t.start, end };
        } else {
          node = { kind: 'var', name: v, start: t.start, end: t.end };
          this.next();
        }
        break;
      }
      case 'LONG':
        node = { kind: 'literal', value: Number(t.value), start: t.start, end: t.end };
        this.next();
        break;
      case 'NUMBER': {
        const text = t.value ?? '0';
        node = { kind: 'literal', value: text.includes('.') ? dbl(Number(text)) : Number(text), start: t.start, end: t.end };
        this.next();
        break;
      }
      case 'STRING':
      case 'STRING_INTERPOLATION_START':
        node = this.parseStringExpression();
        break;
      default:
        this.fail(`Unexpected token "${t.type}" of value "${t.value ?? 'null'}"`, t);
    }
    return this.parsePostfix(node);
  }

  private parseStringExpression(): Expr {
    const parts: Expr[] = [];
    let previous: TokenType | null = null;
    for (;;) {
      const t = this.current();
      if (t.type === 'STRING' && previous !== 'STRING') {
        this.next();
        parts.push({ kind: 'literal', value: t.value ?? '', start: t.start, end: t.end });
        previous = 'STRING';
      } else if (t.type === 'STRING_INTERPOLATION_START') {
        this.next();
        parts.push(this.parseExpression());
        this.expect('STRING_INTERPOLATION_END');
        previous = 'STRING_INTERPOLATION_END';
      } else {
        break;
      }
    }
    let expr = parts[0]!;
    for (let k = 1; k < parts.length; k++) {
      const right = parts[k]!;
      expr = { kind: 'binary', op: '~', opStart: right.start, left: expr, right, start: expr.start, end: right.end };
    }
    return expr;
  }

  private parsePostfix(node: Expr): Expr {
    for (;;) {
      const t = this.current();
      if (t.type !== 'PUNCTUATION') return node;
      if (t.value === '.') {
        this.next();
        const nameTok = this.expect('NAME');
        let args: Args | null = null;
        let end = nameTok.end;
        if (this.test('PUNCTUATION', '(')) {
          const parsed = this.parseArguments();
          if (parsed.args.named.length > 0) this.fail('Can not use named arguments when calling a bean method');
          args = parsed.args;
          end = parsed.end;
        }
        node = {
          kind: 'attr',
          object: node,
          attribute: { kind: 'literal', value: nameTok.value ?? '', start: nameTok.start, end: nameTok.end },
          computed: false,
          args,
          start: node.start,
          end,
        };
      } else if (t.value === '[') {
        this.next();
        const attribute = this.parseExpression();
        const close = this.expect('PUNCTUATION', ']');
        node = { kind: 'attr', object: node, attribute, computed: true, args: null, start: node.start, end: close.end };
      } else if (t.value === '(') {
        // Pebble only accepts `(` after a function name (ClassCastException otherwise).
        this.fail(`Unexpected token of value "(" and type PUNCTUATION, expected token of type PRINT_END`);
      } else {
        return node;
      }
    }
  }

  private parseFilterCall(): FilterCall {
    const nameTok = this.expect('NAME');
    if (this.test('PUNCTUATION', '(')) {
      const { args, end } = this.parseArguments();
      return { name: nameTok.value ?? '', args, start: nameTok.start, end };
    }
    return { name: nameTok.value ?? '', args: { positional: [], named: [] }, start: nameTok.start, end: nameTok.end };
  }

  private parseArguments(): { args: Args; end: number } {
    const args: Args = { positional: [], named: [] };
    this.expect('PUNCTUATION', '(');
    while (!this.test('PUNCTUATION', ')')) {
      if (args.positional.length > 0 || args.named.length > 0) this.expect('PUNCTUATION', ',');
      if (this.peek().type === 'PUNCTUATION' && this.peek().value === '=') {
        const nameStart = this.current().start;
        const name = this.parseNewVariableName();
        this.expect('PUNCTUATION', '=');
        args.named.push({ name, nameStart, value: this.parseExpression() });
      } else {
        if (args.named.length > 0) this.fail('Positional arguments must be declared before any named arguments.');
        args.positional.push(this.parseExpression());
      }
    }
    const close = this.expect('PUNCTUATION', ')');
    return { args, end: close.end };
  }

  private parseArray(): Expr {
    const open = this.expect('PUNCTUATION', '[');
    const items: Expr[] = [];
    if (!this.test('PUNCTUATION', ']')) {
      for (;;) {
        items.push(this.parseExpression());
        if (this.test('PUNCTUATION', ']')) break;
        this.expect('PUNCTUATION', ',');
      }
    }
    const close = this.expect('PUNCTUATION', ']');
    return { kind: 'list', items, start: open.start, end: close.end };
  }

  private parseMap(): Expr {
    const open = this.expect('PUNCTUATION', '{');
    const entries: { key: Expr; value: Expr }[] = [];
    if (!this.test('PUNCTUATION', '}')) {
      for (;;) {
        const key = this.parseExpression();
        this.expect('PUNCTUATION', ':');
        const value = this.parseExpression();
        entries.push({ key, value });
        if (this.test('PUNCTUATION', '}')) break;
        this.expect('PUNCTUATION', ',');
      }
    }
    const close = this.expect('PUNCTUATION', '}');
    return { kind: 'map', entries, start: open.start, end: close.end };
  }
}

const CACHE_SIZE = 1000;
const cache = new Map<string, TemplateAst>();

/** Parses a template (cached by source; 1000 entries like Kestra's PebbleLruCache default size). */
export function parseTemplate(source: string): TemplateAst {
  const hit = cache.get(source);
  if (hit) return hit;
  const ast = new Parser(source).parse();
  cache.set(source, ast);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return ast;
}

const exprCache = new Map<string, Expr>();

/** Parses a bare expression (no `{{ }}`), e.g. `inputs.a ?? 'x'`. */
export function parseExpression(source: string): Expr {
  const hit = exprCache.get(source);
  if (hit) return hit;
  // Lex it as the body of a print tag so the tokenizer is in expression mode.
  const wrapped = new Parser(`{{${source}}}`);
  let expr: Expr;
  try {
    const ast = wrapped.parse();
    const only = ast.body.length === 1 ? ast.body[0] : undefined;
    if (!only || only.kind !== 'print') throw new PebbleSyntaxError('Not a single expression', source, 0);
    expr = shiftExpr(only.expr, -2);
  } catch (e) {
    if (e instanceof PebbleSyntaxError && e.template !== source) {
      throw new PebbleSyntaxError(e.pebbleMessage, source, Math.max(0, Math.min(source.length, e.offset - 2)));
    }
    throw e;
  }
  exprCache.set(source, expr);
  if (exprCache.size > CACHE_SIZE) exprCache.delete(exprCache.keys().next().value as string);
  return expr;
}

/** Returns a copy of an expression tree with every offset shifted by `delta`. */
function shiftExpr<T>(node: T, delta: number): T {
  if (Array.isArray(node)) return node.map((x) => shiftExpr(x, delta)) as T;
  if (node === null || typeof node !== 'object' || Object.getPrototypeOf(node) !== Object.prototype) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] =
      typeof v === 'number' && (k === 'start' || k === 'end' || k === 'opStart' || k === 'nameStart')
        ? v + delta
        : shiftExpr(v, delta);
  }
  return out as T;
}
