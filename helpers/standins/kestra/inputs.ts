/**
 * Typed flow inputs and outputs, as Kestra's FlowInputOutput reads them
 * (core/src/main/java/io/kestra/core/runners/FlowInputOutput.java — resolveInputs/parseType — and
 * core/.../models/flows/input/*Input.java — validate()):
 *
 *  - the value is the data's entry, else `defaults`; none and `required` (default true) →
 *    "missing required input";
 *  - parseType (1.x): a STRING/SELECT/EMAIL value is `current.toString()` — a number or boolean
 *    given to them is typed as its Java text (42 → "42", 1.0E7 → "1.0E7"), never refused; INT is
 *    `Integer.valueOf(current.toString())` unless already an Integer ("2" → 2, "1.5" → error);
 *    FLOAT is `Float.valueOf(value.toString())`; BOOLEAN is `Boolean.valueOf(current.toString())`
 *    unless already a Boolean — "true" in any case is true, ANY other value is false (never an error);
 *    JSON from a string is parsed (Jackson); DATETIME is `Instant.parse`; DATE `LocalDate.parse`;
 *  - then validation: STRING `validator` is a FULL match (`Pattern.matches`), INT/FLOAT `min`/`max`,
 *    SELECT `values` — checked only when the input is required (`!values.contains(input) & required`,
 *    SelectInput.java: an optional SELECT accepts any value);
 *  - each error reads "Invalid input for `<id>`, <reason>, but received `<value>`" (Input.java /
 *    Data.toConstraintViolationException).
 * Inputs the flow does not declare are dropped.
 */
import { JsonParseError, parseJson } from '../../kestra-model/pebble/json.js';
import { isIntegral, isMap, isNumber, javaClassName, javaToString, numValue } from '../../kestra-model/pebble/values.js';
import type { InputDef, OutputDef } from './flow.js';
import { isLocalDate, parseInstant } from './time.js';

export interface InputViolation {
  id: string;
  message: string;
}

export type ResolvedInputs = { ok: true; values: Record<string, unknown> } | { ok: false; violations: InputViolation[] };

class InvalidValue extends Error {}

