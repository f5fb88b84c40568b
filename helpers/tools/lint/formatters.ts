/**
 * Output formats: `stylish` (people), `json` (tools), `sarif` (GitHub code scanning, SARIF 2.1.0)
 * and `github` (workflow annotation commands). File paths are relative to the working directory,
 * with forward slashes; positions are 1-based.
 */
import { relative, sep } from 'node:path';
import type { Problem, Rule } from './types.js';

export const FORMATS = ['stylish', 'json', 'sarif', 'github'] as const;
export type FormatName = (typeof FORMATS)[number];

export const TOOL_NAME = 'kestra-lint';
export const TOOL_VERSION = '1.0.0';
export const TOOL_URI = 'https://github.com/kestra-io/kestra';

export function relPath(cwd: string, file: string): string {
  const r = relative(cwd, file) || file;
  return sep === '/' ? r : r.split(sep).join('/');
}

export interface JsonProblem {
  file: string;
  line: number;
  column: number;
  ruleId: string;
  severity: 'error' | 'warning';
  message: string;
}

export function toJsonProblems(problems: Problem[], cwd: string): JsonProblem[] {
  return problems.map((p) => ({ file: relPath(cwd, p.file), line: p.line, column: p.column, ruleId: p.ruleId, severity: p.severity, message: p.message }));
}

export function formatJson(problems: Problem[], cwd: string): string {
  return `${JSON.stringify(toJsonProblems(problems, cwd), null, 2)}\n`;
}

export function summaryLine(problems: Problem[], filesLinted: number): string {
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  const files = `${filesLinted} file${filesLinted === 1 ? '' : 's'}`;
  if (problems.length === 0) return `✔ no problems in ${files}`;
  return `✖ ${problems.length} problem${problems.length === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}) in ${files}`;
}

/** `file:line:col  severity  message  rule-id`, grouped by file, then a summary line. */
export function formatStylish(problems: Problem[], cwd: string, filesLinted: number, color = false): string {
  const paint = (code: string, s: string): string => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const groups = new Map<string, Problem[]>();
  for (const p of problems) groups.set(p.file, [...(groups.get(p.file) ?? []), p]);
  const out: string[] = [];
  for (const [file, list] of groups) {
    const rel = relPath(cwd, file);
    const locs = list.map((p) => `${rel}:${p.line}:${p.column}`);
    const w1 = Math.max(...locs.map((l) => l.length));
    const w3 = Math.max(...list.map((p) => p.message.length));
    list.forEach((p, i) => {
      const sev = p.severity === 'error' ? paint('31', 'error  ') : paint('33', 'warning');
      out.push(`${locs[i]!.padEnd(w1)}  ${sev}  ${p.message.padEnd(Math.min(w3, 100))}  ${paint('2', p.ruleId)}`);
    });
    out.push('');
  }
  out.push(summaryLine(problems, filesLinted));
  return `${out.join('\n')}\n`;
}

/** GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message`. */
export function formatGithub(problems: Problem[], cwd: string): string {
  const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const prop = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  return problems
    .map((p) => `::${p.severity === 'error' ? 'error' : 'warning'} file=${prop(relPath(cwd, p.file))},line=${p.line},col=${p.column},title=${prop(p.ruleId)}::${data(`${p.message} (${p.ruleId})`)}\n`)
    .join('');
}

/** SARIF 2.1.0 log with one run, the rule metadata in tool.driver.rules. */
export function toSarif(problems: Problem[], rules: readonly Rule[], cwd: string): Record<string, unknown> {
  const index = new Map(rules.map((r, i) => [r.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: TOOL_VERSION,
            informationUri: TOOL_URI,
            rules: rules.map((r) => ({
              id: r.id,
              name: r.id.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase()),
              shortDescription: { text: r.description },
              fullDescription: { text: r.doc },
              help: { text: r.doc, markdown: `**${r.description}**\n\n${r.doc}` },
              defaultConfiguration: { level: r.severity },
              properties: { tags: [r.profile], precision: 'high', 'problem.severity': r.severity },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: `file://${cwd.split(sep).join('/').replace(/\/?$/, '/')}` } },
        results: problems.map((p) => ({
          ruleId: p.ruleId,
          ...(index.has(p.ruleId) ? { ruleIndex: index.get(p.ruleId) } : {}),
          level: p.severity,
          message: { text: p.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: relPath(cwd, p.file), uriBaseId: '%SRCROOT%' },
                region: { startLine: p.line, startColumn: p.column },
              },
            },
          ],
        })),
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
}

export function formatSarif(problems: Problem[], rules: readonly Rule[], cwd: string): string {
  return `${JSON.stringify(toSarif(problems, rules, cwd), null, 2)}\n`;
}

const escapeCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The README's rule table, generated from the rule modules. */
export function rulesMarkdown(rules: readonly Rule[]): string {
  const lines = ['| Rule | Severity | Profile | What it checks |', '|---|---|---|---|'];
  for (const r of rules) lines.push(`| \`${r.id}\` | ${r.severity} | ${r.profile} | **${escapeCell(r.description)}** ${escapeCell(r.doc)} |`);
  return `${lines.join('\n')}\n`;
}
