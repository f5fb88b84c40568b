/**
 * A Kestra flow as the rules see it: id, namespace, inputs, triggers, and every task (nested
 * flowable children included) flattened in execution order — the main tasks depth-first in
 * sequence, then `errors`, then `finally`, then `afterExecution` — each with its YAML path, its
 * parent and the branch it sits in, so "has this task run yet at that point?" can be answered.
 */
import type { Scalar, YAMLMap, YAMLSeq, Node } from 'yaml';
import { SourceFile, isMap, isSeq, isScalar, pairOf, valueNode, keyNode, stringAt, scalarString, forEachStringScalar, mapAt } from './source.js';
import { canonicalType } from '../../kestra-model/catalog.js';
import { effectiveValue, pluginDefaultsMatcher, type MatchedDefaults, type PluginDefault } from '../../kestra-model/plugin-defaults.js';

export type Section = 'tasks' | 'errors' | 'finally' | 'afterExecution';

export interface TaskModel {
  id: string | undefined;
  idNode: Node | undefined;
  /** The type as written. */
  type: string | undefined;
  /** The canonical core class for an alias; the type as written otherwise. */
  canonicalType: string | undefined;
  typeNode: Node | undefined;
  node: YAMLMap;
  /** YAML path, e.g. `tasks[2].then[0]`. */
  path: string;
  section: Section;
  /** Position in execution order across the whole flow (0-based). */
  order: number;
  parent: TaskModel | undefined;
  /** The parent's property this task is listed under: `tasks`, `then`, `else`, `cases.5day`, `defaults`, `errors`, … */
  branch: string;
  children: TaskModel[];
  /** Order of the last task in this task's subtree (itself when it has no children). */
  lastOrder: number;
}

export interface TriggerModel {
  id: string | undefined;
  idNode: Node | undefined;
  type: string | undefined;
  canonicalType: string | undefined;
  typeNode: Node | undefined;
  node: YAMLMap;
  path: string;
}

export interface InputModel {
  id: string | undefined;
  idNode: Node | undefined;
  type: string | undefined;
  typeNode: Node | undefined;
  node: YAMLMap;
  required: boolean;
  hasDefault: boolean;
}

/** Where a string sits in the flow, for rules that read templates. */
export type StringArea = 'task' | 'trigger' | 'outputs' | 'inputs' | 'variables' | 'labels' | 'other';

export interface FlowString {
  node: Scalar;
  value: string;
  /** Key path inside its owner (task, trigger or flow section). */
  path: (string | number)[];
  area: StringArea;
  /** The innermost task whose own properties hold this string (child tasks excluded). */
  task: TaskModel | undefined;
  trigger: TriggerModel | undefined;
}

/** Properties of a task that hold child tasks. */
const CHILD_LIST_KEYS_LAST = ['errors', 'finally'];

function looksLikeTask(node: unknown): node is YAMLMap {
  if (!isMap(node)) return false;
  const t = stringAt(node as YAMLMap, 'type');
  return t !== undefined && t.includes('.') && pairOf(node as YAMLMap, 'id') !== undefined;
}

/** A list of maps where at least one looks like a task (so a task missing its type still counts). */
function isTaskList(node: unknown): node is YAMLSeq {
  if (!isSeq(node)) return false;
  const items = (node as YAMLSeq).items;
  return items.length > 0 && items.every((i) => isMap(i)) && items.some((i) => looksLikeTask(i) || isDagItem(i));
}

function hasValue(node: Node | undefined): boolean {
  return node !== undefined && !(isScalar(node) && (node as Scalar).value === null);
}

/** `Dag` lists `{ task: {...}, dependsOn: [...] }`. */
function isDagItem(node: unknown): boolean {
  return isMap(node) && looksLikeTask(valueNode(node as YAMLMap, 'task'));
}

