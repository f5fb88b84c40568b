#!/usr/bin/env node
/**
 * `npm test [-- <playwright args>]`: the typecheck (TypeScript 7, incremental: .cache/tsc), the layer check and
 * every spec, started together instead of one after the other — Playwright's workers wait on child
 * processes, browsers and servers, and the checks fill those gaps. The checks' output is held back
 * and printed when each ends, so it never interleaves with Playwright's.
 * Plain JavaScript on purpose: no TypeScript loader to start before anything runs.
 *
 * Exit code: 0 when all three pass; otherwise the first non-zero code among typecheck, layers, specs.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// What `npm run` would do, without starting npm twice more: the script's line, with node_modules/.bin on PATH.
const env = { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}` };

/** Runs a command line; `quiet` holds its output back until it ends. Resolves to its exit code. */
function run(name, commandLine, quiet) {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(commandLine, { cwd: root, env, shell: true, stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let output = '';
    if (quiet) {
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
    }
    child.on('error', (error) => {
      process.stderr.write(`npm test: could not start ${name} (${commandLine}): ${error.message}\n`);
      resolve(2);
    });
    child.on('close', (code, signal) => {
      const secs = ((performance.now() - started) / 1000).toFixed(1);
      const status = code === 0 ? 'passed' : `FAILED (${signal ?? `exit ${code}`})`;
      process.stdout.write(`${output.trim() ? `\n${output.trimEnd()}\n` : ''}${code === 0 ? '✔' : '✘'} ${name} ${status} in ${secs} s\n`);
      resolve(code ?? 1);
    });
  });
}

const quote = (arg) => `'${arg.replace(/'/g, `'\\''`)}'`;
const codes = await Promise.all([
  run('typecheck', scripts.typecheck, true),
  run('check:layers', scripts['check:layers'], true),
  run('specs', ['playwright', 'test', ...process.argv.slice(2).map(quote)].join(' '), false),
]);
process.exitCode = codes.find((c) => c !== 0) ?? 0;
