/**
 * Lints one rule example (a fixture path from a rule module's `examples`), the way the unit test
 * and the docs use them:
 * - a file is linted alone, from its own folder (so no deployment around it is picked up);
 * - a folder is linted as a repository (its `kestra/flows`, its compose file); a folder holding a
 *   `_base` file is that base folder (path relative to the example) with the example's own files
 *   laid over it, where `<path>.delete` removes `<path>` — so an offending example shows only
 *   what it changes.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { lint, type LintOptions, type LintResult } from './run.js';
import { DEFAULT_COMPOSE_FILE, DEFAULT_FLOWS_DIR } from './rule-context.js';

export async function lintExample(repoRoot: string, example: string, extra: Pick<LintOptions, 'server' | 'rules'> = {}): Promise<LintResult> {
  const abs = resolve(repoRoot, example);
  const st = statSync(abs);
  if (st.isFile()) return lint({ cwd: dirname(abs), paths: [basename(abs)], profile: 'project', ...extra });

  let root = abs;
  let tmp: string | undefined;
  const baseFile = join(abs, '_base');
  if (existsSync(baseFile)) {
    tmp = mkdtempSync(join(tmpdir(), 'lint-example-'));
    cpSync(resolve(abs, readFileSync(baseFile, 'utf8').trim()), tmp, { recursive: true });
    const overlay = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const src = join(dir, e.name);
        const rel = relative(abs, src);
        if (rel === '_base') continue;
        if (e.isDirectory()) overlay(src);
        else if (e.name.endsWith('.delete')) {
          const target = join(tmp!, rel.slice(0, -'.delete'.length));
          if (existsSync(target)) unlinkSync(target);
        } else cpSync(src, join(tmp!, rel));
      }
    };
    overlay(abs);
    root = tmp;
  }
  try {
    const paths = [DEFAULT_FLOWS_DIR, DEFAULT_COMPOSE_FILE].filter((p) => existsSync(join(root, p)));
    return await lint({ cwd: root, paths, profile: 'project', ...extra });
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}
