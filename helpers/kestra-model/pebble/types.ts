/** Public context type and the contracts filters/functions/tests implement. */
import type { Zone } from './dates.js';

export interface RenderContext {
  /** inputs, outputs, trigger, execution, flow, vars, envs, taskrun, labels, parent ... */
  variables: Record<string, unknown>;
  /** The clock `now()` follows (a virtual clock in tests). Defaults to the real clock. */
  now?: () => Date;
  /**
   * Resolves `secret('NAME')` (and `secret('NAME', namespace='ns')`: Kestra OSS reads the same
   * SECRET_* environment whatever the namespace); should throw a clear error when it is missing.
   */
  secret?: (name: string, namespace?: string) => string;
  /** Extra functions (override built-ins of the same name), e.g. `kv`, `read`. */
  functions?: Record<string, (args: unknown[], named: Record<string, unknown>) => unknown>;
  /** The JVM default time zone of the simulated Kestra server; default 'UTC'. */
  zone?: string;
}

/** Arguments as Pebble passes them: a map keyed by argument name ("0", "1"... for varargs). */
export type ArgMap = Record<string, unknown>;

export interface CallContext {
  readonly context: RenderContext;
  /** ZoneId.systemDefault() of the simulated server. */
  defaultZone(): Zone;
  now(): Date;
  /** Kestra's VariableRenderer.renderObject, for render()/renderOnce(), one render() level deeper. */
  renderObject(value: unknown, recursive: boolean): unknown;
  /** How many render() calls enclose this template (Kestra's RENDER_DEPTH_VAR); 0 at the top. */
  readonly renderDepth: number;
  /** 1-based line of the function call being executed (Pebble's `lineNumber`). */
  callLine(): number;
}

export interface FilterDef {
  /** Pebble `getArgumentNames()`; null = varargs ("0", "1", ...). */
  args: readonly string[] | null;
  apply(input: unknown, args: ArgMap, ctx: CallContext): unknown;
}

export interface FunctionDef {
  args: readonly string[] | null;
  execute(args: ArgMap, ctx: CallContext): unknown;
}

export interface TestDef {
  args: readonly string[] | null;
  apply(input: unknown, args: ArgMap, ctx: CallContext): boolean;
}

export function has(args: ArgMap, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(args, key);
}
