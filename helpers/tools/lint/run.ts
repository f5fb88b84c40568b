/**
 * Runs the rules: loads and parses the inputs once, builds the context, runs every rule of the
 * selected profile, and returns the problems (only in linted files, de-duplicated, sorted by
 * file, line, column) plus the one-line fatal messages for paths it could not lint.
 */
import { basename, join, relative, resolve } from 'node:path';
import { createContext, loadInputs, type LintContext } from './rule-context.js';
import type { EnvExample } from './compose-model.js';
import { list } from './rule.js';
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
  /** Rules that read the repository index while a flow of it does not parse: their results are dropped. */
  const unchecked: string[] = [];
  /** Rules that looked for a `.env.example` that is not there. */
  const neededEnvExample: string[] = [];
  for (const rule of rules) {
    if (rule.profile === 'server' && !ctx.server) continue;
    try {
      const used = { repo: false, envExample: false };
      const found = [...(await rule.check(watched(ctx, used)))];
      if (used.envExample) neededEnvExample.push(rule.id);
      if (used.repo && loaded.unparsable.length > 0) {
        unchecked.push(rule.id);
        continue;
      }
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
  const rel = (p: string): string => relative(cwd, p) || p;
  if (unchecked.length > 0) {
    notices.push(`not checked, because ${list(loaded.unparsable.map(rel))} ${loaded.unparsable.length > 1 ? 'do' : 'does'} not parse: ${unchecked.sort().join(', ')}`);
  }
  for (const c of neededEnvExample.length > 0 ? loaded.envExampleMissing : []) {
    problems.push({ file: c.file.path, line: 1, column: 1, ruleId: 'compose-env-documented', severity: 'error', message: `${rel(c.envExamplePath)} not found: it documents the variables of ${basename(c.file.path)} (not checked: ${neededEnvExample.sort().join(', ')})` });
  }
  const dep = ctx.deployment;
  if (loaded.composeFiles.length === 0 && dep.compose && !dep.envExample && neededEnvExample.length > 0) {
    notices.push(`${rel(dep.envExamplePath)} not found: not checked against it: ${neededEnvExample.sort().join(', ')}`);
  }
  problems.sort(compareProblems);
  return { problems, fatal, notices, filesLinted: loaded.flows.length + loaded.composeFiles.length, rules };
}

/**
 * The context a rule sees, recording what it reads: the repository index (cross-file rules) and a
 * `.env.example` that is missing. Everything else is the shared context.
 */
function watched(ctx: LintContext, used: { repo: boolean; envExample: boolean }): LintContext {
  const envOf = <T extends { envExample: EnvExample | undefined }>(o: T): T =>
    new Proxy(o, {
      get(target, key, receiver) {
        if (key === 'envExample' && target.envExample === undefined) used.envExample = true;
        return Reflect.get(target, key, receiver);
      },
    });
  return Object.create(ctx, {
    repo: { get: () => ((used.repo = true), ctx.repo) },
    deployment: { value: envOf(ctx.deployment) },
    composeFiles: { value: ctx.composeFiles.map(envOf) },
  }) as LintContext;
}

/** 0: no errors (warnings allowed); 1: errors found; 2: usage or I/O problem. */
export function exitCodeOf(result: Pick<LintResult, 'problems' | 'fatal'>): 0 | 1 | 2 {
  if (result.fatal.length > 0) return 2;
  return result.problems.some((p) => p.severity === 'error') ? 1 : 0;
}