const EMAIL = /^[^@\s]+@[^@\s]+$/;
const URI = /^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s]*$/;
const JAVA_INT = /^[+-]?\d+$/;
const JAVA_FLOAT = /^[+-]?(NaN|Infinity|((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)[fFdD]?)$/;

function classCast(value: unknown, target: string): InvalidValue {
  return new InvalidValue(`java.lang.ClassCastException: class ${javaClassName(value)} cannot be cast to class ${target}`);
}

/** `current.toString()`: a string as given, anything else as Java prints it. */
function javaText(value: unknown): string {
  return typeof value === 'string' ? value : javaToString(value);
}

function expected(type: string, value: unknown, detail: string): InvalidValue {
  return new InvalidValue(`Expected \`${type}\` but received \`${javaToString(value)}\` with errors:\n\`\`\`\n${detail}\n\`\`\``);
}

/** parseType + validate for one value; throws InvalidValue with Kestra's reason. */
function typed(def: Pick<InputDef, 'type' | 'validator' | 'min' | 'max' | 'values' | 'required' | 'allowCustomValue'>, value: unknown): unknown {
  switch (def.type) {
    case 'STRING': {
      const text = javaText(value);
      if (def.validator !== undefined && !new RegExp(`^(?:${def.validator})$`).test(text)) {
        throw new InvalidValue(`it must match the pattern \`${def.validator}\``);
      }
      return text;
    }
    case 'EMAIL': {
      const text = javaText(value);
      if (!EMAIL.test(text)) throw new InvalidValue('it must be a valid email address');
      return text;
    }
    case 'SELECT': {
      const text = javaText(value);
      if (!(def.values ?? []).includes(text) && def.required && !def.allowCustomValue) {
        throw new InvalidValue(`it must match the values \`[${(def.values ?? []).join(', ')}]\``);
      }
      return text;
    }
    case 'INT': {
      let n: number;
      if (isIntegral(value)) n = value;
      else {
        const text = javaToString(value);
        if (!JAVA_INT.test(text)) throw new InvalidValue(`For input string: "${text}"`);
        n = Number(text);
        if (n > 2147483647 || n < -2147483648) throw new InvalidValue(`For input string: "${text}"`);
      }
      if (def.min !== undefined && n < def.min) throw new InvalidValue(`it must be more than \`${def.min}\``);
      if (def.max !== undefined && n > def.max) throw new InvalidValue(`it must be less than \`${def.max}\``);
      return n;
    }
    case 'FLOAT': {
      let n: number;
      if (isNumber(value)) n = numValue(value);
      else {
        const text = javaToString(value).trim();
        if (!JAVA_FLOAT.test(text)) throw expected('FLOAT', value, `For input string: "${javaToString(value)}"`);
        n = Number(text.replace(/[fFdD]$/, ''));
      }
      if (def.min !== undefined && n < def.min) throw new InvalidValue(`it must be more than \`${def.min}\``);
      if (def.max !== undefined && n > def.max) throw new InvalidValue(`it must be less than \`${def.max}\``);
      return n;
    }
    case 'BOOLEAN':
    case 'BOOL': {
      if (typeof value === 'boolean') return value;
      return javaToString(value).toLowerCase() === 'true';
    }
    case 'JSON': {
      // Kestra parses a string; a map or list given directly (an API call with a JSON body) is kept.
      if (isMap(value) || Array.isArray(value)) return value;
      if (typeof value !== 'string') throw classCast(value, 'java.lang.String');
      try {
        return parseJson(value);
      } catch (error) {
        throw expected('JSON', value, error instanceof JsonParseError ? error.message : String(error));
      }
    }
    case 'DATETIME': {
      const date = value instanceof Date ? value : typeof value === 'string' ? parseInstant(value) : undefined;
      if (!date) throw expected('DATETIME', value, `Text '${javaToString(value)}' could not be parsed at index 0`);
      return date;
    }
    case 'DATE': {
      if (typeof value !== 'string' || !isLocalDate(value)) throw expected('DATE', value, `Text '${javaToString(value)}' could not be parsed at index 0`);
      return value;
    }
    case 'URI': {
      if (typeof value !== 'string' || !URI.test(value)) throw new InvalidValue(`Expected \`URI\` but received \`${javaToString(value)}\``);
      return value;
    }
  }
}

function violation(kind: 'input' | 'output', id: string, reason: string, value: unknown): InputViolation {
  return { id, message: `Invalid ${kind} for \`${id}\`, ${reason}, but received \`${javaToString(value)}\`` };
}

/** Reads `data` against the flow's declared inputs. */
export function resolveInputs(defs: readonly InputDef[], data: Readonly<Record<string, unknown>>): ResolvedInputs {
  const values: Record<string, unknown> = {};
  const violations: InputViolation[] = [];
  for (const def of defs) {
    const given = data[def.id];
    const value = given === undefined || given === null ? def.defaults : given;
    if (value === undefined || value === null) {
      if (def.required) violations.push(violation('input', def.id, 'missing required input', null));
      continue;
    }
    try {
      values[def.id] = typed(def, value);
    } catch (error) {
      if (!(error instanceof InvalidValue)) throw error;
      violations.push(violation('input', def.id, error.message, value));
    }
  }
  return violations.length > 0 ? { ok: false, violations } : { ok: true, values };
}

/** FlowInputOutput.typedOutputs: rendered flow outputs converted to their declared type. */
export function typedOutputs(defs: readonly OutputDef[], rendered: Readonly<Record<string, unknown>>): { ok: true; values: Record<string, unknown> } | { ok: false; message: string } {
  const values: Record<string, unknown> = {};
  for (const def of defs) {
    const value = rendered[def.id];
    if (def.type === undefined || value === undefined || value === null) {
      values[def.id] = value ?? null;
      continue;
    }
    try {
      values[def.id] = typed({ type: def.type, required: true, allowCustomValue: true }, value);
    } catch (error) {
      if (!(error instanceof InvalidValue)) throw error;
      return { ok: false, message: violation('output', def.id, error.message, value).message };
    }
  }
  return { ok: true, values };
}

/** Kestra's one-line summary of input violations (ConstraintViolationException#getMessage). */
export function describeViolations(violations: readonly InputViolation[]): string {
  return violations.map((v) => `${v.id}: ${v.message}`).join(', ');
}
