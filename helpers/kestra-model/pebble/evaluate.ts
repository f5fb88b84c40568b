/**
 * Tree-walking evaluator with Kestra's Pebble semantics: strictVariables(true), JsonWriter output
 * (maps/lists print as JSON), Kestra's `??`/`???`/`in` operators and comparison overrides.
 * Each rule cites the Pebble 3.2.x / Kestra class it follows.
 */
import type { Args, AttrExpr, BinaryExpr, Expr, TemplateAst, TemplateNode } from './ast.js';
import { EvalFailure, JavaRuntimeFailure, PebbleRenderError, PositionlessPebbleFailure, positionAt, type RenderErrorKind } from './errors.js';
import { FILTERS, KNOWN_UNSUPPORTED_FILTERS } from './filters.js';
import { FUNCTIONS, KNOWN_UNSUPPORTED_FUNCTIONS } from './functions.js';
import { toJson } from './json.js';
import { LIST_METHODS, LIST_PROPERTIES, MAP_METHODS, STRING_METHODS, STRING_PROPERTIES } from './methods.js';
import { COMPARE_MESSAGES, arithmetic, collectionHas, isIn, type ArithOp } from './operators.js';
import { Scopes } from './scope.js';
import { TESTS } from './tests.js';
import type { ArgMap, CallContext, RenderContext } from './types.js';
import {
  MapEntry,
  hasKey,
  isMap,
  isNumber,
  javaClassName,
  javaSimpleClassName,
  javaToString,
  numValue,
  pebbleEquals,
  toPebbleBoolean,
  unbox,
} from './values.js';

// ---- state ------------------------------------------------------------------------------------

interface State {
  template: string;
  rc: RenderContext;
  scopes: Scopes;
  call: CallContext;
}

function newState(template: string, rc: RenderContext, call: CallContext): State {
  return { template, rc, scopes: new Scopes(rc.variables), call };
}

function err(
  st: State,
  kind: RenderErrorKind,
  message: string,
  offset: number,
  extra: { attributeName?: string; cause?: unknown; raw?: boolean; javaException?: boolean } = {},
): PebbleRenderError {
  return new PebbleRenderError(kind, message, st.template, offset, extra);
}

function attributeNotFound(st: State, attributeName: string, message: string, offset: number): PebbleRenderError {
  return err(st, 'attribute-not-found', message, offset, { attributeName });
}

function isAttributeNotFound(e: unknown): boolean {
  return e instanceof PebbleRenderError && e.kind === 'attribute-not-found';
}

/** Runs a filter/function/test body, positioning EvalFailures at `offset`. */
function guard<T>(st: State, offset: number, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof EvalFailure) {
      const extra = e.attributeName !== undefined ? { attributeName: e.attributeName } : {};
      if (e instanceof JavaRuntimeFailure) throw err(st, e.kind, e.message, offset, { ...extra, raw: true, javaException: true });
      throw err(st, e.kind, e.message, offset, e instanceof PositionlessPebbleFailure ? { ...extra, raw: true } : extra);
    }
    if (e instanceof PebbleRenderError) throw e;
    throw err(st, 'error', e instanceof Error ? e.message : String(e), offset, { cause: e });
  }
}

/** Pebble expressions that wrap *any* exception: `catch (Exception ex) { throw new PebbleException(ex, msg) }`. */
function wrapAll<T>(st: State, message: string, offset: number, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw err(st, 'error', message, offset, { cause: e });
  }
}

function unsupported(st: State, what: string, name: string, offset: number, known: boolean, pebbleMessage: string): PebbleRenderError {
  const hint = known ? '' : ` (Kestra itself would fail too: ${pebbleMessage})`;
  return err(st, 'unsupported', `unsupported Pebble ${what} \`${name}\` in the local Kestra stand-in${hint}`, offset);
}

// ---- arguments (io/pebbletemplates/pebble/node/ArgumentsNode.getArgumentMap) --------------------

