/**
 * A scratch checkout: a temporary copy of the working tree (every file git does not ignore, so
 * uncommitted edits count and `.env` never leaves the repository) with node_modules linked. The
 * main job runs inside it unchanged, so its reports, test-results and Allure results stay there —
 * two checkouts can run side by side, and nothing reads the real flows by accident.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export class ScratchError extends Error {
  override name = 'ScratchError';
}

/** Files of the working tree git does not ignore, relative to `root`. */
export function workingTreeFiles(root: string): string[] {
  let out: string;
  try {
    out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 }).toString();
  } catch (error) {
    throw new ScratchError(`${root}: cannot list the working tree with git (${(error as Error).message.split('\n')[0]}) — mutants need a git checkout`);
  }
  // --cached also lists files deleted in the working tree; those are not part of it.
  return [...new Set(out.split('\0').filter((f) => f !== '' && existsSync(join(root, f))))].sort();
}

export interface ScratchCheckout {
  readonly dir: string;
  /** Writes a file of the checkout (path relative to it). */
  write(file: string, content: string): void;
  remove(): void;
}

/**
 * The build caches a checkout may reuse: the lint bundle and the CLI bundles, verify's among them
 * (rebuilt by their launchers when any file they were built from differs in mtime or size,
 * helpers/tools/bundle-cache.mjs), and the flow parses (keyed on content). A mutant edits only product files, so the harness's bundles stay
 * valid and each job skips two esbuild builds.
 */
const REUSABLE_CACHES = ['.cache/lint', '.cache/cli', '.cache/flow-yaml'];

/** Copies a file, keeping its modification time (the bundle caches compare it). */
function copyKeepingTime(from: string, to: string): void {
  copyFileSync(from, to);
  const { atimeMs, mtimeMs } = statSync(from);
  utimesSync(to, atimeMs / 1000, mtimeMs / 1000);
}

/** Copies `files` of `root` into a new temporary folder under `parent` (default the OS temp dir). */
export function createScratch(root: string, files: readonly string[], name: string, parent = tmpdir()): ScratchCheckout {
  const dir = mkdtempSync(join(parent, `${name}-`));
  for (const file of files) {
    if (file === 'node_modules' || file.startsWith('node_modules/')) continue;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    copyKeepingTime(join(root, file), join(dir, file));
  }
  for (const cache of REUSABLE_CACHES) {
    if (!existsSync(join(root, cache))) continue;
    mkdirSync(join(dir, cache), { recursive: true });
    for (const entry of readdirSync(join(root, cache), { withFileTypes: true })) {
      if (entry.isFile()) copyKeepingTime(join(root, cache, entry.name), join(dir, cache, entry.name));
    }
  }
  const modules = join(root, 'node_modules');
  if (existsSync(modules)) symlinkSync(realpathSync(modules), join(dir, 'node_modules'), 'dir');
  mkdirSync(join(dir, 'reports'), { recursive: true });
  return {
    dir,
    write: (file, content) => writeFileSync(join(dir, file), content),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
