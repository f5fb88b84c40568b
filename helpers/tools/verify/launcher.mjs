#!/usr/bin/env node
/**
 * Fast start for `npm run verify`: runs an esbuild bundle of helpers/tools/cli/verify.ts, cached in
 * the git-ignored `.cache/verify/` folder, rebuilt when any file it was built from changed
 * (helpers/tools/bundle-cache.mjs). Plain JavaScript on purpose: tsx's
 * loader (its hook thread, the transforms of each imported module) cost about 1.5 s of CPU in front
 * of every verify, on a 2-core machine where the specs want both cores.
 * Same arguments, output and exit codes as `tsx helpers/tools/cli/verify.ts`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { loadEsbuild, ownImportMetaUrl, stale, writeAtomic, writeManifest } from '../bundle-cache.mjs';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const entry = join(root, 'helpers', 'tools', 'cli', 'verify.ts');
const outDir = join(root, '.cache', 'verify');
const out = join(outDir, 'verify-cli.cjs');
const manifest = `${out}.inputs.json`;

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
    plugins: [ownImportMetaUrl(root, 'cjs')],
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