function mapArgs(st: State, args: Args, names: readonly string[] | null, offset: number): ArgMap {
  const out: ArgMap = {};
  if (names === null) {
    args.positional.forEach((e, i) => {
      out[String(i)] = evalExpr(st, e);
    });
    return out;
  }
  args.positional.forEach((e, i) => {
    if (i >= names.length) {
      throw err(st, 'error', `The argument at position ${i + 1} is not allowed. Only ${names.length} argument(s) are allowed.`, offset);
    }
    out[names[i]!] = evalExpr(st, e);
  });
  for (const n of args.named) {
    if (!names.includes(n.name)) throw err(st, 'error', `The following named argument does not exist: ${n.name}`, n.nameStart);
    out[n.name] = evalExpr(st, n.value);
  }
  return out;
}

function compare(st: State, node: BinaryExpr): boolean {
  const a = evalExpr(st, node.left);
  const b = evalExpr(st, node.right);
  if (typeof a === 'string' && typeof b === 'string') {
    const c = a < b ? -1 : a > b ? 1 : 0;
    return node.op === '>' ? c > 0 : node.op === '>=' ? c >= 0 : node.op === '<' ? c < 0 : c <= 0;
  }
  const [name, message] = COMPARE_MESSAGES[node.op]!;
  if (a === null || a === undefined || b === null || b === undefined) return false;
  if (!isNumber(a) || !isNumber(b)) {
    throw err(st, 'error', message, node.opStart, {
      cause: new EvalFailure(`invalid operands for mathematical comparison [${name}]`),
    });
  }
  const x = numValue(a);
  const y = numValue(b);
  return node.op === '>' ? x > y : node.op === '>=' ? x >= y : node.op === '<' ? x < y : x <= y;
}

function booleanOperand(st: State, e: Expr, offset: number): boolean {
  const v = evalExpr(st, e);
  if (v === null || v === undefined) {
    // Pebble uses the same message for `and` and `or` (OrExpression copies AndExpression's text)
    throw err(st, 'error', 'null value used in and operator and strict variables is set to true', offset);
  }
  const b = toPebbleBoolean(v);
  if (b === undefined) {
    throw err(st, 'error', `class ${javaClassName(v)} cannot be cast to class java.lang.Boolean`, offset);
  }
  return b;
}

function evalBinary(st: State, node: BinaryExpr): unknown {
  switch (node.op) {
    case 'or':
      return booleanOperand(st, node.left, node.opStart) || booleanOperand(st, node.right, node.opStart);
    case 'and':
      return booleanOperand(st, node.left, node.opStart) && booleanOperand(st, node.right, node.opStart);
    case '??': {
      // Kestra NullCoalescingExpression: undefined (AttributeNotFoundException) or null → right
      try {
        const left = evalExpr(st, node.left);
        if (left !== null && left !== undefined) return left;
      } catch (e) {
        if (!isAttributeNotFound(e)) throw e;
      }
      return evalExpr(st, node.right);
    }
    case '???': {
      // Kestra UndefinedCoalescingExpression: only undefined → right; null stays null
      try {
        return evalExpr(st, node.left);
      } catch (e) {
        if (!isAttributeNotFound(e)) throw e;
      }
      return evalExpr(st, node.right);
    }
    case '~': {
      const a = evalExpr(st, node.left);
      const b = evalExpr(st, node.right);
      return (a === null || a === undefined ? '' : javaToString(a)) + (b === null || b === undefined ? '' : javaToString(b));
    }
    case '==':
      return wrapAll(st, 'Could not perform equals comparison', node.opStart, () =>
        pebbleEquals(evalExpr(st, node.left), evalExpr(st, node.right)),
      );
    case '!=':
      return wrapAll(st, 'Could not perform not equals comparison', node.opStart, () =>
        !pebbleEquals(evalExpr(st, node.left), evalExpr(st, node.right)),
      );
    case '<':
    case '>':
    case '<=':
    case '>=':
      return compare(st, node);
    case '+':
    case '-':
    case '*':
    case '/':
    case '%': {
      const message = {
        '+': 'Could not perform addition',
        '-': 'Could not perform subtraction',
        '*': 'Could not perform multiplication',
        '/': 'Could not perform division',
        '%': 'Could not perform greater modulus',
      }[node.op];
      return wrapAll(st, message, node.opStart, () => arithmetic(node.op as ArithOp, evalExpr(st, node.left), evalExpr(st, node.right)));
    }
    case 'contains': {
      const left = evalExpr(st, node.left);
      if (left === null || left === undefined) return false;
      const right = evalExpr(st, node.right);
      if (typeof left === 'string') return left.includes(javaToString(right));
      const r = collectionHas(left, right);
      if (r === undefined) {
        throw err(st, 'error', `Contains operator can only be used on Collections, Maps and arrays. Actual type was: ${javaClassName(left)}`, node.opStart);
      }
      return r;
    }
    case 'isIn': {
      const left = evalExpr(st, node.left);
      const right = evalExpr(st, node.right);
      return guard(st, node.opStart, () => isIn(left, right));
    }
    case '..': {
      // RangeExpression delegates to the `range` function
      const start = evalExpr(st, node.left);
      const end = evalExpr(st, node.right);
      return guard(st, node.opStart, () => FUNCTIONS['range']!.execute({ start, end }, st.call));
    }
    default:
      throw err(st, 'error', `Unknown operator ${String(node.op)}`, node.opStart);
  }
}

