/**
 * The Pebble templates of a flow, each parsed once (through the adapter over helpers/kestra-model/pebble),
 * and the position in the YAML file of any offset inside a template.
 */
import type { FlowModel, FlowString } from './flow-model.js';
import type { Position } from './vocabulary.js';
import { pebble, type TemplateAst } from './pebble-adapter.js';

export interface TemplateError {
  message: string;
  /** 0-based offset in the template source. */
  offset: number;
}

export interface FlowTemplate {
  str: FlowString;
  ast: TemplateAst | undefined;
  error: TemplateError | undefined;
}

/** Does the string hold `{{`, `{%` or `{#`? (indexOf, not a regex: it runs on every string of every flow.) */
export function isTemplate(value: string): boolean {
  for (let i = value.indexOf('{'); i >= 0 && i + 1 < value.length; i = value.indexOf('{', i + 1)) {
    const next = value.charCodeAt(i + 1);
    if (next === 123 /* { */ || next === 37 /* % */ || next === 35 /* # */) return true;
  }
  return false;
}

export function parseOne(value: string): { ast: TemplateAst | undefined; error: TemplateError | undefined } {
  try {
    return { ast: pebble.parseTemplate(value), error: undefined };
  } catch (e) {
    const err = e as { pebbleMessage?: string; message?: string; offset?: number };
    if (typeof err.offset === 'number') {
      return { ast: undefined, error: { message: err.pebbleMessage ?? err.message ?? String(e), offset: err.offset } };
    }
    throw e;
  }
}

export function templatesOf(flow: FlowModel): FlowTemplate[] {
  const out: FlowTemplate[] = [];
  for (const str of flow.strings()) {
    if (!isTemplate(str.value)) continue;
    out.push({ str, ...parseOne(str.value) });
  }
  return out;
}

/** Position in the flow file of an offset inside a template string. */
export function templatePos(flow: FlowModel, t: FlowTemplate, offset: number): Position {
  return flow.file.scalarPos(t.str.node, offset);
}