export class FlowModel {
  readonly id: string | undefined;
  readonly idNode: Node | undefined;
  readonly namespace: string | undefined;
  readonly namespaceNode: Node | undefined;
  readonly inputs: InputModel[] = [];
  readonly triggers: TriggerModel[] = [];
  /** Every task, in execution order. */
  readonly tasks: TaskModel[] = [];
  private stringsCache: FlowString[] | undefined;

  constructor(
    readonly file: SourceFile,
    readonly root: YAMLMap,
  ) {
    this.id = stringAt(root, 'id');
    this.idNode = valueNode(root, 'id');
    this.namespace = stringAt(root, 'namespace');
    this.namespaceNode = valueNode(root, 'namespace');

    const inputs = valueNode(root, 'inputs');
    if (isSeq(inputs)) {
      for (const item of (inputs as YAMLSeq).items) {
        if (!isMap(item)) continue;
        const m = item as YAMLMap;
        const idKey = pairOf(m, 'id') ? 'id' : 'name';
        const required = scalarString(valueNode(m, 'required'));
        this.inputs.push({
          id: stringAt(m, idKey),
          idNode: valueNode(m, idKey),
          type: stringAt(m, 'type'),
          typeNode: valueNode(m, 'type'),
          node: m,
          required: required === undefined ? true : required !== 'false',
          hasDefault: hasValue(valueNode(m, 'defaults')),
        });
      }
    }

    const triggers = valueNode(root, 'triggers');
    if (isSeq(triggers)) {
      (triggers as YAMLSeq).items.forEach((item, i) => {
        if (!isMap(item)) return;
        const m = item as YAMLMap;
        const type = stringAt(m, 'type');
        this.triggers.push({
          id: stringAt(m, 'id'),
          idNode: valueNode(m, 'id'),
          type,
          canonicalType: type === undefined ? undefined : canonicalType(type),
          typeNode: valueNode(m, 'type'),
          node: m,
          path: `triggers[${i}]`,
        });
      });
    }

    for (const section of ['tasks', 'errors', 'finally', 'afterExecution'] as const) {
      const list = valueNode(root, section);
      if (isSeq(list)) this.addList(list as YAMLSeq, section, section, undefined, section);
    }
  }

  private addList(list: YAMLSeq, path: string, branch: string, parent: TaskModel | undefined, section: Section): void {
    list.items.forEach((item, i) => {
      let node: unknown = item;
      let itemPath = `${path}[${i}]`;
      if (isDagItem(item)) {
        node = valueNode(item as YAMLMap, 'task');
        itemPath += '.task';
      }
      if (!isMap(node)) return;
      this.addTask(node as YAMLMap, itemPath, branch, parent, section);
    });
  }

  private addTask(node: YAMLMap, path: string, branch: string, parent: TaskModel | undefined, section: Section): void {
    const type = stringAt(node, 'type');
    const task: TaskModel = {
      id: stringAt(node, 'id'),
      idNode: valueNode(node, 'id'),
      type,
      canonicalType: type === undefined ? undefined : canonicalType(type),
      typeNode: valueNode(node, 'type'),
      node,
      path,
      section,
      order: this.tasks.length,
      parent,
      branch,
      children: [],
      lastOrder: this.tasks.length,
    };
    this.tasks.push(task);
    parent?.children.push(task);

    // Child tasks: main branches in YAML order, then errors, then finally.
    const later: [string, YAMLSeq][] = [];
    for (const pair of node.items) {
      const key = scalarString(pair.key);
      if (key === undefined || key === 'id' || key === 'type') continue;
      const v = pair.value;
      if (isTaskList(v)) {
        if (CHILD_LIST_KEYS_LAST.includes(key)) later.push([key, v as YAMLSeq]);
        else this.addList(v as YAMLSeq, `${path}.${key}`, key, task, section);
      } else if (looksLikeTask(v)) {
        // a single child task (e.g. `task:` of AllowFailure-like wrappers)
        this.addTask(v as YAMLMap, `${path}.${key}`, key, task, section);
      } else if (isMap(v)) {
        // a map of branches (Switch `cases`)
        for (const casePair of (v as YAMLMap).items) {
          const caseKey = scalarString(casePair.key);
          if (caseKey !== undefined && isTaskList(casePair.value)) {
            this.addList(casePair.value as YAMLSeq, `${path}.${key}.${caseKey}`, `${key}.${caseKey}`, task, section);
          }
        }
      }
    }
    later.sort((a, b) => CHILD_LIST_KEYS_LAST.indexOf(a[0]) - CHILD_LIST_KEYS_LAST.indexOf(b[0]));
    for (const [key, list] of later) this.addList(list, `${path}.${key}`, key, task, section);
    task.lastOrder = this.tasks.length - 1;
  }

