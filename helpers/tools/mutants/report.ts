/** What `npm run mutants` prints and writes to reports/mutants.json. */
import type { MutantResult } from './types.js';
import type { RunReport } from './run.js';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Killed or timed out (a hang is caught too: the job would never go green). */
export const isCaught = (r: MutantResult) => r.outcome === 'killed' || r.outcome === 'timeout';

function killer(r: MutantResult): string {
  if (r.outcome !== 'killed' || !r.killedBy) return '';
  const what = r.killedBy.details.slice(0, 2).join('; ') + (r.killedBy.details.length > 2 ? ` (+${r.killedBy.details.length - 2})` : '');
  return ` — ${r.killedBy.step}${what ? `: ${what}` : ''}`;
}

/** `mutant 7/31 seg-urgent-off-by-one: killed (2.1 s) — lint: secret-prefix` */
export function progressLine(r: MutantResult, done: number, total: number): string {
  return `mutant ${done}/${total} ${r.mutant.id}: ${r.outcome === 'survived' ? 'SURVIVED' : r.outcome} (${seconds(r.durationMs)})${killer(r)}`;
}

/** The closing block: `killed K/N`, then every survivor and error named, then the total time. */
export function summaryText(report: RunReport): string {
  const caught = report.results.filter(isCaught).length;
  const lines = [`killed ${caught}/${report.results.length}`];
  const named = (label: string, rs: MutantResult[]) => {
    if (rs.length === 0) return;
    lines.push(`${label}:`);
    for (const r of rs) lines.push(`  ${r.mutant.id} — ${r.mutant.description} (${r.mutant.file})`);
  };
  named('survivors', report.results.filter((r) => r.outcome === 'survived'));
  named('could not run (not counted as killed)', report.results.filter((r) => r.outcome === 'error'));
  const timeouts = report.results.filter((r) => r.outcome === 'timeout');
  if (timeouts.length > 0) lines.push(`timed out (counted as killed): ${timeouts.map((r) => r.mutant.id).join(', ')}`);
  const baseline = report.baseline ? `, baseline ${seconds(report.baseline.durationMs)}` : '';
  lines.push(`total ${seconds(report.durationMs)} (${report.jobs} at a time${baseline}); reports/mutants.json`);
  return lines.join('\n');
}

export function reportJson(report: RunReport): unknown {
  return {
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    jobs: report.jobs,
    baselineMs: report.baseline?.durationMs ?? null,
    total: report.results.length,
    killed: report.results.filter(isCaught).length,
    survivors: report.results.filter((r) => r.outcome === 'survived').map((r) => r.mutant.id),
    errors: report.results.filter((r) => r.outcome === 'error').map((r) => r.mutant.id),
    mutants: report.results.map((r) => ({
      id: r.mutant.id,
      rule: r.mutant.rule,
      file: r.mutant.file,
      description: r.mutant.description,
      outcome: r.outcome,
      durationMs: r.durationMs,
      exitCode: r.exitCode,
      ...(r.killedBy ? { killedBy: r.killedBy } : {}),
      ...(r.tail ? { tail: r.tail } : {}),
    })),
  };
}