function evalAttr(st: State, node: AttrExpr): unknown {
  const object = evalExpr(st, node.object);
  const attributeValue = evalExpr(st, node.attribute);
  const attributeName = javaToString(attributeValue);
  const argValues = node.args ? node.args.positional.map((a) => evalExpr(st, a)) : null;
  const offset = node.attribute.start;

  if (object === null || object === undefined) {
    if (node.object.kind === 'var') {
      const root = node.object.name;
      throw attributeNotFound(
        st,
        root,
        `Root attribute [${root}] does not exist or can not be accessed and strict variables is set to true.`,
        node.object.start,
      );
    }
    throw attributeNotFound(st, attributeName, 'Attempt to get attribute of null object and strict variables is set to true.', offset);
  }

  const notFound = (): PebbleRenderError =>
    attributeNotFound(
      st,
      attributeName,
      `Attribute [${attributeName}] of [${javaClassName(object)}] does not exist or can not be accessed and strict variables is set to true.`,
      offset,
    );

  if (argValues) {
    const call = <T>(table: Record<string, (o: T, a: unknown[]) => unknown>, o: T): unknown => {
      const fn = table[attributeName];
      if (!fn) throw unsupportedMethod();
      return guard(st, offset, () => fn(o, argValues));
    };
    const unsupportedMethod = (): PebbleRenderError =>
      err(st, 'unsupported', `unsupported Java method call \`${attributeName}()\` on ${javaClassName(object)} in the local Kestra stand-in`, offset);
    if (typeof object === 'string') return call(STRING_METHODS, object);
    if (Array.isArray(object)) return call(LIST_METHODS, object);
    if (isMap(object)) return call(MAP_METHODS, object);
    throw unsupportedMethod();
  }

  if (isMap(object)) {
    // MapResolver: numeric keys are cast to the class of the map's first key
    if (isNumber(attributeValue)) {
      if (Object.keys(object).length === 0) throw err(st, 'error', 'java.util.NoSuchElementException', offset);
      throw err(st, 'error', `type class java.lang.String not supported for key ${attributeName}`, offset);
    }
    if (typeof attributeValue === 'string' && hasKey(object, attributeValue)) return object[attributeValue] ?? null;
    throw notFound();
  }
  if (Array.isArray(object)) {
    // ListResolver: Integer.parseInt(String.valueOf(attribute))
    if (/^[+-]?\d+$/.test(attributeName)) {
      const index = Number(attributeName);
      if (index < 0 || index >= object.length) {
        throw attributeNotFound(st, attributeName, 'Index out of bounds while accessing array with strict variables on.', offset);
      }
      return object[index] ?? null;
    }
    const method = LIST_PROPERTIES[attributeName];
    if (method) return guard(st, offset, () => LIST_METHODS[method]!(object, []));
    throw notFound();
  }
  if (object instanceof MapEntry) {
    if (attributeName === 'key') return object.key;
    if (attributeName === 'value') return object.value ?? null;
    throw notFound();
  }
  if (typeof object === 'string') {
    const method = STRING_PROPERTIES[attributeName];
    if (method) return STRING_METHODS[method]!(object, []);
  }
  throw notFound();
}

