/**
 * `npm run bench [-- --full] [--readme] [--runs <n>] [--from <bench.json>]` — every speed benchmark, each figure beside its
 * budget (helpers/tools/bench/speed-table.ts), MISS where over. A benchmark, not a test: budgets are
 * reported, never enforced by the exit code.
 *
 *   lint start-up, lint 1,000 flows   helpers/tools/cli/bench-lint.ts --json (medians; bare Node as baseline)
 *   stack up, webhook → terminal,     helpers/tools/cli/bench-stack.ts (medians)
 *   5-day sequence
 *   verify, npm test                  only with --full: `npm run verify` --runs times (default 3) and
 *                                     `npm test` once — together a few minutes; without --full those
 *                                     rows say "not measured (use --full)".
 *
 * Wall time on a shared machine measures the neighbours too, so every row also gives CPU time
 * (user + system, child processes included) and the header gives the load average.
 * Writes reports/bench.json; --readme also rewrites the Speed table in README.md. --from <file> measures
 * nothing: it prints (and with --readme, writes) the table of a saved reports/bench.json.
 *
 * Exit codes: 0 measured (whatever the verdicts); 1 a benchmark failed to run; 2 usage error.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median } from '../bench/stats.js';
import { speedTable, withSpeedBlock, type Figure, type SpeedFigures } from '../bench/speed-table.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const USAGE = 'usage: npm run bench [-- --full] [--readme] [--runs <n>] [--from <bench.json>]';

function fail(code: 1 | 2, message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(code);
}

function parse(argv: string[]): { full: boolean; readme: boolean; runs: number; from?: string } {
  const opts: { full: boolean; readme: boolean; runs: number; from?: string } = { full: false, readme: false, runs: 3 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--full') opts.full = true;
    else if (a === '--readme') opts.readme = true;
    else if (a === '--runs') {
      opts.runs = Number(argv[++i]);
      if (!Number.isInteger(opts.runs) || opts.runs < 1) fail(2, `--runs must be a whole number ≥ 1 (got "${argv[i]}")`);
    } else if (a === '--from') {
      opts.from = argv[++i];
      if (!opts.from) fail(2, `--from needs a file — ${USAGE}`);
    } else if (a === '--help' || a === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else fail(2, `unknown argument "${a}" — ${USAGE}`);
  }
  return opts;
}


/** CPU time of this process's waited-for children (cutime + cstime of /proc/self/stat), ms. */
function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): cutime and cstime are fields 16 and 17, in clock ticks (100 Hz on Linux)
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

/** Runs a command to completion (output on stderr), timing wall and CPU. */
function timed(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): { wallMs: number; cpuMs: number; code: number | null; stdout: string } {
  const cpu = childrenCpuMs();
  const t = performance.now();
  const r = spawnSync(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
  if (r.error) fail(1, `could not start ${command}: ${r.error.message}`);
  return { wallMs: performance.now() - t, cpuMs: childrenCpuMs() - cpu, code: r.status, stdout: r.stdout.toString() };
}

function lastJsonLine<T>(what: string, stdout: string): T {
  const line = stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as T;
  } catch {
    return fail(1, `${what} printed no JSON figures (last line: ${line.slice(0, 200)})`);
  }
}

interface LintFigures {
  startup: { runs: number; bare: { wallMs: number; cpuMs: number }; launcher: { wallMs: number; cpuMs: number } };
  scale: { n: number; ms: number; cpu: number }[];
}
interface StackFigures {
  stackUpMs: { cold: number; coldCpu: number };
  webhookToTerminalMs: { median: number; medianCpu: number; runs: number };
  fiveDaySequenceMs: { median: number; medianCpu: number; runs: number };
}

function benchLint(): Partial<SpeedFigures['figures']> {
  process.stderr.write('▶ lint (helpers/tools/cli/bench-lint.ts)\n');
  const r = timed(process.execPath, ['--import', TSX_LOADER, join(ROOT, 'helpers/tools/cli/bench-lint.ts'), '--json', '--sizes', '250,1000']);
  if (r.code !== 0) fail(1, `bench-lint exited ${r.code}`);
  process.stderr.write(r.stdout.trim().split('\n').slice(0, -1).join('\n') + '\n');
  const f = lastJsonLine<LintFigures>('bench-lint', r.stdout);
  const thousand = f.scale.find((s) => s.n === 1000);
  return {
    'lint-startup': { wallMs: f.startup.launcher.wallMs, cpuMs: f.startup.launcher.cpuMs, baseline: { wallMs: f.startup.bare.wallMs, cpuMs: f.startup.bare.cpuMs }, runs: f.startup.runs },
    ...(thousand ? { 'lint-1000': { wallMs: thousand.ms, cpuMs: thousand.cpu, runs: 3 } } : {}),
  };
}

function benchStack(): Partial<SpeedFigures['figures']> {
  process.stderr.write('▶ stack (helpers/tools/cli/bench-stack.ts)\n');
  const r = timed(process.execPath, ['--import', TSX_LOADER, join(ROOT, 'helpers/tools/cli/bench-stack.ts')]);
  if (r.code !== 0) fail(1, `bench-stack exited ${r.code}`);
  const f = lastJsonLine<StackFigures>('bench-stack', r.stdout);
  return {
    'stack-up': { wallMs: f.stackUpMs.cold, cpuMs: f.stackUpMs.coldCpu, runs: 1 },
    'webhook-terminal': { wallMs: f.webhookToTerminalMs.median, cpuMs: f.webhookToTerminalMs.medianCpu, runs: f.webhookToTerminalMs.runs },
    'five-day': { wallMs: f.fiveDaySequenceMs.median, cpuMs: f.fiveDaySequenceMs.medianCpu, runs: f.fiveDaySequenceMs.runs },
  };
}

/** `npm run <script>` `runs` times: medians of wall and CPU. A failing run is a failed benchmark. */
function benchScript(script: string, runs: number): Figure {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    process.stderr.write(`▶ npm run ${script} (${i + 1}/${runs})\n`);
    const r = timed('npm', ['run', '--silent', script]);
    if (r.code !== 0) fail(1, `npm run ${script} exited ${r.code}: its time would not be a passing run's`);
    samples.push(r);
  }
  return { wallMs: median(samples.map((s) => s.wallMs)), cpuMs: median(samples.map((s) => s.cpuMs)), runs };
}

function saved(file: string): SpeedFigures {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SpeedFigures;
  } catch (error) {
    return fail(2, `--from ${file}: ${(error as Error).message.split('\n')[0]}`);
  }
}

function measure(opts: ReturnType<typeof parse>): SpeedFigures {
  const result: SpeedFigures = {
    measuredAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    machine: `${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)}`,
    figures: {},
  };
  Object.assign(result.figures, benchLint(), benchStack());
  if (opts.full) {
    result.figures.verify = benchScript('verify', opts.runs);
    result.figures['npm-test'] = benchScript('test', 1);
  }
  mkdirSync(join(ROOT, 'reports'), { recursive: true });
  writeFileSync(join(ROOT, 'reports', 'bench.json'), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

function main(): void {
  const opts = parse(process.argv.slice(2));
  const result = opts.from ? saved(opts.from) : measure(opts);
  process.stdout.write(`\n${speedTable(result)}\n`);
  if (opts.readme) {
    const readme = join(ROOT, 'README.md');
    writeFileSync(readme, withSpeedBlock(readFileSync(readme, 'utf8'), result));
    process.stdout.write('README.md: Speed table regenerated\n');
  }
}

main();