  private defaultsMatcher: ((pluginType: string) => MatchedDefaults<YAMLMap>) | undefined;

  /**
   * The flow's pluginDefaults that apply to a task, as Kestra resolves them (helpers/kestra-model/
   * plugin-defaults.ts, shared with the stand-in): those that win first — forced ones, then the
   * others in the order Kestra applies them.
   */
  pluginDefaultsFor(task: { type: string | undefined }): { values: YAMLMap; forced: boolean }[] {
    if (task.type === undefined) return [];
    const { defaults, forced } = this.matchDefaults(task.type);
    return [...[...forced].reverse(), ...defaults].map(({ values, forced }) => ({ values, forced }));
  }

  private matchDefaults(pluginType: string): MatchedDefaults<YAMLMap> {
    if (!this.defaultsMatcher) {
      const list = valueNode(this.root, 'pluginDefaults');
      const declared: PluginDefault<YAMLMap>[] = [];
      for (const item of isSeq(list) ? (list as YAMLSeq).items : []) {
        if (!isMap(item)) continue;
        const type = stringAt(item as YAMLMap, 'type');
        const values = mapAt(item as YAMLMap, 'values');
        if (type && values) declared.push({ type, values, forced: stringAt(item as YAMLMap, 'forced') === 'true' });
      }
      this.defaultsMatcher = pluginDefaultsMatcher(declared, canonicalType);
    }
    return this.defaultsMatcher(pluginType);
  }

  /** A task property as Kestra sees it: a forced default's, else the task's own, else a default's. */
  effectiveNode(task: TaskModel, key: string): Node | undefined {
    const own = valueNode(task.node, key);
    if (task.type === undefined) return own;
    return effectiveValue(own, this.matchDefaults(task.type), (values) => valueNode(values, key));
  }

  /**
   * The YAML node a model path names (`tasks[0].uri`, or its segments), or the deepest one that
   * exists on the way (the task, when the property is missing). A leading root name that is not a
   * key of the flow (`flow.tasks[0]`) is skipped.
   */
  nodeAtPath(path: string | (string | number)[], prefer: 'key' | 'value' = 'key'): Node | undefined {
    const segments = typeof path === 'string' ? parseModelPath(path) : path;
    const walk = (segs: (string | number)[]): { node: Node | undefined; depth: number } => {
      let node: unknown = this.root;
      let best: Node | undefined;
      let depth = 0;
      for (const seg of segs) {
        if (typeof seg === 'number' && isSeq(node)) {
          node = (node as YAMLSeq).items[seg];
          if (!node) break;
          best = node as Node;
        } else if (typeof seg === 'string' && isMap(node)) {
          const pair = pairOf(node as YAMLMap, seg);
          if (!pair) break;
          best = (prefer === 'value' && depth === segs.length - 1 && pair.value ? pair.value : pair.key) as Node;
          node = pair.value;
        } else break;
        depth++;
      }
      return { node: best, depth };
    };
    const direct = walk(segments);
    if (direct.depth === 0 && segments.length > 1) return walk(segments.slice(1)).node;
    return direct.node;
  }

  /** The flow's key as the repository index and Subflow calls name it. */
  get key(): string | undefined {
    return this.id !== undefined && this.namespace !== undefined ? `${this.namespace}/${this.id}` : undefined;
  }

