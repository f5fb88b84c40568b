/**
 * The `lint` command line. Never throws: every failure becomes one line on stderr and exit code 2.
 */
import { exitCodeOf, lint } from './run.js';
import { FORMATS, formatGithub, formatJson, formatSarif, formatStylish, rulesMarkdown, type FormatName } from './formatters.js';
import { RULES } from './registry.js';
import type { ProfileName } from './types.js';
import { DEFAULT_COMPOSE_FILE, DEFAULT_FLOWS_DIR } from './rule-context.js';

export const USAGE = `Usage: npm run lint -- [options] [paths…]

Lints Kestra flows and the Dokploy compose file. Paths are files or folders; without paths:
${DEFAULT_FLOWS_DIR}/** and ${DEFAULT_COMPOSE_FILE} (the compose file only with --profile project).

Options:
  --format <stylish|json|sarif|github>  output format (default stylish)
  --profile <project|kestra>            project: all rules (default); kestra: only the rules
                                        that hold for any Kestra flow
  --server <url>                        also validate each flow on that Kestra and check task
                                        properties against its plugin schemas (credentials:
                                        KESTRA_USERNAME / KESTRA_PASSWORD)
  --rules-markdown                      print the rule table (README) and exit
  -h, --help                            this help

Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 usage or I/O problem.`;

/**
 * KESTRA_USERNAME / KESTRA_PASSWORD from the environment or `.env` (as .env.example documents them for --server).
 * helpers/config/env is loaded only here: its zod schemas and dotenv cost a plain lint ~60 ms of start-up.
 */
async function serverCredentials(env: NodeJS.ProcessEnv): Promise<{ username?: string; password?: string }> {
  const { optionalVar } = await import('../../config/env.js');
  const username = optionalVar('KESTRA_USERNAME', env);
  const password = optionalVar('KESTRA_PASSWORD', env);
  return { ...(username ? { username } : {}), ...(password ? { password } : {}) };
}

export interface CliIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY?: boolean;
}

interface Args {
  paths: string[];
  format: FormatName;
  profile: ProfileName;
  server: string | undefined;
  rulesMarkdown: boolean;
  help: boolean;
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Args {
  const args: Args = { paths: [], format: 'stylish', profile: 'project', server: undefined, rulesMarkdown: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      args.paths.push(...argv.slice(i + 1));
      break;
    }
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const name = eq > 0 ? a.slice(0, eq) : a;
    const value = (): string => {
      if (eq > 0) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '--format': {
        const v = value();
        if (!(FORMATS as readonly string[]).includes(v)) throw new UsageError(`unknown format '${v}' (use ${FORMATS.join(', ')})`);
        args.format = v as FormatName;
        break;
      }
      case '--profile': {
        const v = value();
        if (v !== 'project' && v !== 'kestra') throw new UsageError(`unknown profile '${v}' (use project or kestra)`);
        args.profile = v;
        break;
      }
      case '--server': {
        const v = value();
        try {
          const u = new URL(v);
          if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
        } catch {
          throw new UsageError(`--server needs an http(s) URL, got '${v}'`);
        }
        args.server = v;
        break;
      }
      case '--rules-markdown':
        args.rulesMarkdown = true;
        break;
      case '-h':
      case '--help':
        args.help = true;
        break;
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
        args.paths.push(a);
    }
  }
  return args;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    io.stderr(`lint: ${(e as Error).message}\n${USAGE.split('\n')[0]}\n`);
    return 2;
  }
  if (args.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  if (args.rulesMarkdown) {
    io.stdout(rulesMarkdown(RULES));
    return 0;
  }
  try {
    const result = await lint({
      cwd: io.cwd,
      paths: args.paths,
      profile: args.profile,
      server: args.server ? { url: args.server, ...(await serverCredentials(io.env)) } : undefined,
    });
    // One prefix: a line that names its own source ("lint --server: …") is printed as it is.
    for (const line of [...result.fatal, ...result.notices]) io.stderr(`${/^lint\b/.test(line) ? line : `lint: ${line}`}\n`);
    switch (args.format) {
      case 'json':
        io.stdout(formatJson(result.problems, io.cwd));
        break;
      case 'sarif':
        io.stdout(formatSarif(result.problems, result.rules, io.cwd));
        break;
      case 'github':
        io.stdout(formatGithub(result.problems, io.cwd));
        break;
      default:
        // A path or server that could not be linted is no "no problems": the fatal line says it all.
        if (result.fatal.length > 0 && result.problems.length === 0) break;
        io.stdout(formatStylish(result.problems, io.cwd, result.filesLinted, io.isTTY === true && !io.env.NO_COLOR));
    }
    return exitCodeOf(result);
  } catch (e) {
    io.stderr(`lint: ${(e as Error).message ?? String(e)}\n`);
    return 2;
  }
}

/** Runs the CLI on this process. */
export async function run(argv: string[] = process.argv.slice(2)): Promise<void> {
  const code = await main(argv, {
    cwd: process.cwd(),
    env: process.env,
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    isTTY: process.stdout.isTTY,
  });
  process.exitCode = code;
}
