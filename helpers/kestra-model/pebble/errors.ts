/**
 * Errors raised by the Pebble engine.
 *
 * Message formats follow Kestra/Pebble:
 *  - Pebble's `PebbleException.getMessage()` is `"<message> (<template name>:<line>)"`
 *    (io/pebbletemplates/pebble/error/PebbleException.java), and Kestra compiles flow properties
 *    with `getLiteralTemplate(source)`, so the "template name" is the template source itself.
 *  - Kestra rewrites `AttributeNotFoundException` into
 *    "Unable to find `<attr>` used in the expression `<template>` at line <n>"
 *    (core/src/main/java/io/kestra/core/runners/VariableRenderer.java, properPebbleException).
 */

/** 1-based line/column of a 0-based offset, counting line breaks like Pebble's TemplateSource. */
export function positionAt(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, source.length);
  for (let i = 0; i < end; i++) {
    const c = source.charCodeAt(i);
    if (c === 13 /* \r */) {
      if (source.charCodeAt(i + 1) === 10 && i + 1 < end) i++;
      line++;
      lineStart = i + 1;
    } else if (c === 10 || c === 0x85 || c === 0x2028 || c === 0x2029) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

export class PebbleSyntaxError extends Error {
  override readonly name = 'PebbleSyntaxError';
  /** Pebble's own message, without the "(template:line)" suffix. */
  readonly pebbleMessage: string;
  readonly template: string;
  /** 0-based offset in the template source. */
  readonly offset: number;
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units. */
  readonly column: number;

  constructor(pebbleMessage: string, template: string, offset: number) {
    const { line, column } = positionAt(template, offset);
    super(`${pebbleMessage} (${template}:${line})`);
    this.pebbleMessage = pebbleMessage;
    this.template = template;
    this.offset = offset;
    this.line = line;
    this.column = column;
  }
}

export type RenderErrorKind =
  /** Pebble AttributeNotFoundException: caught by `??`, `???`, `is defined` and `default`. */
  | 'attribute-not-found'
  /** A filter/function/test/tag/method that Kestra has but this stand-in does not implement. */
  | 'unsupported'
  /** Any other PebbleException (or Java runtime exception Kestra would surface). */
  | 'error';

export class PebbleRenderError extends Error {
  override readonly name = 'PebbleRenderError';
  readonly kind: RenderErrorKind;
  readonly pebbleMessage: string;
  readonly template: string;
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  /** For `attribute-not-found`: the attribute Kestra names in its message. */
  readonly attributeName: string | undefined;
  /** A bare Java runtime exception (see JavaRuntimeFailure), not a PebbleException. */
  readonly javaException: boolean;
  override readonly cause: unknown;

  constructor(
    kind: RenderErrorKind,
    pebbleMessage: string,
    template: string,
    offset: number,
    extra: { attributeName?: string; cause?: unknown; raw?: boolean; javaException?: boolean } = {},
  ) {
    const { line, column } = positionAt(template, offset);
    let message: string;
    if (extra.raw) {
      message = pebbleMessage;
    } else if (kind === 'attribute-not-found') {
      message = `Unable to find \`${extra.attributeName}\` used in the expression \`${template}\` at line ${line}`;
    } else if (kind === 'unsupported') {
      message = `${pebbleMessage} (used in the expression \`${template}\` at line ${line})`;
    } else {
      message = `${pebbleMessage} (${template}:${line})`;
    }
    super(message);
    this.kind = kind;
    this.pebbleMessage = pebbleMessage;
    this.template = template;
    this.offset = offset;
    this.line = line;
    this.column = column;
    this.attributeName = extra.attributeName;
    this.javaException = extra.javaException ?? false;
    this.cause = extra.cause;
  }
}

/**
 * Thrown by filter/function/test implementations (which do not know where they are used);
 * the evaluator turns it into a positioned PebbleRenderError.
 */
export class EvalFailure extends Error {
  constructor(
    message: string,
    readonly kind: RenderErrorKind = 'error',
    readonly attributeName?: string,
  ) {
    super(message);
  }
}

/**
 * A Java runtime exception (NullPointerException, ClassCastException...) that no Pebble node
 * wraps: Kestra's VariableRenderer only catches PebbleException, so the task fails with the bare
 * Java message, without Pebble's "(template:line)" suffix.
 */
export class JavaRuntimeFailure extends EvalFailure {}

/** A PebbleException built without line nor template: its message ends with "(?:?)" already. */
export class PositionlessPebbleFailure extends EvalFailure {}