// ---- calls ------------------------------------------------------------------------------------

function evalCall(st: State, name: string, args: Args, offset: number): unknown {
  const user = st.rc.functions?.[name];
  if (user) {
    const positional = args.positional.map((a) => unbox(evalExpr(st, a)));
    const named: Record<string, unknown> = {};
    for (const n of args.named) named[n.name] = unbox(evalExpr(st, n.value));
    return guard(st, offset, () => user(positional, named) ?? null);
  }
  const fn = FUNCTIONS[name];
  if (!fn) {
    throw unsupported(st, 'function', name, offset, KNOWN_UNSUPPORTED_FUNCTIONS.includes(name), `Function or Macro [${name}] does not exist.`);
  }
  const argMap = mapArgs(st, args, fn.args, offset);
  const call: CallContext = { ...st.call, callLine: () => positionAt(st.template, offset).line };
  return guard(st, offset, () => fn.execute(argMap, call));
}

function evalFilter(st: State, name: string, nameStart: number, args: Args, input: () => unknown): unknown {
  const def = FILTERS[name];
  if (!def) {
    throw unsupported(st, 'filter', name, nameStart, KNOWN_UNSUPPORTED_FILTERS.includes(name), `Filter [${name}] does not exist.`);
  }
  const argMap = mapArgs(st, args, def.args, nameStart);
  let value: unknown;
  if (name === 'default') {
    // FilterExpression: the default filter swallows AttributeNotFoundException on its input
    try {
      value = input();
    } catch (e) {
      if (!isAttributeNotFound(e)) throw e;
      value = null;
    }
  } else {
    value = input();
  }
  return guard(st, nameStart, () => def.apply(value, argMap, st.call));
}

// ---- expressions ------------------------------------------------------------------------------

export function evalExpr(st: State, e: Expr): unknown {
  switch (e.kind) {
    case 'literal':
      return e.value;
    case 'list':
      return e.items.map((x) => evalExpr(st, x));
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const { key, value } of e.entries) {
        const k = javaToString(evalExpr(st, key));
        const v = evalExpr(st, value);
        if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
        else out[k] = v;
      }
      return out;
    }
    case 'var': {
      const { found, value } = st.scopes.lookup(e.name);
      if (!found) {
        throw attributeNotFound(
          st,
          e.name,
          `Root attribute [${e.name}] does not exist or can not be accessed and strict variables is set to true.`,
          e.start,
        );
      }
      return value;
    }
    case 'attr':
      return evalAttr(st, e);
    case 'unary': {
      const v = evalExpr(st, e.operand);
      if (e.op === 'not') {
        // UnaryNotExpression
        if (v === null || v === undefined) {
          throw err(st, 'error', 'null value given to not() and strict variables is set to true', e.start);
        }
        const b = toPebbleBoolean(v);
        if (b === undefined) {
          throw err(st, 'error', `Unsupported value type ${javaSimpleClassName(v)}. Expected Boolean, String, Number in "if" statement`, e.start);
        }
        return !b;
      }
      // UnaryMinus/PlusExpression: OperatorUtils.multiply(±1, value), not wrapped
      return guard(st, e.start, () => arithmetic('*', e.op === '-' ? -1 : 1, v));
    }
    case 'binary':
      return evalBinary(st, e);
    case 'filter':
      return evalFilter(st, e.name, e.nameStart, e.args, () => evalExpr(st, e.input));
    case 'test': {
      const def = TESTS[e.name];
      if (!def) throw unsupported(st, 'test', e.name, e.nameStart, false, `Test [${e.name}] does not exist.`);
      const argMap = mapArgs(st, e.args, def.args, e.nameStart);
      let input: unknown;
      if (e.name === 'defined') {
        // PositiveTestExpression: only the `defined` test tolerates AttributeNotFoundException
        try {
          input = evalExpr(st, e.input);
        } catch (x) {
          if (!isAttributeNotFound(x)) throw x;
          input = null;
        }
      } else {
        input = evalExpr(st, e.input);
      }
      const r = guard(st, e.nameStart, () => def.apply(input, argMap, st.call));
      return e.negated ? !r : r;
    }
    case 'call':
      return evalCall(st, e.name, e.args, e.start);
    case 'ternary': {
      // TernaryExpression: null → false branch; otherwise compatibleCast(value, Boolean)
      const c = evalExpr(st, e.cond);
      if (c === null || c === undefined) return evalExpr(st, e.otherwise);
      const b = toPebbleBoolean(c);
      if (b === undefined) throw err(st, 'error', `class ${javaClassName(c)} cannot be cast to class java.lang.Boolean`, e.cond.start);
      return evalExpr(st, b ? e.then : e.otherwise);
    }
    default:
      return null;
  }
}

