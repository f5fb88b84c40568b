/**
 * Runs the rules: loads and parses the inputs once, builds the context, runs every rule of the
 * selected profile, and returns the problems (only in linted files, de-duplicated, sorted by
 * file, line, column) plus the one-line fatal messages for paths it could not lint.
 */
import { join, resolve } from 'node:path';
import { createContext, loadInputs } from './rule-context.js';
import { rulesFor } from './registry.js';
import { SchemaUnavailable, ServerError, ServerSession, type ServerOptions } from './server.js';
import type { Problem, ProfileName, Rule } from './types.js';

export interface LintOptions {
  cwd: string;
  /** Files or folders; empty = `kestra/flows` and the compose file (project profile). */
  paths?: string[];
  profile?: ProfileName;
  /** Server mode: the Kestra to ask (credentials, cache folder). */
  server?: Omit<ServerOptions, 'cacheDir'> & { cacheDir?: string };
  /** Run only these rules (tests). */
  rules?: Rule[];
}

export interface LintResult {
  problems: Problem[];
  /** One line each: a path that could not be linted, a server that could not be reached (exit 2). */
  fatal: string[];
  /** One-line notices that change nothing in the exit code (a check the server cannot support). */
  notices: string[];
  filesLinted: number;
  rules: Rule[];
}

export function compareProblems(a: Problem, b: Problem): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
}

export async function lint(opts: LintOptions): Promise<LintResult> {
  const cwd = resolve(opts.cwd);
  const profile = opts.profile ?? 'project';
  const loaded = loadInputs({ cwd, paths: opts.paths ?? [], profile });
  const ctx = createContext(cwd, profile, loaded);
  if (opts.server) {
    ctx.server = new ServerSession({ ...opts.server, cacheDir: opts.server.cacheDir ?? join(cwd, '.cache', 'kestra-schemas') });
  }
  const rules = opts.rules ?? rulesFor(profile, opts.server !== undefined);
  const fatal = [...loaded.fatal];
  const notices: string[] = [];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    if (rule.profile === 'server' && !ctx.server) continue;
    try {
      const found = await rule.check(ctx);
      for (const p of found) {
        if (!loaded.reportable.has(p.file)) continue;
        const problem: Problem = { file: p.file, line: p.line, column: p.column, ruleId: rule.id, severity: p.severity ?? rule.severity, message: p.message };
        const key = `${problem.file}\0${problem.line}\0${problem.column}\0${problem.ruleId}\0${problem.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        problems.push(problem);
      }
    } catch (e) {
      if (e instanceof SchemaUnavailable) {
        if (!notices.includes(`lint --server: ${e.message}`)) notices.push(`lint --server: ${e.message}`);
      } else if (e instanceof ServerError) {
        if (!fatal.includes(`lint --server: ${e.message}`)) fatal.push(`lint --server: ${e.message}`);
      } else {
        fatal.push(`internal error in rule ${rule.id}: ${(e as Error).message ?? String(e)}`);
      }
    }
  }
  problems.sort(compareProblems);
  return { problems, fatal, notices, filesLinted: loaded.flows.length + loaded.composeFiles.length, rules };
}

/** 0: no errors (warnings allowed); 1: errors found; 2: usage or I/O problem. */
export function exitCodeOf(result: Pick<LintResult, 'problems' | 'fatal'>): 0 | 1 | 2 {
  if (result.fatal.length > 0) return 2;
  return result.problems.some((p) => p.severity === 'error') ? 1 : 0;
}
