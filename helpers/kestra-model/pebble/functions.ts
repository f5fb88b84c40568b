/**
 * Functions: Pebble core (range, min, max — extension/core/*Function.java) and Kestra's
 * (core/src/main/java/io/kestra/core/runners/pebble/functions/*.java).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { fromDate } from './dates.js';
import { EvalFailure } from './errors.js';
import { formatWithArgs } from './filters.js';
import { JsonParseError, parseJson, toJson } from './json.js';
import { has, type CallContext, type FunctionDef } from './types.js';
import { hasKey, isIntegral, isMap, isNumber, javaClassName, javaToString, numValue } from './values.js';

const fail = (message: string): never => {
  throw new EvalFailure(message);
};

/** SecretFunction's subkey: the secret read as JSON, a value node as text, anything else as JSON. */
function secretSubkey(secret: string, key: string, subkey: string): string {
  let tree: unknown;
  try {
    tree = parseJson(secret);
  } catch (e) {
    if (!(e instanceof JsonParseError)) throw e;
    return fail(`Failed to read secret sub-key '${subkey}' from secret '${key}'. Ensure the secret contains valid JSON value.`);
  }
  if (!isMap(tree) || !hasKey(tree, subkey)) return fail(`Cannot find secret sub-key '${subkey}' in secret '${key}'.`);
  const node = tree[subkey];
  if (node === null) return 'null';
  if (Array.isArray(node) || isMap(node)) return toJson(node);
  return javaToString(node);
}

function fromJsonFunction(name: string): FunctionDef {
  return {
    args: ['json'],
    execute(args) {
      if (!has(args, 'json')) fail(`The '${name}' function expects an argument 'json'.`);
      const json = args['json'];
      if (json === null || json === undefined) return null;
      if (typeof json !== 'string') return fail(`The '${name}' function expects an argument 'json' with type string.`);
      try {
        return parseJson(json);
      } catch (e) {
        if (e instanceof JsonParseError) return fail(`Invalid json: ${e.message}`);
        throw e;
      }
    },
  };
}

function compare(a: unknown, b: unknown, op: 'gt' | 'lt'): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return false;
  if (!isNumber(a) || !isNumber(b)) return fail(`invalid operands for mathematical comparison [${op === 'gt' ? 'GREATER_THAN' : 'LESS_THAN'}]`);
  return op === 'gt' ? numValue(a) > numValue(b) : numValue(a) < numValue(b);
}

function extremum(op: 'gt' | 'lt'): FunctionDef {
  return {
    args: null,
    execute(args) {
      let best: unknown = null;
      for (let i = 0; has(args, String(i)); i++) {
        const candidate = args[String(i)];
        if (best === null || best === undefined) best = candidate;
        else if (compare(candidate, best, op)) best = candidate;
      }
      return best;
    },
  };
}

/**
 * Kestra's render() nesting limit: RenderFunction fails at depth 16
 * (VariableConfiguration.DEFAULT_MAX_RENDER_DEPTH, kestra-io/kestra develop after 1.3;
 * RenderFunctionTest.shouldThrowOnCircularRender). Kestra 1.3.x itself has no limit and dies of a
 * StackOverflowError; the stand-in takes the newer, bounded behaviour.
 */
export const MAX_RENDER_DEPTH = 16;

function render(recursiveDefault: boolean, fixed: boolean): FunctionDef {
  return {
    args: fixed ? ['toRender'] : ['toRender', 'recursive'],
    execute(args, ctx: CallContext) {
      const name = fixed ? 'renderOnce' : 'render';
      if (ctx.renderDepth >= MAX_RENDER_DEPTH) {
        fail(`Maximum render() nesting depth (${MAX_RENDER_DEPTH}) exceeded at line ${ctx.callLine()} — check for circular render() calls in your template.`);
      }
      if (!has(args, 'toRender')) fail(`The '${name}' function expects an argument 'toRender'.`);
      let recursive: unknown = fixed ? false : args['recursive'];
      if (recursive === null || recursive === undefined) recursive = recursiveDefault;
      if (typeof recursive !== 'boolean') {
        return fail(`The '${name}' function expects an optional argument 'recursive' with type boolean.`);
      }
      return ctx.renderObject(args['toRender'], recursive);
    },
  };
}

/**
 * Kestra's BoundedRangeFunction (core/src/main/java/io/kestra/core/runners/pebble/functions/
 * BoundedRangeFunction.java, develop after 1.3; BoundedRangeFunctionTest): at most 1,000,000
 * elements, checked before building the list. Kestra 1.3.x delegates to Pebble's unbounded
 * RangeFunction and exhausts the JVM heap instead; here the list would abort the Node process.
 */
