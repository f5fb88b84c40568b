/**
 * A Docker Compose file and its `.env.example`, as the compose rules see them: services with
 * their image, environment, labels, networks, ports, volumes, healthcheck and depends_on (in
 * both the list and the map syntax), Kestra's `KESTRA_CONFIGURATION` parsed as YAML, and the
 * `${VAR}` interpolations.
 */
import { parseDocument } from 'yaml';
import type { Node, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { readFileSync } from 'node:fs';
import { SourceFile, isMap, isScalar, isSeq, pairOf, valueNode, keyNode, scalarString, stringAt, mapAt } from './source.js';
import type { Position } from './vocabulary.js';
import { hasDefault, variableReferences } from '../../kestra-model/compose-variables.js';

export interface Entry {
  key: string;
  value: string | undefined;
  /** Node to point at for the key (the list item for `KEY=VALUE` lists). */
  keyNode: Node;
  /** Node holding the value (the same list item for `KEY=VALUE` lists). */
  valueNode: Node | undefined;
  /** Offset of the value inside valueNode's string (for `KEY=VALUE` items). */
  valueOffset: number;
}

export interface ServiceModel {
  name: string;
  nameNode: Node;
  node: YAMLMap;
  image: string | undefined;
  imageNode: Node | undefined;
  environment: Entry[];
  labels: Entry[];
  networks: { name: string; node: Node }[];
  ports: { text: string; node: Node }[];
  expose: { text: string; node: Node }[];
  volumes: { text: string; node: Node }[];
  dependsOn: { name: string; condition: string | undefined; node: Node }[];
  envFiles: string[];
}

export interface NetworkModel {
  name: string;
  node: Node;
  external: boolean;
  internal: boolean;
}

export interface Interpolation {
  name: string;
  /** The raw expression, e.g. `${POSTGRES_PASSWORD:?set it}`. */
  text: string;
  /** Has a default value (`:-` / `-`): the variable is optional. */
  hasDefault: boolean;
  offset: number;
}

function entriesOf(node: Node | undefined): Entry[] {
  const out: Entry[] = [];
  if (isMap(node)) {
    for (const pair of (node as YAMLMap).items) {
      const key = scalarString(pair.key);
      if (key === undefined) continue;
      out.push({ key, value: scalarString(pair.value), keyNode: pair.key as Node, valueNode: (pair.value ?? undefined) as Node | undefined, valueOffset: 0 });
    }
  } else if (isSeq(node)) {
    for (const item of (node as YAMLSeq).items) {
      const text = scalarString(item);
      if (text === undefined) continue;
      const eq = text.indexOf('=');
      const key = eq < 0 ? text : text.slice(0, eq);
      out.push({ key: key.trim(), value: eq < 0 ? undefined : text.slice(eq + 1), keyNode: item as Node, valueNode: item as Node, valueOffset: eq < 0 ? 0 : eq + 1 });
    }
  }
  return out;
}

function namesOf(node: Node | undefined): { name: string; node: Node }[] {
  if (isSeq(node)) {
    return (node as YAMLSeq).items.flatMap((i) => {
      const s = scalarString(i);
      return s === undefined ? [] : [{ name: s, node: i as Node }];
    });
  }
  if (isMap(node)) {
    return (node as YAMLMap).items.flatMap((p) => {
      const s = scalarString(p.key);
      return s === undefined ? [] : [{ name: s, node: p.key as Node }];
    });
  }
  return [];
}

function textsOf(node: Node | undefined): { text: string; node: Node }[] {
  if (!isSeq(node)) return [];
  return (node as YAMLSeq).items.flatMap((i) => {
    const s = scalarString(i);
    if (s !== undefined) return [{ text: s, node: i as Node }];
    if (isMap(i)) {
      // long syntax: { target, published, source, type, ... }
      const m = i as YAMLMap;
      const parts = ['type', 'source', 'target', 'published', 'host_ip'].map((k) => `${k}=${stringAt(m, k) ?? ''}`);
      return [{ text: parts.join(' '), node: i as Node }];
    }
    return [];
  });
}

export class ComposeModel {
  readonly services: ServiceModel[] = [];
  readonly networks: NetworkModel[] = [];
  readonly interpolations: Interpolation[] = [];
  private kestraConfigCache: { root: YAMLMap; scalar: Scalar } | null | undefined;

  constructor(
    readonly file: SourceFile,
    readonly root: YAMLMap,
  ) {
    const services = mapAt(root, 'services');
    for (const pair of services?.items ?? []) {
      const name = scalarString(pair.key);
      if (name === undefined || !isMap(pair.value)) continue;
      const node = pair.value as YAMLMap;
      const deps = valueNode(node, 'depends_on');
      const dependsOn = isMap(deps)
        ? (deps as YAMLMap).items.flatMap((p) => {
            const n = scalarString(p.key);
            return n === undefined ? [] : [{ name: n, condition: isMap(p.value) ? stringAt(p.value as YAMLMap, 'condition') : undefined, node: p.key as Node }];
          })
        : namesOf(deps).map((d) => ({ ...d, condition: undefined }));
      const envFile = valueNode(node, 'env_file');
      const envFiles = isSeq(envFile)
        ? (envFile as YAMLSeq).items.flatMap((i) => {
            const s = scalarString(i) ?? (isMap(i) ? stringAt(i as YAMLMap, 'path') : undefined);
            return s === undefined ? [] : [s];
          })
        : scalarString(envFile) !== undefined
          ? [scalarString(envFile)!]
          : [];
      this.services.push({
        name,
        nameNode: pair.key as Node,
        node,
        image: stringAt(node, 'image'),
        imageNode: valueNode(node, 'image'),
        environment: entriesOf(valueNode(node, 'environment')),
        labels: entriesOf(valueNode(node, 'labels')),
        networks: namesOf(valueNode(node, 'networks')),
        ports: textsOf(valueNode(node, 'ports')),
        expose: textsOf(valueNode(node, 'expose')),
        volumes: textsOf(valueNode(node, 'volumes')),
        dependsOn,
        envFiles,
      });
    }
    const networks = mapAt(root, 'networks');
    for (const pair of networks?.items ?? []) {
      const name = scalarString(pair.key);
      if (name === undefined) continue;
      const m = isMap(pair.value) ? (pair.value as YAMLMap) : undefined;
      this.networks.push({
        name,
        node: pair.key as Node,
        external: /^true$/i.test(scalarString(valueNode(m, 'external')) ?? '') || isMap(valueNode(m, 'external')),
        internal: /^true$/i.test(scalarString(valueNode(m, 'internal')) ?? ''),
      });
    }
    // ${VAR} interpolations anywhere in the file (comments excluded); `$$` escapes a dollar.
    const text = file.text;
    const commentRanges = commentSpans(text);
    for (const ref of variableReferences(text)) {
      if (commentRanges.some(([a, b]) => ref.offset >= a && ref.offset < b)) continue;
      this.interpolations.push({ name: ref.name, text: ref.text, hasDefault: hasDefault(ref), offset: ref.offset });
    }
  }

  service(name: string): ServiceModel | undefined {
    return this.services.find((s) => s.name === name);
  }

  /** The Kestra service: image `kestra/kestra…`, else the service named `kestra`. */
  get kestra(): ServiceModel | undefined {
    return this.services.find((s) => /(^|\/)kestra\/kestra(:|@|$)/.test(s.image ?? '')) ?? this.service('kestra');
  }

  /** The PostgreSQL service: image `postgres…`, else the service named `postgres`. */
  get postgres(): ServiceModel | undefined {
    return this.services.find((s) => /(^|\/)postgres(ql)?(:|@|$)/.test(s.image ?? '')) ?? this.service('postgres');
  }

  /** `KESTRA_CONFIGURATION` of the Kestra service, parsed (undefined when absent or not a mapping). */
  kestraConfiguration(): { root: YAMLMap; scalar: Scalar } | undefined {
    if (this.kestraConfigCache !== undefined) return this.kestraConfigCache ?? undefined;
    this.kestraConfigCache = null;
    const entry = this.kestra?.environment.find((e) => e.key === 'KESTRA_CONFIGURATION');
    if (entry?.value !== undefined && isScalar(entry.valueNode)) {
      const doc = parseDocument(entry.value.slice(0), { prettyErrors: false });
      if (doc.errors.length === 0 && isMap(doc.contents)) this.kestraConfigCache = { root: doc.contents as YAMLMap, scalar: entry.valueNode as Scalar };
    }
    return this.kestraConfigCache ?? undefined;
  }

  /** Position of a node of the embedded KESTRA_CONFIGURATION document. */
  configPos(node: Node | undefined): Position {
    const cfg = this.kestraConfiguration();
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (!cfg || !range) return this.file.nodePos(cfg?.scalar);
    return this.file.scalarPos(cfg.scalar, range[0]);
  }

  /** Position of the value of an environment/label entry. */
  entryValuePos(entry: Entry): Position {
    if (isScalar(entry.valueNode) && entry.valueOffset > 0) return this.file.scalarPos(entry.valueNode as Scalar, entry.valueOffset);
    return this.file.nodePos(entry.valueNode ?? entry.keyNode);
  }
}

/** [start, end) offsets of `#` comments (a `#` at line start or after whitespace, outside quotes — good enough for compose files). */
function commentSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  let lineStart = 0;
  for (const line of text.split('\n')) {
    const hash = line.indexOf('#');
    if (hash >= 0) {
      let quote = '';
      for (let i = 0; i < line.length; i++) {
        const c = line[i]!;
        if (quote) {
          if (c === quote) quote = '';
        } else if ((c === '"' || c === "'") && (i === 0 || ' \t:[{,-'.includes(line[i - 1]!))) {
          quote = c;
        } else if (c === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) {
          spans.push([lineStart + i, lineStart + line.length]);
          break;
        }
      }
    }
    lineStart += line.length + 1;
  }
  return spans;
}

export function composeModelOf(file: SourceFile): ComposeModel | undefined {
  const root = file.root;
  return root ? new ComposeModel(file, root) : undefined;
}

/** `.env.example`: the variables it documents, set (`NAME=…`) or commented out (`# NAME=…`). */
export class EnvExample {
  readonly keys = new Map<string, Position & { commented: boolean }>();

  constructor(
    readonly path: string,
    readonly text: string,
  ) {
    text.split(/\r?\n/).forEach((line, i) => {
      const m = /^(\s*(?:#\s*)?(?:export\s+)?)([A-Za-z_][A-Za-z0-9_]*)=/.exec(line);
      if (!m) return;
      const name = m[2]!;
      if (!this.keys.has(name)) this.keys.set(name, { line: i + 1, column: m[1]!.length + 1, commented: m[1]!.includes('#') });
    });
  }

  has(name: string): boolean {
    return this.keys.has(name);
  }

  static read(path: string): EnvExample | undefined {
    try {
      return new EnvExample(path, readFileSync(path, 'utf8'));
    } catch {
      return undefined;
    }
  }
}

export { keyNode, pairOf };
