/**
 * `npm run stack:local` — starts the embedded stack (Kestra, Notion and Resend stand-ins on
 * loopback, the repository's flows deployed) and prints ONE JSON object on the first line of
 * standard output, then runs until SIGINT/SIGTERM/SIGHUP or until a process that started it exits:
 *
 *   {"kestra": url, "notion": url, "resend": url,
 *    "webhooks": {"signup": url, …}, "credentials": {"kestra": {username, password} | null,
 *    "notionToken", "resendApiKey"}, "notionDataSources": {contacts, …}, "env": {KESTRA_URL, …}}
 *
 * The credentials are the stand-ins' own throwaway values (random per start; Kestra's are the
 * stand-in's documented defaults, KESTRA_STANDIN_DEFAULT_AUTH, unless --no-auth): printing them is
 * what lets a user call the authenticated APIs or point the remote target or the smoke at the stack.
 * Everything else goes to standard error.
 *
 * Options:
 *   --testing-mode            ENV_TESTING_MODE=true: emails minutes apart instead of hours/days
 *   --clock virtual|real      virtual (default): time moves only through
 *                             POST {kestra}/__standin/clock/advance {"hours": 24};
 *                             real: wall time, scheduled emails go out when their time comes
 *   --retry-delay-scale N     multiply task retry waits (default 1)
 *   --kestra-port N --notion-port N --resend-port N   fixed ports (default: free ports)
 *   --host H                  listen address (default 127.0.0.1)
 *   --no-auth                 Kestra API without Basic auth
 *   --smoke-env PATH          also write the environment smoke:prod reads (KESTRA_*, NOTION_*, RESEND_*,
 *                             webhook keys of this stack; mode 0600), so `smoke:prod` runs offline
 *                             against it (helpers/standins/smoke-env.ts; use --clock real for the webhooks)
 *
 * Exit codes: 0 — stopped by SIGINT/SIGTERM after a clean shutdown; 1 — could not start (one
 * readable line on stderr: a port in use, a flow the stand-in cannot run…); 2 — bad arguments.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { KESTRA_STANDIN_DEFAULT_AUTH } from '../../standins/kestra/default-auth.js';
// The stand-ins themselves are imported once the arguments are read: --help and a usage error answer
// without loading them (about 1.5 s of CPU).
import type { LocalStack, LocalStackOptions } from '../../standins/stack.js';

class UsageError extends Error {}

export const STACK_USAGE = `usage: npm run -s stack:local [-- options]

Starts the Kestra, Notion and Resend stand-ins on loopback with this repository's flows, prints ONE
JSON line (URLs, webhook URLs, the stand-ins' credentials and the variables to point the harness at
them) and runs until SIGINT/SIGTERM/SIGHUP — or until the process that started it exits.

Options:
  --testing-mode            emails minutes apart instead of hours/days (ENV_TESTING_MODE=true)
  --clock virtual|real      virtual (default): time moves only through
                            POST {kestra}/__standin/clock/advance {"hours": 24}; real: wall time
  --retry-delay-scale N     multiply task retry waits (default 1)
  --kestra-port N, --notion-port N, --resend-port N   fixed ports (default: free ports)
  --host H                  listen address (default 127.0.0.1)
  --no-auth                 Kestra API without Basic auth
  --smoke-env PATH          also write the environment smoke:prod reads (mode 0600), so the smoke
                            runs offline against this stack (use --clock real for its webhooks)
  -h, --help                this help

Exit codes: 0 stopped cleanly; 1 could not start; 2 bad arguments.`;

export function parseStackArgs(argv: readonly string[]): (LocalStackOptions & { envFile?: string }) | 'help' {
  if (argv.includes('--help') || argv.includes('-h')) return 'help';
  const opts: LocalStackOptions & { envFile?: string } = { kestraAuth: { ...KESTRA_STANDIN_DEFAULT_AUTH } };
  const ports: NonNullable<LocalStackOptions['ports']> = {};
  const value = (i: number, name: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${name} needs a value`);
    return v;
  };
  const port = (raw: string, name: string): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`${name} must be a port number 0–65535 (got "${raw}")`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    switch (arg) {
      case '--testing-mode':
        opts.testingMode = true;
        break;
      case '--no-auth':
        opts.kestraAuth = false;
        break;
      case '--smoke-env':
        opts.envFile = value(i++, arg);
        break;
      case '--clock': {
        const v = value(i++, arg);
        if (v !== 'virtual' && v !== 'real') throw new UsageError(`--clock must be virtual or real (got "${v}")`);
        opts.clock = v;
        break;
      }
      case '--retry-delay-scale': {
        const v = Number(value(i++, arg));
        if (!Number.isFinite(v) || v < 0) throw new UsageError('--retry-delay-scale must be a number ≥ 0');
        opts.retryDelayScale = v;
        break;
      }
      case '--kestra-port':
        ports.kestra = port(value(i++, arg), arg);
        break;
      case '--notion-port':
        ports.notion = port(value(i++, arg), arg);
        break;
      case '--resend-port':
        ports.resend = port(value(i++, arg), arg);
        break;
      case '--host':
        opts.host = value(i++, arg);
        break;
      default:
        throw new UsageError(`unknown argument "${arg}" (npm run -s stack:local -- --help lists the options)`);
    }
  }
  if (Object.keys(ports).length > 0) opts.ports = ports;
  return opts;
}

/** What the command answers before it starts anything: the options to start with, or --help / a usage error with its exit code and output. */
export function answerArguments(argv: readonly string[]): { options: LocalStackOptions & { envFile?: string } } | { code: 0 | 2; stdout: string; stderr: string } {
  try {
    const parsed = parseStackArgs(argv);
    if (parsed === 'help') return { code: 0, stdout: `${STACK_USAGE}\n`, stderr: '' };
    return { options: parsed };
  } catch (error) {
    return { code: 2, stdout: '', stderr: `stack:local: ${(error as Error).message}\n` };
  }
}

