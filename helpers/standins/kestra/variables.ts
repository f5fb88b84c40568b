/**
 * The variables every execution renders with (`flow`, `labels`), the labels it carries, and its log
 * lines: shared by trigger matching, the interpreter and its tasks.
 */
import type { FlowDef } from './flow.js';
import { TENANT } from './flow-store.js';
import type { Label, LogLevel } from './model.js';
import type { ExecutionRecord, TaskRunRecord } from './records.js';
import { instantToString } from './time.js';

/** Every root execution (webhook) carries this label = its id; children inherit it. */
export const CORRELATION_LABEL = 'system.correlationId';

export function flowVariables(flow: FlowDef): Record<string, unknown> {
  return { id: flow.id, namespace: flow.namespace, revision: flow.revision, tenantId: TENANT };
}

export function labelMap(labels: readonly Label[]): Record<string, string> {
  return Object.fromEntries(labels.map((l) => [l.key, l.value]));
}

/** Later labels with the same key replace earlier ones (Kestra keeps one value per key). */
export function dedupeLabels(labels: readonly Label[]): Label[] {
  const map = new Map<string, string>();
  for (const l of labels) map.set(l.key, l.value);
  return [...map.entries()].map(([key, value]) => ({ key, value }));
}

/** Appends one log line to the execution, as Kestra's LogEntry. */
export function appendLog(exec: ExecutionRecord, now: Date, level: LogLevel, message: string, tr?: TaskRunRecord): void {
  exec.logs.push({
    tenantId: TENANT,
    namespace: exec.flow.namespace,
    flowId: exec.flow.id,
    taskId: tr?.taskId ?? null,
    executionId: exec.id,
    taskRunId: tr?.id ?? null,
    attemptNumber: tr ? Math.max(0, tr.attempts.length - 1) : null,
    triggerId: null,
    timestamp: instantToString(now),
    level,
    thread: 'kestra-standin-worker',
    message,
  });
}
