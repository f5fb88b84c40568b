/**
 * `npm run report` — builds the Allure 3 report of the last run and proves it holds no secret.
 *
 *   npm run report [-- --env local|ci|prod] [--results dir] [--out dir]
 *
 * Writes (see helpers/tools/report/generate.ts):
 *   reports/allure-report/index.html              summary page linking both reports
 *   reports/allure-report/awesome/index.html      multi-file report (`npx allure open reports/allure-report`)
 *   reports/allure-report/single-file/index.html  ONE self-contained HTML file: opens offline from disk
 *   reports/history/<env>.jsonl                   history per environment (trends, flaky detection)
 *
 * Options:
 *   --env local|ci|prod   whose history the run joins (default: ci when CI=true, else local; prod for the nightly smoke)
 *   --results DIR         Allure results (default reports/allure-results)
 *   --out DIR             report directory (default reports/allure-report; replaced on every run)
 *   --history FILE        history file (default reports/history/<env>.jsonl)
 *   --secrets-file FILE   JSON array of extra secret values (strings or {"name","value"}) to look for
 *   --fingerprints FILE   secret fingerprints registered by the run (default reports/secret-fingerprints.jsonl)
 *   --keep-on-leak        keep the report when a secret is found (default: delete it, restore the history)
 *
 * The redaction check looks for every secret the harness knows: the secret variables of
 * .env.example (KESTRA_PASSWORD, webhook keys, NOTION_TOKEN, RESEND_API_KEY) from the environment or
 * .env, the fingerprints the e2e run registered for its target (local stand-in keys and tokens),
 * and --secrets-file — raw, URL-encoded, escaped, base64, inside base64 blobs and ZIP traces.
 *
 * Exit codes: 0 report written, no secret found; 1 a check failed (a secret in a report file, the
 * single file not self-contained); 2 usage, missing results, Allure failure. One line on stderr.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { optionalVar } from '../../config/env.js';
import { HARNESS_VARIABLES } from '../../config/variables.js';
import { buildReport, defaultReportEnv, describeOutcome, REPORT_ENVS, ReportError, type ReportEnv, type ReportOptions } from '../report/generate.js';
import type { NamedSecret } from '../report/secrets.js';

export interface ReportArgs extends Omit<ReportOptions, 'secrets'> {
  secretsFile?: string;
  help?: boolean;
}

export function parseReportArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ReportArgs {
  const args: ReportArgs = { env: defaultReportEnv(env) };
  const value = (i: number, name: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new ReportError(`${name} needs a value`, 2);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    switch (arg) {
      case '--env': {
        const v = value(i++, arg);
        if (!(REPORT_ENVS as readonly string[]).includes(v)) throw new ReportError(`--env must be one of ${REPORT_ENVS.join(', ')} (got "${v}")`, 2);
        args.env = v as ReportEnv;
        break;
      }
      case '--results':
        args.resultsDir = resolve(value(i++, arg));
        break;
      case '--out':
        args.outDir = resolve(value(i++, arg));
        break;
      case '--history':
        args.historyFile = resolve(value(i++, arg));
        break;
      case '--secrets-file':
        args.secretsFile = resolve(value(i++, arg));
        break;
      case '--fingerprints':
        args.fingerprintsFile = resolve(value(i++, arg));
        break;
      case '--keep-on-leak':
        args.keepOnLeak = true;
        break;
      case '--help':
      case '-h':
        args.help = true;
        break;
      default:
        throw new ReportError(`unknown argument "${arg}" (see --help)`, 2);
    }
  }
  return args;
}

/** The secret variables of the harness (helpers/config/variables.ts), from the environment or .env. */
export function environmentSecrets(env: NodeJS.ProcessEnv = process.env): NamedSecret[] {
  return HARNESS_VARIABLES.filter((v) => v.secret).flatMap((v) => {
    let value: string | undefined;
    try {
      value = optionalVar(v.name, env);
    } catch {
      value = env[v.name]; // malformed for its schema, still a secret
    }
    return value ? [{ name: v.name, value }] : [];
  });
}

export function readSecretsFile(file: string): NamedSecret[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ReportError(`--secrets-file ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not valid JSON'}`, 2);
  }
  if (!Array.isArray(parsed)) throw new ReportError(`--secrets-file ${file}: must be a JSON array of strings or {"name","value"} objects`, 2);
  return parsed.map((entry, i) => {
    if (typeof entry === 'string') return { name: `secrets-file #${i + 1}`, value: entry };
    if (entry && typeof entry === 'object' && typeof (entry as NamedSecret).value === 'string') {
      return { name: String((entry as NamedSecret).name ?? `secrets-file #${i + 1}`), value: (entry as NamedSecret).value };
    }
    throw new ReportError(`--secrets-file ${file}: entry ${i + 1} is neither a string nor {"name","value"}`, 2);
  });
}

const HELP = `npm run report [-- --env local|ci|prod] [--results dir] [--out dir] [--history file] [--secrets-file file] [--fingerprints file] [--keep-on-leak]
Builds reports/allure-report (multi-file in awesome/, one self-contained HTML in single-file/index.html),
appends the run to reports/history/<env>.jsonl, and fails (exit 1) if any known secret is in a report file.`;

/** Where main writes: this process's streams, or a spec's buffers. */
export interface ReportIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const processIo: ReportIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/** The command: exit code, one line on `io`. `env` is where the harness's secrets are read (a spec passes its own). */
export async function main(argv: readonly string[], io: ReportIo = processIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  try {
    const args = parseReportArgs(argv, env);
    if (args.help) {
      io.out(`${HELP}\n`);
      return 0;
    }
    const secrets = [...environmentSecrets(env), ...(args.secretsFile ? readSecretsFile(args.secretsFile) : [])];
    const outcome = await buildReport({ ...args, secrets });
    io.out(`${describeOutcome(outcome)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof ReportError) {
      io.err(`report: ${error.message}\n`);
      return error.exitCode;
    }
    io.err(`report: ${(error as Error).message?.split('\n')[0] ?? String(error)}\n`);
    return 2;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
