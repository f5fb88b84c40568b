/**
 * Flow sources, before they are sent: one flow per source, its id and namespace, and the `---`
 * hazard — Kestra splits multi-flow bodies naively:
 *   POST /flows/validate        body.split(/\n+---\n*?/)   (a line starting with `---` splits)
 *   POST /flows/{namespace}     body.split("---")          (ANY `---`, even inside a string, splits)
 * (FlowController#validateFlows, #updateFlowsInNamespace). A flow that would be cut is refused here.
 */
import { yamlParser } from '../../kestra-model/yaml-parser.js';
import { KestraUsageError } from './errors.js';
import type { ValidateConstraintViolation } from './schemas.js';

export interface FlowSource {
  id: string;
  namespace: string;
  /** The source as sent: trimmed, without a leading `---` document marker. */
  source: string;
}

export function normaliseSource(yaml: string): string {
  return yaml.replace(/^\uFEFF/, '').replace(/^\s*---[ \t]*\r?\n/, '').trim();
}

/** Parses one flow source; refuses multi-document or unreadable YAML, and a missing id/namespace. */
export function inspectFlowSource(yaml: string, index: number): FlowSource {
  const source = normaliseSource(yaml);
  const docs = yamlParser().parseAllDocuments(source);
  const list = Array.isArray(docs) ? docs : [docs];
  if (list.length !== 1) throw new KestraUsageError(`flow source #${index} holds ${list.length} YAML documents; pass one flow per source`);
  const [doc] = list;
  if (!doc || doc.errors.length > 0) {
    throw new KestraUsageError(`flow source #${index} is not valid YAML: ${doc?.errors[0]?.message.split('\n')[0] ?? 'empty'}`);
  }
  const value: unknown = doc.toJS();
  const obj = value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  const { id, namespace } = obj;
  if (typeof id !== 'string' || id === '') throw new KestraUsageError(`flow source #${index} has no string "id"`);
  if (typeof namespace !== 'string' || namespace === '') throw new KestraUsageError(`flow ${id} (source #${index}) has no string "namespace"`);
  return { id, namespace, source };
}

/** Refuses a source that Kestra would cut in two at a line starting with `---`. */
export function assertNoLineSeparator(flow: Pick<FlowSource, 'source'>, label: string): void {
  if (/(^|\n)---/.test(flow.source)) {
    throw new KestraUsageError(`${label}: a line starts with "---", which Kestra's validate endpoint treats as a flow separator`);
  }
}

/** Refuses a source containing `---` anywhere (the per-namespace upload splits on it). */
export function assertNoTripleDash(flow: Pick<FlowSource, 'source'>, label: string): void {
  if (flow.source.includes('---')) {
    throw new KestraUsageError(`${label}: contains "---", which the per-namespace upload treats as a flow separator; use the per-flow strategy`);
  }
}

export interface FlowValidationResult {
  index: number;
  flow?: string;
  namespace?: string;
  valid: boolean;
  /** One readable line per problem. */
  violations: string[];
  warnings: string[];
  deprecationPaths: string[];
  outdated: boolean;
}

export function toValidationResult(v: ValidateConstraintViolation): FlowValidationResult {
  const fromConstraints = (v.constraints ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
  const fromErrors = (v.errors ?? []).map((e) => (e.path ? `${e.path}: ${e.detail}` : e.detail));
  const violations = [...fromConstraints, ...fromErrors];
  return {
    index: v.index,
    ...(v.flow ? { flow: v.flow } : {}),
    ...(v.namespace ? { namespace: v.namespace } : {}),
    valid: violations.length === 0,
    violations,
    warnings: v.warnings ?? [],
    deprecationPaths: v.deprecationPaths ?? [],
    outdated: v.outdated ?? false,
  };
}
