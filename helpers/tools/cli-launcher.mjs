#!/usr/bin/env node
/**
 * Fast start for the TypeScript CLIs the npm scripts run: `node helpers/tools/cli-launcher.mjs <cli> [args…]`
 * runs helpers/tools/cli/<cli>.ts from an esbuild bundle cached in the git-ignored `.cache/cli/`,
 * rebuilt when any file it was built from changed (helpers/tools/bundle-cache.mjs) — instead of
 * through tsx, whose loader (its hook thread, a transform of every imported module) cost about
 * 0.8 s of CPU in front of every run. Packages load from node_modules as usual.
 *
 * A bundle is CommonJS where it can be: the CLI's lazy `import()`s of its own modules then become
 * lazy require()s, and what they import (a local `verify` never loads the container or remote
 * targets' packages) loads only on that branch. An ES module bundle would hoist those packages'
 * imports to its top. funnel-probe uses top-level await, which only an ES module allows.
 *
 * The CLI runs in this process as it would under tsx: `process.argv[1]` is its .ts file (each CLI
 * starts its `main` only when it is the script node was given) and every module keeps its own
 * `import.meta.url`. Same arguments, output and exit codes as `npx tsx helpers/tools/cli/<cli>.ts`.
 *
 * Exit code 2 with one line when the CLI is unknown or its bundle cannot be built.
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadEsbuild, ownImportMetaUrl, stale, writeAtomic, writeManifest } from './bundle-cache.mjs';

/** The CLIs this launcher starts (npm scripts in package.json) and each bundle's format. lint has a launcher of its own. */
const CLIS = { verify: 'cjs', report: 'cjs', gate: 'cjs', 'stack-local': 'cjs', 'smoke-prod': 'cjs', 'funnel-probe': 'esm' };

const root = fileURLToPath(new URL('../../', import.meta.url));
const [name, ...args] = process.argv.slice(2);

async function build(entry, format, out, manifest) {
  const esbuild = await loadEsbuild(`npx tsx helpers/tools/cli/${name}.ts`);
  const result = await esbuild.build({
    entryPoints: [entry],
    absWorkingDir: root,
    write: false,
    bundle: true,
    platform: 'node',
    format,
    target: 'node20',
    packages: 'external',
    ...(format === 'cjs' ? { supported: { 'dynamic-import': false } } : {}),
    metafile: true,
    plugins: [ownImportMetaUrl(root, format)],
    logLevel: 'silent',
    outfile: out,
  });
  mkdirSync(join(root, '.cache', 'cli'), { recursive: true });
  writeAtomic(out, result.outputFiles[0].contents);
  writeManifest(manifest, root, [result.metafile], [fileURLToPath(import.meta.url), fileURLToPath(new URL('./bundle-cache.mjs', import.meta.url))]);
}

const format = Object.hasOwn(CLIS, name ?? '') ? CLIS[name] : undefined;
if (!format) {
  process.stderr.write(`cli-launcher: unknown CLI "${name ?? ''}" — one of ${Object.keys(CLIS).join(', ')}\n`);
  process.exit(2);
}
const entry = join(root, 'helpers', 'tools', 'cli', `${name}.ts`);
const out = join(root, '.cache', 'cli', `${name}.${format === 'esm' ? 'mjs' : 'cjs'}`);
const manifest = `${out}.inputs.json`;
try {
  if (stale(manifest, root, [out])) await build(entry, format, out, manifest);
} catch (e) {
  process.stderr.write(`${name}: cannot build ${join('.cache', 'cli', `${name}.${format === 'esm' ? 'mjs' : 'cjs'}`)}: ${e && e.message ? e.message.split('\n')[0] : String(e)}\n`);
  process.exit(2);
}
process.argv.splice(1, process.argv.length - 1, entry, ...args);
if (format === 'esm') await import(pathToFileURL(out).href);
else createRequire(import.meta.url)(out);
