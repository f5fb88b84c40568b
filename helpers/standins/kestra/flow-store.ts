/**
 * Deployed flows, by (namespace, id), with revisions as Kestra keeps them: a create is revision 1;
 * an update whose source differs adds a revision (an identical source keeps the current one);
 * a delete marks the flow deleted (a later create starts again from the next revision).
 */
import { formatViolations, parseFlow, type FlowDef, type Violation } from './flow.js';

export const TENANT = 'main';

export class FlowValidationError extends Error {
  override readonly name = 'FlowValidationError';
  constructor(readonly violations: readonly Violation[]) {
    super(formatViolations(violations));
  }
}

export class FlowConflictError extends Error {
  override readonly name = 'FlowConflictError';
}

export class FlowNotFoundError extends Error {
  override readonly name = 'FlowNotFoundError';
}

const keyOf = (namespace: string, id: string) => `${namespace}\u0000${id}`;

export class FlowStore {
  readonly #revisions = new Map<string, FlowDef[]>();
  #updated = 0;

  /** The newest revision, unless the flow was deleted. */
  get(namespace: string, id: string): FlowDef | undefined {
    const list = this.#revisions.get(keyOf(namespace, id));
    const last = list?.[list.length - 1];
    return last && !last.deleted ? last : undefined;
  }

  list(namespace?: string): FlowDef[] {
    const out: FlowDef[] = [];
    for (const list of this.#revisions.values()) {
      const last = list[list.length - 1];
      if (last && !last.deleted && (namespace === undefined || last.namespace === namespace)) out.push(last);
    }
    return out.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.id.localeCompare(b.id));
  }

  /** Parses and checks YAML; throws FlowValidationError listing every violation. */
  static parse(source: string, parsedYaml?: { document: unknown }): Omit<FlowDef, 'revision' | 'tenantId'> {
    const parsed = parseFlow(source, parsedYaml);
    if (!parsed.ok) throw new FlowValidationError(parsed.violations);
    return parsed.flow;
  }

  /** `parsedYaml`: the source's YAML document, when the caller has already parsed it. */
  create(source: string, parsedYaml?: { document: unknown }): FlowDef {
    const flow = FlowStore.parse(source, parsedYaml);
    if (this.get(flow.namespace, flow.id)) {
      throw new FlowValidationError([{ path: 'flow.id', message: `Flow id already exists (${flow.namespace}.${flow.id})` }]);
    }
    return this.#append(flow);
  }

  /** PUT semantics: the flow must exist and the body must keep its namespace and id. */
  update(namespace: string, id: string, source: string): FlowDef {
    const current = this.get(namespace, id);
    if (!current) throw new FlowNotFoundError(`Flow ${namespace}.${id} not found`);
    const flow = FlowStore.parse(source);
    if (flow.namespace !== namespace) throw new FlowValidationError([{ path: 'flow.namespace', message: 'Illegal namespace update' }]);
    if (flow.id !== id) throw new FlowValidationError([{ path: 'flow.id', message: 'Illegal flow id update' }]);
    return flow.source === current.source ? current : this.#append(flow);
  }

  /** Create or update, whichever applies (the bulk endpoints). */
  upsert(flow: Omit<FlowDef, 'revision' | 'tenantId'>): FlowDef {
    const current = this.get(flow.namespace, flow.id);
    if (current && current.source === flow.source) return current;
    return this.#append(flow);
  }

  delete(namespace: string, id: string): FlowDef | undefined {
    const current = this.get(namespace, id);
    if (!current) return undefined;
    const deleted: FlowDef = { ...current, deleted: true, revision: current.revision + 1 };
    this.#revisions.get(keyOf(namespace, id))!.push(deleted);
    this.#updated++;
    return deleted;
  }

  /** A counter that changes on every write (cheap change detection). */
  get version(): number {
    return this.#updated;
  }

  #append(flow: Omit<FlowDef, 'revision' | 'tenantId'>): FlowDef {
    const key = keyOf(flow.namespace, flow.id);
    const list = this.#revisions.get(key) ?? [];
    const previous = list[list.length - 1];
    const revised: FlowDef = { ...flow, tenantId: TENANT, revision: (previous?.revision ?? 0) + 1 };
    list.push(revised);
    this.#revisions.set(key, list);
    this.#updated++;
    return revised;
  }
}
