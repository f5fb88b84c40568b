#!/usr/bin/env node
/**
 * Fast start for the linter: `node helpers/tools/lint/launcher.mjs [args…]` runs an esbuild bundle of
 * the CLI (helpers/tools/lint/cli.ts) cached in the git-ignored `.cache/lint/` folder, with a V8 code
 * cache beside it. Plain JavaScript on purpose: tsx's TypeScript loader alone costs more start-up
 * time than linting this whole repository.
 * Same arguments, output and exit codes as `tsx helpers/tools/cli/lint.ts`.
 *
 * - What a lint needs is one file (`lint-cli.cjs`); what only `--server` needs (the Kestra client,
 *   zod, dotenv: the code behind the CLI's dynamic `import()`s) is a second one (`lint-lazy.cjs`),
 *   required on first use. A plain lint reads and compiles a third of the code it used to.
 * - `lint-cli.inputs.json` lists every source file esbuild read (from its metafile) with its mtime
 *   and size, plus this launcher: the bundles are rebuilt when any of them differs, is gone, or a
 *   bundle is missing. Only the files the bundle is made of are looked at (no directory walk).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { loadEsbuild, stale, writeAtomic, writeManifest, yamlEnvOnce } from '../bundle-cache.mjs';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const self = fileURLToPath(import.meta.url);
const BUNDLE_CACHE = fileURLToPath(new URL('../bundle-cache.mjs', import.meta.url));
const entry = join(root, 'helpers', 'tools', 'lint', 'cli.ts');
const outDir = join(root, '.cache', 'lint');
const out = join(outDir, 'lint-cli.cjs');
const LAZY = 'lint-lazy.cjs';
const LAZY_ENTRY = '<lint-lazy entry>';
const manifest = join(outDir, 'lint-cli.inputs.json');
const CODE_CACHE_MODES = ['no-opt', 'opt'];

/** How many YAML files the arguments name, counted up to `limit` (a cheap look before linting). */
function countInputs(argv, limit) {
  const paths = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      paths.push(...argv.slice(i + 1));
      break;
    }
    if (a === '--format' || a === '--profile' || a === '--server') i++;
    else if (!a.startsWith('-')) paths.push(a);
  }
  if (paths.length === 0) paths.push(join('kestra', 'flows'), 'docker-compose.kestra.dokploy.yml');
  let count = 0;
  const walk = (p) => {
    if (count > limit) return;
    let st;
    try {
      st = statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      let names = [];
      try {
        names = readdirSync(p);
      } catch {
        return;
      }
      for (const n of names) if (!n.startsWith('.') && n !== 'node_modules') walk(join(p, n));
    } else if (/\.ya?ml$/i.test(p) || paths.includes(p)) count++;
  };
  for (const p of paths) walk(p);
  return count;
}

