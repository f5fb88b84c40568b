/**
 * Runs `allure generate` for buildReport (generate.ts) in a lean child process
 * (allure-generate-child.mjs: Allure's engine and the harness configuration only, plain Node): about
 * 0.8 s less CPU than the `allure` CLI, which loads every command it has, and about half of what the
 * same modules cost in-process under tsx's or Playwright's loader hooks.
 *
 * One child per process, environment and working directory, kept while the process lives: `npm run report` builds one
 * report, a spec that builds several pays for the engine's start-up once. The child holds this
 * process open only while a report is being generated; it exits when this process does.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./allure-generate-child.mjs', import.meta.url));
/** A generation that takes longer is killed (and answered with its exit). */
const TIMEOUT_MS = 300_000;

export interface AllureGenerateInput {
  env: string;
  /** Where relative paths in Allure's own bookkeeping resolve (the repository, as for `npx allure`). */
  cwd: string;
  resultsDir: string;
  outDir: string;
  historyFile: string;
  variables: Record<string, string>;
}

export interface AllureGenerateOutcome {
  code: number | null;
  /** Everything the engine printed while generating (Allure's own output, for the error line). */
  output: string;
}

interface Pending {
  input: AllureGenerateInput;
  resolve: (outcome: AllureGenerateOutcome) => void;
}

/** The engine child and the reports waiting for it (the head of `pending` is being generated). */
class Engine {
  private readonly pending: Pending[] = [];
  private printed = '';
  private timer: NodeJS.Timeout | undefined;
  readonly child: ChildProcess;

  constructor(
    readonly env: NodeJS.ProcessEnv,
    readonly cwd: string,
    onExit: () => void,
  ) {
    this.child = fork(CHILD, [], {
      cwd,
      // No TypeScript loader for the child (`tsx` may have put one in NODE_OPTIONS): it is plain JavaScript.
      env: { ...env, NODE_OPTIONS: withoutLoaders(env.NODE_OPTIONS), NO_COLOR: '1', FORCE_COLOR: '0' },
      execArgv: [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    // What the engine prints outside a generation (a crash) goes with the report being generated.
    for (const stream of [this.child.stdout, this.child.stderr]) stream?.on('data', (d: Buffer) => (this.printed += d.toString()));
    this.child.on('message', (outcome: AllureGenerateOutcome) => this.settle({ code: outcome.code, output: this.takePrinted() + outcome.output }));
    this.child.on('error', (error) => this.failAll(null, `${error.message}\n`));
    this.child.on('exit', (code, signal) => {
      onExit();
      this.failAll(code ?? null, signal ? `killed by ${signal}\n` : '');
    });
    this.idle();
  }

  generate(input: AllureGenerateInput): Promise<AllureGenerateOutcome> {
    return new Promise((resolve) => {
      this.pending.push({ input, resolve });
      if (this.pending.length === 1) this.next();
    });
  }

  /** Disconnects the child if no report is waiting (it exits on disconnect); true when it did. */
  release(): boolean {
    if (this.pending.length > 0 || !this.child.connected) return false;
    this.child.disconnect();
    return true;
  }

  private next(): void {
    const head = this.pending[0];
    if (!head) return this.idle();
    this.busy();
    this.timer = setTimeout(() => this.child.kill('SIGKILL'), TIMEOUT_MS);
    this.child.send(head.input);
  }

  private settle(outcome: AllureGenerateOutcome): void {
    clearTimeout(this.timer);
    this.pending.shift()?.resolve(outcome);
    this.next();
  }

  private failAll(code: number | null, why: string): void {
    clearTimeout(this.timer);
    const output = this.takePrinted() + why;
    for (const p of this.pending.splice(0)) p.resolve({ code: code === 0 ? 1 : code, output });
  }

  private takePrinted(): string {
    const printed = this.printed;
    this.printed = '';
    return printed;
  }

  /** While a report is generated, the child keeps this process alive; between reports it does not. */
  private busy(): void {
    this.child.ref();
    this.child.channel?.ref();
    for (const s of [this.child.stdout, this.child.stderr]) (s as unknown as { ref?: () => void } | null)?.ref?.();
  }

  private idle(): void {
    this.child.unref();
    this.child.channel?.unref();
    for (const s of [this.child.stdout, this.child.stderr]) (s as unknown as { unref?: () => void } | null)?.unref?.();
  }
}

const engines = new Set<Engine>();

/** Generates one report with the harness configuration; exit code 0 when Allure wrote it. */
export function allureGenerate(input: AllureGenerateInput, env: NodeJS.ProcessEnv = process.env): Promise<AllureGenerateOutcome> {
  let engine = [...engines].find((e) => e.env === env && e.cwd === input.cwd);
  if (!engine) {
    const started: Engine = new Engine(env, input.cwd, () => engines.delete(started));
    engines.add(started);
    engine = started;
  }
  return engine.generate(input);
}

/** Lets every idle engine child go now (a spec done with its reports), rather than at this process's exit. */
export function releaseAllureEngines(): void {
  // Released engines leave the set at once: the next report starts a new child.
  for (const engine of engines) if (engine.release()) engines.delete(engine);
}

/** NODE_OPTIONS minus `--import`/`--require`/`--loader` of tsx. */
function withoutLoaders(options: string | undefined): string {
  if (!options) return '';
  return options.replace(/--(?:import|require|loader|experimental-loader)[= ]\S*tsx\S*/g, '').trim();
}
