/**
 * `npm run stack:local` — starts the embedded stack (Kestra, Notion and Resend stand-ins on
 * loopback, the repository's flows deployed) and prints ONE JSON object on the first line of
 * standard output, then runs until SIGINT/SIGTERM:
 *
 *   {"kestra": url, "notion": url, "resend": url,
 *    "webhooks": {"signup": url, "assessment": url, "noshow": url, "postcall": url, "onboarding": url}}
 *
 * The webhook URLs contain their keys (that is what a webhook URL is); no other secret is printed.
 * The Kestra API's Basic credentials are the stand-in's documented defaults
 * (KESTRA_STANDIN_DEFAULT_AUTH in helpers/standins/kestra/index.ts) unless --no-auth.
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
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { KESTRA_STANDIN_DEFAULT_AUTH } from '../../standins/kestra/index.js';
import { writeSmokeEnvFile } from '../../standins/smoke-env.js';
import { startLocalStack, type LocalStackOptions } from '../../standins/stack.js';

class UsageError extends Error {}

export function parseStackArgs(argv: readonly string[]): LocalStackOptions & { envFile?: string } {
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
        throw new UsageError(`unknown argument "${arg}" (see the header of helpers/tools/cli/stack-local.ts)`);
    }
  }
  if (Object.keys(ports).length > 0) opts.ports = ports;
  return opts;
}

async function main(): Promise<void> {
  let options: ReturnType<typeof parseStackArgs>;
  try {
    options = parseStackArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`stack:local: ${(error as Error).message}\n`);
    process.exit(2);
  }
  let stack: Awaited<ReturnType<typeof startLocalStack>>;
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
  process.stdout.write(`${JSON.stringify(stack.describe())}\n`);
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
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) void main();
