/**
 * Response body → typed value, or ONE KestraResponseShapeError naming the endpoint and the field:
 * `GET /api/v1/main/executions/abc: state.current expected string, got undefined`.
 */
import type { z } from 'zod';
import { KestraResponseShapeError, type ShapeIssue } from './errors.js';
import type { RawResponse } from './http.js';
import { oneLine, type Redactor } from '../redact.js';

export function parseJsonBody<S extends z.ZodType>(schema: S, res: RawResponse, redactor: Redactor): z.output<S> {
  let data: unknown;
  try {
    data = JSON.parse(res.text);
  } catch (err) {
    const reason = res.text.trim() === '' ? 'empty body' : (err as Error).message;
    const start = res.text.trim() === '' ? '' : `; body starts with "${redactor.text(oneLine(res.text, 80))}"`;
    throw new KestraResponseShapeError(res.method, res.endpoint, [
      { path: '(body)', problem: `response is not valid JSON (${reason})${start}` },
    ]);
  }
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issues: ShapeIssue[] = parsed.error.issues.map((issue) => describeIssue(issue, data, redactor));
  throw new KestraResponseShapeError(res.method, res.endpoint, issues);
}

function describeIssue(issue: z.core.$ZodIssue, root: unknown, redactor: Redactor): ShapeIssue {
  const path = formatPath(issue.path);
  const received = describeValue(valueAt(root, issue.path), redactor);
  if (issue.code === 'invalid_type') return { path, problem: `expected ${issue.expected}, got ${received}` };
  if (issue.code === 'invalid_value') return { path, problem: `expected one of ${issue.values.map(String).join('|')}, got ${received}` };
  return { path, problem: `${issue.message.replace(/^Invalid input:?\s*/i, '') || 'invalid'}, got ${received}` };
}

export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((seg, i) => (typeof seg === 'number' ? `[${seg}]` : `${i === 0 ? '' : '.'}${String(seg)}`))
    .join('');
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return cur;
}

function describeValue(value: unknown, redactor: Redactor): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'string') return value.length <= 40 ? `"${redactor.text(value)}"` : 'string';
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return typeof value;
}
