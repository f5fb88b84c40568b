/**
 * What the fast launchers share (helpers/tools/lint/launcher.mjs, helpers/tools/cli-launcher.mjs):
 * an esbuild bundle of a TypeScript CLI, cached in the git-ignored `.cache/`, with a manifest of
 * every file esbuild read (its mtime and size). The bundle is rebuilt when any of them differs or is
 * gone — also a file git restored with an older mtime — or a bundle is missing. Only the files the
 * bundle is made of are looked at, not whole folders. Plain JavaScript: it runs before any
 * TypeScript loader.
 */
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * mtime (whole milliseconds) and size of a file, or undefined when it is gone. Whole milliseconds
 * because a copy that keeps the time (the mutants' scratch checkouts, `utimes`) keeps it to the
 * microsecond at best, not to the nanosecond the file system records.
 */
export function stamp(path) {
  const st = statSync(path, { throwIfNoEntry: false });
  return st ? [Math.trunc(st.mtimeMs), st.size] : undefined;
}

/** Writes `contents` to `path` through a temporary file (a concurrent run never reads half a file). */
export function writeAtomic(path, contents) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, path);
}

/**
 * An esbuild plugin: each of the repository's modules keeps its own `import.meta.url` (the
 * repository root, fixtures and child scripts are found from it), not the bundle's. The URL is
 * computed from where the bundle lies, two folders below the root (`<root>/.cache/<name>/`), never
 * written in as an absolute path: a copy of the repository with its `.cache` (a mutants scratch
 * checkout) then runs in the copy, not in the original. `format` is the bundle's ('cjs' or 'esm').
 */
export function ownImportMetaUrl(root, format) {
  return {
    name: 'own-import-meta-url',
    setup(build) {
      build.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) => {
        if (args.path.includes(`${join('node_modules', '')}`)) return undefined;
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes('import.meta.url')) return undefined;
        const fromRoot = relative(root, args.path).split(sep).join('/');
        const url =
          format === 'esm'
            ? `new URL(${JSON.stringify(`../../${fromRoot}`)}, import.meta.url).href`
            : `require('node:url').pathToFileURL(require('node:path').join(__dirname, '..', '..', ${JSON.stringify(fromRoot)})).href`;
        return { contents: source.replaceAll('import.meta.url', `(${url})`), loader: args.path.endsWith('.ts') ? 'ts' : 'js' };
      });
    },
  };
}

/** esbuild (installed with tsx); `instead` names the command that works without it. */
export async function loadEsbuild(instead) {
  try {
    return await import('esbuild');
  } catch {
    throw new Error(`esbuild is not installed; run \`${instead}\` instead`);
  }
}

/**
 * An esbuild plugin for the `yaml` package: its parser reads `process.env.LOG_TOKENS` (and its
 * composer `LOG_STREAM`) on every token. `process.env` is a getenv() behind a C++ interceptor,
 * about 0.6 µs a read: a sixth of a 1,000-flow lint went there. The bundle reads each variable
 * once, when the module loads (the debug output still works when the variable is set at start).
 */
export const yamlEnvOnce = {
  name: 'yaml-env-once',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]yaml[\\/]dist[\\/](parse[\\/]parser|compose[\\/]composer)\.js$/ }, async (args) => {
      const { readFile } = await import('node:fs/promises');
      let src = await readFile(args.path, 'utf8');
      for (const name of ['LOG_TOKENS', 'LOG_STREAM']) {
        const read = `node_process.env.${name}`;
        if (!src.includes(read)) continue;
        src = `${src.split(read).join(`__${name}`)}\nvar __${name} = require('process').env.${name};\n`;
      }
      return { contents: src, loader: 'js' };
    });
  },
};

/**
 * The manifest of a build: every input of the esbuild metafiles (a package counts by its
 * package.json, which an install rewrites; stdin and virtual modules are no files), plus `extra`
 * files (the launcher itself), each with its stamp. Paths are relative to `root`.
 */
export function writeManifest(manifest, root, metafiles, extra = []) {
  const inputs = new Set(extra.map((file) => relative(root, file).split(sep).join('/')));
  for (const metafile of metafiles) {
    for (const file of Object.keys(metafile.inputs)) {
      const pkg = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(file);
      if (pkg) inputs.add(`${pkg[1]}/package.json`);
      else if (!file.includes(':') && !file.startsWith('<')) inputs.add(file);
    }
  }
  writeAtomic(manifest, `${JSON.stringify({ inputs: [...inputs].sort().map((f) => [f, ...(stamp(join(root, f)) ?? [0, -1])]) })}\n`);
}

/** True when an output is missing, the manifest is, or any input in it changed since the build. */
export function stale(manifest, root, outputs) {
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(manifest, 'utf8')).inputs;
  } catch {
    return true;
  }
  if (!Array.isArray(inputs) || inputs.length === 0 || outputs.some((out) => stamp(out) === undefined)) return true;
  for (const [file, mtime, size] of inputs) {
    const now = stamp(join(root, file));
    if (!now || now[0] !== mtime || now[1] !== size) return true;
  }
  return false;
}
