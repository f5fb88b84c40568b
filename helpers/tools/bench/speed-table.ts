/**
 * The speed budgets (issue 14) and the table `npm run bench` prints and writes into README.md.
 * Pure: figures in, text out. The README block carries the figures it was rendered from (one JSON
 * comment), so tests/unit/bench-table.spec.ts can prove the table was generated, not typed.
 *
 *   const text = speedTable(figures);            // the terminal table, MISS where over budget
 *   const block = speedMarkdownBlock(figures);   // what goes between the README markers
 */

export type BudgetId = 'lint-startup' | 'lint-1000' | 'stack-up' | 'webhook-terminal' | 'five-day' | 'verify' | 'npm-test';

export interface Budget {
  id: BudgetId;
  what: string;
  /** The limit, in ms, on the wall-clock figure (added to the baseline's where there is one). */
  limitMs: number;
  limit: string;
  /** Measured only with `npm run bench -- --full` (they run the whole suite). */
  full?: boolean;
}

export const BUDGETS: readonly Budget[] = [
  { id: 'lint-startup', what: 'lint start-up, this repository (added to bare `node -e 0`)', limitMs: 200, limit: '≤ 200 ms over Node' },
  { id: 'lint-1000', what: 'lint 1,000 generated flows', limitMs: 3000, limit: '≤ 3 s' },
  { id: 'stack-up', what: 'embedded stack up (cold, first start in the process)', limitMs: 1000, limit: '≤ 1 s' },
  { id: 'webhook-terminal', what: 'webhook → terminal execution (median)', limitMs: 50, limit: '≤ 50 ms' },
  { id: 'five-day', what: 'full 5-day sequence on the virtual clock (median)', limitMs: 1000, limit: '≤ 1 s' },
  { id: 'verify', what: '`npm run verify` (local target, median)', limitMs: 8000, limit: '≤ 8 s', full: true },
  { id: 'npm-test', what: '`npm test` (typecheck, layers, every spec)', limitMs: 90_000, limit: '≤ 90 s', full: true },
];

export interface Figure {
  /** Median wall-clock time, ms (for lint-startup: the whole run, baseline included). */
  wallMs: number;
  /** Median CPU time (user + system, children included), ms. */
  cpuMs?: number;
  /** The same command's baseline (bare Node for the linter): the budget applies to wall − baseline. */
  baseline?: { wallMs: number; cpuMs?: number };
  runs: number;
}

export interface SpeedFigures {
  /** ISO time of the run. */
  measuredAt: string;
  /** CPUs and 1-minute load average when it started: wall figures on a loaded machine are inflated. */
  machine: string;
  figures: Partial<Record<BudgetId, Figure>>;
}

export type Verdict = 'ok' | 'MISS' | 'not measured';

/** The figure the budget applies to: wall time, less the baseline's where there is one. */
export function judgedMs(figure: Figure): number {
  return figure.baseline ? figure.wallMs - figure.baseline.wallMs : figure.wallMs;
}

export function verdict(budget: Budget, figure: Figure | undefined): Verdict {
  if (!figure) return 'not measured';
  return judgedMs(figure) <= budget.limitMs ? 'ok' : 'MISS';
}

export function formatMs(ms: number): string {
  if (Math.abs(ms) < 10) return `${ms.toFixed(1)} ms`;
  if (Math.abs(ms) < 1000) return `${ms.toFixed(0)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

interface Row {
  what: string;
  limit: string;
  wall: string;
  cpu: string;
  baseline: string;
  verdict: string;
}

function rows(figures: SpeedFigures): Row[] {
  return BUDGETS.map((budget) => {
    const figure = figures.figures[budget.id];
    const v = verdict(budget, figure);
    if (!figure) {
      const why = budget.full ? 'not measured (use --full)' : 'not measured';
      return { what: budget.what, limit: budget.limit, wall: why, cpu: '–', baseline: '–', verdict: v };
    }
    const runs = `, ${figure.runs} run${figure.runs === 1 ? '' : 's'}`;
    if (figure.baseline) {
      const added = judgedMs(figure);
      const cpuAdded = figure.cpuMs !== undefined && figure.baseline.cpuMs !== undefined ? `+${formatMs(figure.cpuMs - figure.baseline.cpuMs)}` : '–';
      return {
        what: budget.what,
        limit: budget.limit,
        wall: `+${formatMs(added)}${runs}`,
        cpu: cpuAdded,
        baseline: `${(figure.wallMs / figure.baseline.wallMs).toFixed(2)}× bare Node (${formatMs(figure.baseline.wallMs)})`,
        verdict: v,
      };
    }
    return { what: budget.what, limit: budget.limit, wall: `${formatMs(figure.wallMs)}${runs}`, cpu: figure.cpuMs === undefined ? '–' : formatMs(figure.cpuMs), baseline: '–', verdict: v };
  });
}

const HEADER: Row = { what: 'benchmark', limit: 'budget', wall: 'wall (median)', cpu: 'cpu (median)', baseline: 'vs baseline', verdict: 'verdict' };
const COLUMNS: (keyof Row)[] = ['what', 'limit', 'wall', 'cpu', 'baseline', 'verdict'];

/** The terminal table: aligned columns, MISS where a figure is over its budget. */
export function speedTable(figures: SpeedFigures): string {
  const all = [HEADER, ...rows(figures)];
  const width = (c: keyof Row) => Math.max(...all.map((r) => r[c].length));
  const line = (r: Row) => COLUMNS.map((c) => r[c].padEnd(width(c))).join('  ').trimEnd();
  return [`Speed budgets — ${figures.machine}, ${figures.measuredAt}`, line(HEADER), ...rows(figures).map(line)].join('\n');
}

export const README_START = '<!-- speed-table:start (generated: npm run bench -- --readme) -->';
export const README_END = '<!-- speed-table:end -->';

/** The Markdown table alone. */
export function speedMarkdown(figures: SpeedFigures): string {
  const line = (r: Row) => `| ${COLUMNS.map((c) => r[c]).join(' | ')} |`;
  return [
    `Measured ${figures.measuredAt.slice(0, 10)} on ${figures.machine}.`,
    '',
    line(HEADER),
    `|${COLUMNS.map(() => '---').join('|')}|`,
    ...rows(figures).map(line),
    '',
  ].join('\n');
}

/** Everything between the README markers: the figures as a JSON comment, then the table. */
export function speedMarkdownBlock(figures: SpeedFigures): string {
  return `<!-- speed-figures ${JSON.stringify(figures)} -->\n${speedMarkdown(figures)}`;
}

/** The block of a README text (between the markers), or undefined. */
export function readmeSpeedBlock(readme: string): string | undefined {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) return undefined;
  return readme.slice(start + README_START.length + 1, end);
}

/** The figures a README block was rendered from. */
export function figuresOfBlock(block: string): SpeedFigures | undefined {
  const m = /^<!-- speed-figures (.*) -->\n/.exec(block);
  return m ? (JSON.parse(m[1]!) as SpeedFigures) : undefined;
}

/** README text with its block replaced by one rendered from `figures`. */
export function withSpeedBlock(readme: string, figures: SpeedFigures): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) throw new Error(`README.md: no "${README_START}" … "${README_END}" block`);
  return `${readme.slice(0, start + README_START.length)}\n${speedMarkdownBlock(figures)}${readme.slice(end)}`;
}
