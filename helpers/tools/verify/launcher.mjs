#!/usr/bin/env node
/**
 * Fast start for `npm run verify`: runs an esbuild bundle of helpers/tools/cli/verify.ts, cached in
 * the git-ignored `.cache/verify/` folder, rebuilt when any file it was built from changed
 * (helpers/tools/bundle-cache.mjs). Plain JavaScript on purpose: tsx's
 * loader (its hook thread, the transforms of each imported module) cost about 1.5 s of CPU in front
 * of every verify, on a 2-core machine where the specs want both cores.
 * Same arguments, output and exit codes as `tsx helpers/tools/cli/verify.ts`.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { loadEsbuild, stale, writeAtomic, writeManifest } from '../bundle-cache.mjs';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const entry = join(root, 'helpers', 'tools', 'cli', 'verify.ts');
const outDir = join(root, '.cache', 'verify');
const out = join(outDir, 'verify-cli.cjs');
const manifest = `${out}.inputs.json`;

/**
 * Each module keeps its own `import.meta.url` (the repository root is found from it), not the
 * bundle's — computed from where the bundle lies (`<root>/.cache/verify/`), never written in as an
 * absolute path: a copy of the repository with its `.cache` (a mutants scratch checkout) then runs
 * in the copy, not in the original.
 */
const ownImportMetaUrl = {
  name: 'own-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) => {
      if (args.path.includes(`${join('node_modules', '')}`)) return undefined;
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const fromRoot = JSON.stringify(relative(root, args.path).split(sep).join('/'));
      const url = `require('node:url').pathToFileURL(require('node:path').join(__dirname, '..', '..', ${fromRoot})).href`;
      return { contents: source.replaceAll('import.meta.url', `(${url})`), loader: args.path.endsWith('.ts') ? 'ts' : 'js' };
    });
  },
};

async function build() {
  const esbuild = await loadEsbuild('npx tsx helpers/tools/cli/verify.ts');
  const result = await esbuild.build({
    entryPoints: [entry],
    outfile: out,
    absWorkingDir: root,
    write: false,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Packages load from node_modules as usual; the lazy `import()`s of the container and remote
    // branches become lazy require()s, so a local verify never loads testcontainers or undici.
    packages: 'external',
    supported: { 'dynamic-import': false },
    metafile: true,
    plugins: [ownImportMetaUrl],
    logLevel: 'silent',
  });
  mkdirSync(outDir, { recursive: true });
  writeAtomic(out, result.outputFiles[0].contents);
  writeManifest(manifest, root, [result.metafile], [fileURLToPath(import.meta.url), fileURLToPath(new URL('../bundle-cache.mjs', import.meta.url))]);
}

try {
  if (stale(manifest, root, [out])) await build();
  await createRequire(import.meta.url)(out).main();
} catch (e) {
  process.stderr.write(`verify: ${e && e.message ? e.message.split('\n')[0] : String(e)}\n`);
  process.exitCode = 2;
}
