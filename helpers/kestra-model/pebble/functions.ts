/**
 * Functions: Pebble core (range, min, max — extension/core/*Function.java) and Kestra's
 * (core/src/main/java/io/kestra/core/runners/pebble/functions/*.java).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { fromDate } from './dates.js';
import { EvalFailure } from './errors.js';
import { formatWithArgs } from './filters.js';
import { JsonParseError, parseJson } from './json.js';
import { has, type CallContext, type FunctionDef } from './types.js';
import { isIntegral, isNumber, javaClassName, numValue } from './values.js';

const fail = (message: string): never => {
  throw new EvalFailure(message);
};

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

function render(recursiveDefault: boolean, fixed: boolean): FunctionDef {
  return {
    args: fixed ? ['toRender'] : ['toRender', 'recursive'],
    execute(args, ctx: CallContext) {
      const name = fixed ? 'renderOnce' : 'render';
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

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export const FUNCTIONS: Record<string, FunctionDef> = {
  now: {
    args: ['format', 'timeZone', 'existingFormat', 'locale'],
    execute(args, ctx) {
      return formatWithArgs(null, args, ctx, fromDate(ctx.now(), ctx.defaultZone()));
    },
  },
  secret: {
    args: ['key'],
    execute(args, ctx) {
      if (!has(args, 'key')) fail("The 'secret' function expects an argument 'key'.");
      const key = args['key'];
      if (typeof key !== 'string') return fail(`class ${javaClassName(key)} cannot be cast to class java.lang.String`);
      const resolver = ctx.context.secret;
      if (!resolver) return fail(`Cannot find secret for key '${key}'.`);
      try {
        return resolver(key);
      } catch (e) {
        return fail(e instanceof Error ? e.message : String(e));
      }
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
