/**
 * Runs `allure generate` for buildReport (generate.ts) in a lean child process
 * (allure-generate-child.mjs: Allure's engine and the harness configuration only, plain Node): about
 * 0.8 s less CPU than the `allure` CLI, which loads every command it has, and about half of what the
 * same modules cost in-process under tsx's or Playwright's loader hooks.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./allure-generate-child.mjs', import.meta.url));

export interface AllureGenerateInput {
  env: string;
  /** Where relative paths in Allure's own bookkeeping resolve (the repository, as for `npx allure`). */
  cwd: string;
  resultsDir: string;
  outDir: string;
  historyFile: string;
  variables: Record<string, string>;
}

/** Exit code and everything the child printed (Allure's own output, for the error line). */
export function allureGenerate(input: AllureGenerateInput, env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CHILD, JSON.stringify(input)], {
      cwd: input.cwd,
      // No TypeScript loader for the child (`tsx` may have put one in NODE_OPTIONS): it is plain JavaScript.
      env: { ...env, NODE_OPTIONS: withoutLoaders(env.NODE_OPTIONS), NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, output });
    });
  });
}

/** NODE_OPTIONS minus `--import`/`--require`/`--loader` of tsx. */
function withoutLoaders(options: string | undefined): string {
  if (!options) return '';
  return options.replace(/--(?:import|require|loader|experimental-loader)[= ]\S*tsx\S*/g, '').trim();
}
