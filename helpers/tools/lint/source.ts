/**
 * One YAML file, parsed once: its text, the `yaml` document (with source ranges) and a line
 * counter, plus helpers that turn a node or an offset inside a scalar into a 1-based position.
 */
import { LineCounter, parseDocument, isMap, isScalar, isSeq, isPair, Scalar } from 'yaml';
import type { Document, Node, YAMLMap, YAMLSeq, Pair } from 'yaml';
import type { Position, RuleProblem } from './vocabulary.js';

export interface YamlSyntaxError extends Position {
  message: string;
}

export class SourceFile {
  readonly lineCounter = new LineCounter();
  readonly doc: Document.Parsed | undefined;
  readonly syntaxErrors: YamlSyntaxError[] = [];

  constructor(
    /** Absolute path. */
    readonly path: string,
    readonly text: string,
  ) {
    if (text.trim() === '') return;
    const doc = parseDocument(text, { lineCounter: this.lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
    for (const e of doc.errors) {
      const pos = this.pos(e.pos[0]);
      this.syntaxErrors.push({ ...pos, message: e.message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, '') });
    }
    this.doc = doc;
  }

  get isEmpty(): boolean {
    return this.text.trim() === '' || (this.doc !== undefined && this.syntaxErrors.length === 0 && (this.doc.contents === null || (isScalar(this.doc.contents) && this.doc.contents.value === null)));
  }

  /** The document's top-level mapping, when the file parsed and is one. */
  get root(): YAMLMap | undefined {
    if (!this.doc || this.syntaxErrors.length > 0) return undefined;
    return isMap(this.doc.contents) ? (this.doc.contents as YAMLMap) : undefined;
  }

  /** 1-based position of a character offset. */
  pos(offset: number): Position {
    const p = this.lineCounter.linePos(Math.max(0, Math.min(offset, this.text.length)));
    return { line: p.line, column: p.col };
  }

  /** Position of a node (its first character); the top of the file when the node is missing. */
  nodePos(node: unknown): Position {
    if (isPair(node)) return this.nodePos(node.key);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    return range ? this.pos(range[0]) : { line: 1, column: 1 };
  }

  /** A problem at a node. */
  at(node: unknown, message: string): RuleProblem {
    return { file: this.path, ...this.nodePos(node), message };
  }

  /**
   * Position of the character at `valueOffset` in a scalar's value. Escapes, quotes, folding and
   * block indentation mean the value is not a plain slice of the source, so the text around the
   * offset is looked up in the scalar's source range (the same occurrence, counted from the start).
   */
  scalarPos(node: Scalar, valueOffset: number): Position {
    const range = node.range;
    const value = String(node.value ?? '');
    if (!range) return { line: 1, column: 1 };
    const raw = this.text.slice(range[0], range[1]);
    const lineEnd = value.indexOf('\n', valueOffset);
    let needle = value.slice(valueOffset, lineEnd < 0 ? undefined : lineEnd);
    if (needle.length > 40) needle = needle.slice(0, 40);
    while (needle.length > 0) {
      let nth = 0;
      for (let i = value.indexOf(needle); i >= 0 && i < valueOffset; i = value.indexOf(needle, i + 1)) nth++;
      let at = -1;
      for (let k = 0, from = 0; k <= nth; k++) {
        at = raw.indexOf(needle, from);
        if (at < 0) break;
        from = at + 1;
      }
      if (at >= 0) return this.pos(range[0] + at);
      needle = needle.slice(0, Math.floor(needle.length / 2));
      if (needle.length < 3) break;
    }
    return this.pos(range[0]);
  }
}

// --- small typed accessors over yaml nodes ---------------------------------------------------

export function pairOf(map: YAMLMap | undefined, key: string): Pair | undefined {
  if (!map) return undefined;
  for (const item of map.items) {
    const k = item.key;
    if (isScalar(k) ? String(k.value) === key : k === key) return item as Pair;
  }
  return undefined;
}

export function valueNode(map: YAMLMap | undefined, key: string): Node | undefined {
  const v = pairOf(map, key)?.value;
  return (v ?? undefined) as Node | undefined;
}

export function keyNode(map: YAMLMap | undefined, key: string): Node | undefined {
  return (pairOf(map, key)?.key ?? undefined) as Node | undefined;
}

/** The string value of a scalar (numbers and booleans as YAML wrote them), else undefined. */
export function scalarString(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return node.source ?? String(v);
  return undefined;
}

export function stringAt(map: YAMLMap | undefined, key: string): string | undefined {
  return scalarString(valueNode(map, key));
}

export function mapAt(map: YAMLMap | undefined, key: string): YAMLMap | undefined {
  const v = valueNode(map, key);
  return isMap(v) ? (v as YAMLMap) : undefined;
}

export function seqAt(map: YAMLMap | undefined, key: string): YAMLSeq | undefined {
  const v = valueNode(map, key);
  return isSeq(v) ? (v as YAMLSeq) : undefined;
}

export function keyString(pair: Pair): string | undefined {
  return scalarString(pair.key);
}

/**
 * Every string scalar under a node (keys excluded), with the key path that leads to it, in
 * document order. A plain recursive walk, not a generator: the flow model reads every string of
 * every flow, and a chain of nested generators costs more than the walk itself.
 */
export function forEachStringScalar(node: unknown, path: (string | number)[], visit: (node: Scalar, value: string, path: (string | number)[]) => void): void {
  if (isScalar(node)) {
    if (typeof node.value === 'string') visit(node, node.value, path);
  } else if (isMap(node)) {
    for (const pair of (node as YAMLMap).items) {
      const k = scalarString(pair.key) ?? '?';
      forEachStringScalar(pair.value, [...path, k], visit);
    }
  } else if (isSeq(node)) {
    const items = (node as YAMLSeq).items;
    for (let i = 0; i < items.length; i++) forEachStringScalar(items[i], [...path, i], visit);
  }
}

export { isMap, isScalar, isSeq, isPair, Scalar };
export type { Node, YAMLMap, YAMLSeq, Pair, Document };
