#!/usr/bin/env node
/**
 * Fast start for the linter: `node helpers/tools/lint/launcher.mjs [args…]` runs an esbuild bundle of
 * the CLI (helpers/tools/lint/cli.ts) cached in the git-ignored `.cache/lint/` folder, with a V8 code
 * cache beside it. The bundle is rebuilt whenever a source under helpers/tools/lint, helpers/spec or
 * helpers/kestra-model is newer (helpers/standins/kestra too: its support lists). Plain JavaScript on purpose: tsx's TypeScript loader alone costs
 * more start-up time than linting this whole repository.
 * Same arguments, output and exit codes as `tsx helpers/tools/cli/lint.ts`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const entry = join(root, 'helpers', 'tools', 'lint', 'cli.ts');
const outDir = join(root, '.cache', 'lint');
const out = join(outDir, 'lint-cli.cjs');
const sources = [join(root, 'helpers', 'tools', 'lint'), join(root, 'helpers', 'spec'), join(root, 'helpers', 'kestra-model'), join(root, 'helpers', 'standins', 'kestra')];

function newest(path) {
  let st;
  try {
    st = statSync(path);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return /\.(ts|mts|js|mjs|json)$/.test(path) ? st.mtimeMs : 0;
  let max = 0;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    max = Math.max(max, newest(join(path, name)));
  }
  return max;
}

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

async function build() {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new Error('esbuild is not installed; run `npx tsx helpers/tools/cli/lint.ts` instead');
  }
  mkdirSync(outDir, { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  await esbuild.build({
    entryPoints: [entry],
    outfile: tmp,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['undici', 'esbuild'],
    // server mode's lazy `import('undici')` becomes a lazy require
    supported: { 'dynamic-import': false },
    logLevel: 'silent',
  });
  renameSync(tmp, out);
  // a code cache belongs to the bundle it was made from
  for (const mode of ['no-opt', 'opt']) rmSync(`${out}.${mode}.v8cache`, { force: true });
}

try {
  // A lint of a few dozen files is over before V8's optimizing compiler pays for itself: without
  // it the run takes about half the CPU time. Large corpora keep it (it wins past ~200 files).
  const small = countInputs(process.argv.slice(2), 150) <= 150;
  if (small) v8.setFlagsFromString('--no-opt');
  // V8 rejects a code cache made under other flags: one cache per mode, or every switch between a
  // small and a large lint would recompile the whole bundle and rewrite the cache.
  const codeCache = `${out}.${small ? 'no-opt' : 'opt'}.v8cache`;
  const builtAt = existsSync(out) ? statSync(out).mtimeMs : 0;
  if (builtAt === 0 || sources.some((s) => newest(s) > builtAt)) await build();
  const code = readFileSync(out, 'utf8');
  let cachedData;
  try {
    cachedData = readFileSync(codeCache);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${code}\n})`, { filename: out, cachedData });
  const mod = { exports: {} };
  script.runInThisContext()(mod.exports, createRequire(out), mod, out, dirname(out));
  await mod.exports.run(process.argv.slice(2));
  if (cachedData === undefined || script.cachedDataRejected) {
    try {
      const tmp = `${codeCache}.${process.pid}.tmp`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, codeCache);
    } catch {
      // a read-only checkout still lints
    }
  }
} catch (e) {
  process.stderr.write(`lint: ${e && e.message ? e.message.split('\n')[0] : String(e)}\n`);
  process.exitCode = 2;
}