async function main(): Promise<void> {
  const answer = answerArguments(process.argv.slice(2));
  if (!('options' in answer)) {
    process.stdout.write(answer.stdout);
    process.stderr.write(answer.stderr);
    process.exit(answer.code);
  }
  const { options } = answer;
  const [{ startLocalStack }, { writeSmokeEnvFile }] = await Promise.all([import('../../standins/stack.js'), import('../../standins/smoke-env.js')]);
  let stack: LocalStack;
  try {
    stack = await startLocalStack(options);
  } catch (error) {
    process.stderr.write(`stack:local: could not start — ${(error as Error).message.split('\n')[0]}\n`);
    process.exit(1);
  }
  if (options.envFile) {
    try {
      writeSmokeEnvFile(stack, options.envFile);
    } catch (error) {
      process.stderr.write(`stack:local: cannot write --smoke-env ${options.envFile} — ${(error as Error).message.split('\n')[0]}\n`);
      await stack.stop();
      process.exit(1);
    }
  }
  process.stdout.write(`${JSON.stringify(stackLine(stack))}\n`);
  process.stderr.write(`stack:local: running (clock ${stack.kestra.clock.mode}${options.testingMode ? ', testing mode' : ''}); Ctrl-C to stop\n`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`stack:local: ${signal}, stopping\n`);
    stack
      .stop()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        process.stderr.write(`stack:local: shutdown failed — ${(error as Error).message}\n`);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGHUP', () => shutdown('SIGHUP'));
  // Supervision: killing `npm` (or the shell) does not signal its children, so the stack watches the
  // processes that started it and stops when one of them is gone, closing its ports.
  const ancestors = ancestorPids(process.pid);
  setInterval(() => {
    const gone = ancestors.find((pid) => !alive(pid));
    if (gone !== undefined) shutdown(`parent process ${gone} exited`);
  }, 500).unref();
}

/** The printed line: URLs, webhook URLs, the stand-ins' credentials and the variables that point the harness at them. */
export function stackLine(stack: LocalStack) {
  const described = stack.describe();
  const kestraAuth = stack.credentials.kestra;
  const ids = stack.notion.dataSourceIds;
  return {
    ...described,
    credentials: { kestra: kestraAuth || null, notionToken: stack.credentials.notionToken, resendApiKey: stack.credentials.resendApiKey },
    notionDataSources: { ...ids },
    env: {
      KESTRA_URL: described.kestra,
      ...(kestraAuth ? { KESTRA_USERNAME: kestraAuth.username, KESTRA_PASSWORD: kestraAuth.password } : {}),
      ...Object.fromEntries(Object.entries(stack.webhookKeys).map(([w, key]) => [`KESTRA_WEBHOOK_KEY_${w.toUpperCase()}`, key])),
      NOTION_TOKEN: stack.credentials.notionToken,
      ...Object.fromEntries(Object.entries(ids).map(([k, id]) => [`NOTION_${k.toUpperCase()}_DATA_SOURCE_ID`, id])),
      RESEND_API_KEY: stack.credentials.resendApiKey,
    },
  };
}

/** This process's ancestors up to (not including) init, from /proc (empty where there is no /proc). */
function ancestorPids(pid: number): number[] {
  const found: number[] = [];
  let current = pid;
  for (let i = 0; i < 32; i++) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${current}/stat`, 'utf8');
    } catch {
      break;
    }
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!Number.isInteger(ppid) || ppid <= 1) break;
    found.push(ppid);
    current = ppid;
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) void main();
