/**
 * A tiny unified line diff (LCS over lines, hunks with context), for showing how a deployed flow
 * differs from the repository's. No dependency; fine for flow-sized texts (a few hundred lines).
 *
 *   unifiedDiff(repoSource, deployedSource, { from: 'kestra/flows/christmas/send-email.yml', to: 'deployed christmas.send-email' })
 *   → '--- kestra/flows/…\n+++ deployed …\n@@ -3,7 +3,7 @@\n …\n-old\n+new\n …'
 * Returns '' when the texts are equal line for line.
 */

export interface DiffOptions {
  from?: string;
  to?: string;
  /** Unchanged lines shown around each change. Default 3. */
  context?: number;
  /** Stop after this many output lines (a note says how many were cut). Default 400. */
  maxLines?: number;
}

type Op = { kind: ' ' | '-' | '+'; line: string; a: number; b: number };

/** Line edit script between a and b (longest common subsequence). */
export function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // Trim the common head and tail first: flows usually differ in a few lines.
  let head = 0;
  while (head < n && head < m && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < n - head && tail < m - head && a[n - 1 - tail] === b[m - 1 - tail]) tail++;
  const ops: Op[] = [];
  for (let i = 0; i < head; i++) ops.push({ kind: ' ', line: a[i]!, a: i, b: i });

  const A = a.slice(head, n - tail);
  const B = b.slice(head, m - tail);
  const rows = A.length;
  const cols = B.length;
  if (rows * cols > 4_000_000) {
    // Too big for the table: everything in the middle as removed, then added.
    A.forEach((line, i) => ops.push({ kind: '-', line, a: head + i, b: head }));
    B.forEach((line, j) => ops.push({ kind: '+', line, a: head + rows, b: head + j }));
  } else {
    const lcs: Uint32Array[] = Array.from({ length: rows + 1 }, () => new Uint32Array(cols + 1));
    for (let i = rows - 1; i >= 0; i--) {
      for (let j = cols - 1; j >= 0; j--) {
        lcs[i]![j] = A[i] === B[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < rows || j < cols) {
      if (i < rows && j < cols && A[i] === B[j]) {
        ops.push({ kind: ' ', line: A[i]!, a: head + i, b: head + j });
        i++;
        j++;
      } else if (i < rows && (j >= cols || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
        // Removals before additions, as diff(1) prints them.
        ops.push({ kind: '-', line: A[i]!, a: head + i, b: head + j });
        i++;
      } else {
        ops.push({ kind: '+', line: B[j]!, a: head + i, b: head + j });
        j++;
      }
    }
  }
  for (let k = 0; k < tail; k++) ops.push({ kind: ' ', line: a[n - tail + k]!, a: n - tail + k, b: m - tail + k });
  return ops;
}

export function unifiedDiff(a: string, b: string, options: DiffOptions = {}): string {
  const ctx = Math.max(0, options.context ?? 3);
  const aLines = a === '' ? [] : a.split('\n');
  const bLines = b === '' ? [] : b.split('\n');
  const ops = diffLines(aLines, bLines);
  const changed = ops.map((op, i) => (op.kind === ' ' ? -1 : i)).filter((i) => i >= 0);
  if (changed.length === 0) return '';

  // Group changes whose context windows touch into hunks.
  const hunks: [number, number][] = [];
  for (const i of changed) {
    const start = Math.max(0, i - ctx);
    const end = Math.min(ops.length - 1, i + ctx);
    const last = hunks.at(-1);
    if (last && start <= last[1] + 1) last[1] = end;
    else hunks.push([start, end]);
  }

  const out = [`--- ${options.from ?? 'a'}`, `+++ ${options.to ?? 'b'}`];
  for (const [start, end] of hunks) {
    const slice = ops.slice(start, end + 1);
    const aCount = slice.filter((o) => o.kind !== '+').length;
    const bCount = slice.filter((o) => o.kind !== '-').length;
    const first = slice[0]!;
    const aStart = aCount === 0 ? first.a : first.a + 1;
    const bStart = bCount === 0 ? first.b : first.b + 1;
    out.push(`@@ -${aStart},${aCount} +${bStart},${bCount} @@`);
    for (const op of slice) out.push(`${op.kind}${op.line}`);
  }
  const max = options.maxLines ?? 400;
  if (out.length > max) return [...out.slice(0, max), `… ${out.length - max} more diff lines`].join('\n');
  return out.join('\n');
}