/** Did these arguments ask for a lint (not only the help or the rule table)? */
function lints(argv) {
  const end = argv.indexOf('--');
  return !(end < 0 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h' || a === '--rules-markdown');
}

/**
 * esbuild plugin: `node:crypto` (the Pebble renderer's hash and uuid functions, the `--server`
 * schema cache) is required on first use instead of when the bundle loads. A lint never calls it,
 * and loading it is about 2 % of a repository lint's instructions. The exported names are the
 * module's own (read here, at build time), each a getter that loads it.
 */
const lazyCrypto = {
  name: 'lazy-crypto',
  setup(b) {
    b.onResolve({ filter: /^(node:)?crypto$/ }, (args) => (args.kind === 'import-statement' ? { path: 'node:crypto', namespace: 'lazy-builtin' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, async (args) => {
      const names = Object.keys(await import(args.path)).filter((k) => k !== 'default');
      const load = `(m ??= require(${JSON.stringify(args.path)}))`;
      return { contents: `let m;\nfor (const k of ${JSON.stringify(names)}) Object.defineProperty(exports, k, { enumerable: true, get: () => ${load}[k] });\n`, loader: 'js' };
    });
  },
};

async function build() {
  const esbuild = await loadEsbuild('npx tsx helpers/tools/cli/lint.ts');
  const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', absWorkingDir: root, write: false, metafile: true, logLevel: 'silent', external: ['undici', 'esbuild'] };
  // 1. the CLI; each dynamic import() becomes a lazy require of its module out of lint-lazy.cjs
  const lazy = new Map();
  const splitLazy = {
    name: 'split-lazy',
    setup(b) {
      b.onResolve({ filter: /^\.\/lint-lazy\.cjs$/ }, () => ({ path: `./${LAZY}`, external: true }));
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind !== 'dynamic-import' || args.pluginData === 'lazy') return undefined;
        const r = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'lazy' });
        if (r.errors.length > 0 || r.external) return r;
        const key = relative(root, r.path).split(sep).join('/');
        lazy.set(key, r.path);
        return { path: key, namespace: 'lazy' };
      });
      b.onLoad({ filter: /.*/, namespace: 'lazy' }, (args) => ({ contents: `module.exports = require('./${LAZY}')[${JSON.stringify(args.path)}];`, loader: 'js', resolveDir: outDir }));
    },
  };
  const cli = await esbuild.build({ ...common, entryPoints: [entry], outfile: out, plugins: [splitLazy, yamlEnvOnce, lazyCrypto] });
  // 2. the lazy modules, one namespace each, under their path
  const names = [...lazy.keys()];
  const lazyBuild = await esbuild.build({
    ...common,
    stdin: { contents: names.map((k, i) => `export * as m${i} from ${JSON.stringify(lazy.get(k))};`).join('\n') || 'export {};', resolveDir: root, sourcefile: LAZY_ENTRY, loader: 'js' },
    outfile: join(outDir, LAZY),
    plugins: [yamlEnvOnce, lazyCrypto],
    footer: { js: names.map((k, i) => `module.exports[${JSON.stringify(k)}] = module.exports.m${i};`).join('\n') },
  });
  mkdirSync(outDir, { recursive: true });
  writeAtomic(join(outDir, LAZY), lazyBuild.outputFiles[0].contents);
  writeAtomic(out, cli.outputFiles[0].contents);
  // a code cache belongs to the bundle it was made from
  for (const mode of CODE_CACHE_MODES) for (const f of [`${out}.${mode}.v8cache`, `${out}.${mode}.v8cache.inputs`]) rmSync(f, { force: true });
  writeManifest(manifest, root, [cli.metafile, lazyBuild.metafile], [self, BUNDLE_CACHE]);
}

try {
  // A lint of a few dozen files is over before V8's optimizing compiler pays for itself: without
  // it the run takes about half the CPU time. Large corpora keep it (it wins past ~200 files).
  const inputs = countInputs(process.argv.slice(2), 150);
  const small = inputs <= 150;
  if (small) v8.setFlagsFromString('--no-opt');
  // V8 rejects a code cache made under other flags: one cache per mode, or every switch between a
  // small and a large lint would recompile the whole bundle and rewrite the cache.
  const codeCache = `${out}.${small ? 'no-opt' : 'opt'}.v8cache`;
  if (stale(manifest, root, [out, join(outDir, LAZY)])) await build();
  const code = readFileSync(out, 'utf8');
  let cachedData;
  try {
    cachedData = readFileSync(codeCache);
  } catch {
    cachedData = undefined;
  }
  // how many files the run that wrote the cache linted (a sidecar; 0 when unknown)
  let cachedInputs = 0;
  try {
    cachedInputs = Number(readFileSync(`${codeCache}.inputs`, 'utf8')) || 0;
  } catch {
    cachedInputs = 0;
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${code}\n})`, { filename: out, cachedData });
  const mod = { exports: {} };
  script.runInThisContext()(mod.exports, createRequire(out), mod, out, dirname(out));
  await mod.exports.run(process.argv.slice(2));
  // The cache holds the functions compiled so far (this run's and the old cache's): one written
  // after `--help` (the bench's first call after a rebuild) or after linting one file (a test)
  // would lack most of the parser and the rules, and every later lint would compile them again
  // (about a tenth of a repository lint's added instructions). So only a run that linted (exit 0
  // or 1) writes it, and a run over more files than the one that wrote it writes it again.
  const outdated = cachedData === undefined || script.cachedDataRejected || inputs > cachedInputs;
  if (outdated && process.exitCode !== 2 && lints(process.argv.slice(2))) {
    try {
      writeAtomic(codeCache, script.createCachedData());
      writeAtomic(`${codeCache}.inputs`, String(inputs));
    } catch {
      // a read-only checkout still lints
    }
  }
} catch (e) {
  process.stderr.write(`lint: ${e && e.message ? e.message.split('\n')[0] : String(e)}\n`);
  process.exitCode = 2;
}