// ---- output (Kestra JsonWriter) -------------------------------------------------------------------

/** How Kestra's JsonWriter prints a value in `{{ }}`: maps/lists as JSON, the rest via toString(). */
export function printValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v) || isMap(v)) return toJson(v);
  return javaToString(v);
}

// ---- template nodes -----------------------------------------------------------------------------

function renderNodes(st: State, nodes: TemplateNode[], out: string[]): void {
  for (const node of nodes) {
    switch (node.kind) {
      case 'text':
      case 'raw':
        out.push(node.value);
        break;
      case 'print': {
        const v = evalExpr(st, node.expr);
        if (v !== null && v !== undefined) out.push(printValue(v));
        break;
      }
      case 'if': {
        let satisfied = false;
        for (const branch of node.branches) {
          // IfNode: any RuntimeException becomes "Wrong operand(s) type in conditional expression"
          try {
            const result = evalExpr(st, branch.cond);
            if (result === null || result === undefined) {
              throw err(st, 'error', 'null value given to if statement and strict variables is set to true', branch.cond.start);
            }
            const b = toPebbleBoolean(result);
            if (b === undefined) {
              throw err(st, 'error', `Unsupported value type ${javaSimpleClassName(result)}. Expected Boolean, String, Number in "if" statement`, branch.cond.start);
            }
            satisfied = b;
          } catch (e) {
            throw err(st, 'error', 'Wrong operand(s) type in conditional expression', node.start, { cause: e });
          }
          if (satisfied) {
            renderNodes(st, branch.body, out);
            break;
          }
        }
        if (!satisfied && node.elseBody) renderNodes(st, node.elseBody, out);
        break;
      }
      case 'for': {
        const iterable = evalExpr(st, node.iterable);
        if (iterable === null || iterable === undefined) break;
        let items: unknown[];
        if (Array.isArray(iterable)) items = iterable;
        else if (isMap(iterable)) items = Object.keys(iterable).map((k) => new MapEntry(k, iterable[k]));
        else throw err(st, 'error', `Not an iterable object. Value = [${javaToString(iterable)}]`, node.iterable.start);
        if (items.length === 0) {
          if (node.elseBody) renderNodes(st, node.elseBody, out);
          break;
        }
        const scope = st.scopes.push();
        try {
          const length = items.length;
          items.forEach((item, index) => {
            // ForNode.LoopVariables: index is 0-based
            scope.set('loop', { index, revindex: length - index - 1, first: index === 0, last: index === length - 1, length });
            scope.set(node.variable, item);
            renderNodes(st, node.body, out);
          });
        } finally {
          st.scopes.pop();
        }
        break;
      }
      case 'set':
        st.scopes.set(node.name, evalExpr(st, node.value));
        break;
      case 'filterBlock': {
        const inner: string[] = [];
        renderNodes(st, node.body, inner);
        let value: unknown = inner.join('');
        for (const f of node.filters) {
          const input = value;
          value = evalFilter(st, f.name, f.start, f.args, () => input);
        }
        if (value !== null && value !== undefined) out.push(printValue(value));
        break;
      }
      default:
        break;
    }
  }
}

/** One Pebble evaluation of a parsed template (raw blocks are kept verbatim, tags included). */
export function renderAst(ast: TemplateAst, rc: RenderContext, call: CallContext): string {
  const st = newState(ast.source, rc, call);
  const out: string[] = [];
  renderNodes(st, ast.body, out);
  return out.join('');
}

export function evaluateExpr(expr: Expr, source: string, rc: RenderContext, call: CallContext): unknown {
  return evalExpr(newState(source, rc, call), expr);
}