  taskById(id: string): TaskModel | undefined {
    return this.tasks.find((t) => t.id === id);
  }

  /** Is `ancestor` a (strict) ancestor of `task`? */
  static isAncestor(ancestor: TaskModel, task: TaskModel): boolean {
    for (let p = task.parent; p; p = p.parent) if (p === ancestor) return true;
    return false;
  }

  /**
   * Every string scalar of the flow that a rule may read, with the task or trigger that owns it.
   * Descriptions and ids are not rendered by Kestra and are left out.
   */
  strings(): FlowString[] {
    if (this.stringsCache) return this.stringsCache;
    const out: FlowString[] = [];
    const skipKeys = new Set(['description', 'id', 'type', 'displayName']);

    const walkOwned = (node: YAMLMap, task: TaskModel): void => {
      for (const pair of node.items) {
        const key = scalarString(pair.key);
        if (key === undefined || skipKeys.has(key)) continue;
        const v = pair.value;
        if (isTaskList(v) || looksLikeTask(v)) continue; // children walk themselves
        if (isMap(v) && (v as YAMLMap).items.some((p) => isTaskList(p.value))) {
          // a map of branches: its task lists belong to the children, other values to this task
          for (const p of (v as YAMLMap).items) {
            if (isTaskList(p.value)) continue;
            forEachStringScalar(p.value, [key, scalarString(p.key) ?? '?'], (node, value, path) => out.push({ node, value, path, area: 'task', task, trigger: undefined }));
          }
          continue;
        }
        forEachStringScalar(v, [key], (node, value, path) => out.push({ node, value, path, area: 'task', task, trigger: undefined }));
      }
    };
    for (const task of this.tasks) walkOwned(task.node, task);

    for (const trigger of this.triggers) {
      for (const pair of trigger.node.items) {
        const key = scalarString(pair.key);
        if (key === undefined || skipKeys.has(key)) continue;
        forEachStringScalar(pair.value, [key], (node, value, path) => out.push({ node, value, path, area: 'trigger', task: undefined, trigger }));
      }
    }
    const sections: [string, StringArea][] = [['outputs', 'outputs'], ['variables', 'variables'], ['labels', 'labels'], ['inputs', 'inputs']];
    for (const [key, area] of sections) {
      const v = valueNode(this.root, key);
      if (!v) continue;
      forEachStringScalar(v, [key], (node, value, path) => {
        const last = path[path.length - 1];
        if (typeof last === 'string' && skipKeys.has(last)) return;
        out.push({ node, value, path, area, task: undefined, trigger: undefined });
      });
    }
    const pluginDefaults = valueNode(this.root, 'pluginDefaults');
    if (pluginDefaults) forEachStringScalar(pluginDefaults, ['pluginDefaults'], (node, value, path) => out.push({ node, value, path, area: 'other', task: undefined, trigger: undefined }));
    this.stringsCache = out;
    return out;
  }

  // --- accessors rules share ---

  static str(task: { node: YAMLMap }, key: string): string | undefined {
    return stringAt(task.node, key);
  }

  static node(task: { node: YAMLMap }, key: string): Node | undefined {
    return valueNode(task.node, key);
  }

  static keyNode(task: { node: YAMLMap }, key: string): Node | undefined {
    return keyNode(task.node, key);
  }

  static map(task: { node: YAMLMap }, key: string): YAMLMap | undefined {
    return mapAt(task.node, key);
  }
}

/** `tasks[2].then[0].type` → ['tasks', 2, 'then', 0, 'type'] (`cases.5day` stays two keys). */
export function parseModelPath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

/** Builds the flow model of a parsed file, or undefined when the file is not a YAML mapping. */
export function flowModelOf(file: SourceFile): FlowModel | undefined {
  const root = file.root;
  return root ? new FlowModel(file, root) : undefined;
}