export const MAX_RANGE_SIZE = 1_000_000;

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export const FUNCTIONS: Record<string, FunctionDef> = {
  now: {
    args: ['format', 'timeZone', 'existingFormat', 'locale'],
    execute(args, ctx) {
      return formatWithArgs(null, args, ctx, fromDate(ctx.now(), ctx.defaultZone()));
    },
  },
  secret: {
    // SecretFunction (1.3.x): key, namespace (defaults to the flow's; OSS checks nothing more), subkey
    args: ['key', 'namespace', 'subkey'],
    execute(args, ctx) {
      if (!has(args, 'key')) fail("The 'secret' function expects an argument 'key'.");
      const key = args['key'];
      if (typeof key !== 'string') return fail(`class ${javaClassName(key)} cannot be cast to class java.lang.String`);
      const namespace = args['namespace'];
      if (namespace !== null && namespace !== undefined && typeof namespace !== 'string') {
        return fail(`class ${javaClassName(namespace)} cannot be cast to class java.lang.String`);
      }
      const subkey = args['subkey'];
      if (subkey !== null && subkey !== undefined && typeof subkey !== 'string') {
        return fail(`class ${javaClassName(subkey)} cannot be cast to class java.lang.String`);
      }
      const resolver = ctx.context.secret;
      if (!resolver) return fail(`Cannot find secret for key '${key}'.`);
      let secret: string;
      try {
        secret = resolver(key, namespace ?? undefined);
      } catch (e) {
        return fail(e instanceof Error ? e.message : String(e));
      }
      return subkey ? secretSubkey(secret, key, subkey) : secret;
    },
  },
  fromJson: fromJsonFunction('fromJson'),
  json: fromJsonFunction('json'),
  range: {
    args: ['start', 'end', 'increment'],
    execute(args) {
      const start = args['start'];
      const end = args['end'];
      const incArg = args['increment'] ?? 1;
      if (!isNumber(incArg)) return fail(`The increment of the range function must be a number ${String(incArg)}`);
      const inc = Math.trunc(numValue(incArg));
      if (isNumber(start) && isNumber(end) && inc !== 0) {
        const size = Math.floor(Math.abs(Math.trunc(numValue(end)) - Math.trunc(numValue(start))) / Math.abs(inc)) + 1;
        if (size > MAX_RANGE_SIZE) {
          fail(`The range function cannot produce more than ${MAX_RANGE_SIZE} elements, but this call would produce ${size}.`);
        }
      }
      if (inc === 0) fail('The increment of the range function must be different than 0');
      const out: unknown[] = [];
      if (isNumber(start) && isNumber(end)) {
        const s = Math.trunc(numValue(start));
        const e = Math.trunc(numValue(end));
        if (inc > 0) for (let i = s; i <= e; i += inc) out.push(i);
        else for (let i = s; i >= e; i += inc) out.push(i);
      } else if (typeof start === 'string' && typeof end === 'string' && start.length === 1 && end.length === 1) {
        const s = start.charCodeAt(0);
        const e = end.charCodeAt(0);
        if (inc > 0) for (let i = s; i <= e; i += inc) out.push(String.fromCharCode(i));
        else for (let i = s; i >= e; i += inc) out.push(String.fromCharCode(i));
      } else {
        fail('Arguments of range function must be of type Number or String with a length of 1');
      }
      return out;
    },
  },
  max: extremum('gt'),
  min: extremum('lt'),
  render: render(true, false),
  renderOnce: render(false, true),
  uuid: { args: [], execute: () => randomUUID() },
  id: {
    args: [],
    execute() {
      const bytes = randomBytes(22);
      let out = '';
      for (const b of bytes) out += BASE62[b % 62];
      return out;
    },
  },
  randomInt: {
    args: ['lower', 'upper'],
    execute(args) {
      const get = (name: string): number => {
        if (!has(args, name)) fail(`The 'randomIn()' function expects an argument ${name}`);
        const v = args[name];
        if (!isIntegral(v)) fail(`The 'randomIn()' function expects an argument ${name} of type Long.`);
        return v as number;
      };
      const lower = get('lower');
      const upper = get('upper');
      if (upper < lower) fail("In 'randomIn()' upper is less than lower");
      return Math.floor(Math.random() * (upper - lower)) + lower;
    },
  },
};

/** Functions Kestra 1.x ships that this stand-in does not implement (a linter can flag them). */
export const KNOWN_UNSUPPORTED_FUNCTIONS = [
  'kv',
  'read',
  'fileURI',
  'fileSize',
  'fileExists',
  'fileEmpty',
  'isFileEmpty',
  'encrypt',
  'decrypt',
  'yaml',
  'printContext',
  'fetchContext',
  'fromIon',
  'errorLogs',
  'currentEachOutput',
  'randomPort',
  'http',
  'ksuid',
  'nanoId',
  'tasksWithState',
  'iterationOutput',
  'iterationOutputs',
  'parentOutput',
  'dayOfWeek',
  'dayOfMonth',
  'hourOfDay',
  'monthOfYear',
  'isWeekend',
  'isDateAfter',
  'isDateBefore',
  'isDateBetween',
  'isLastWorkingDay',
  'isPublicHoliday',
  'isDayWeekInMonth',
  'block',
  'parent',
];
