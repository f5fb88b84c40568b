/**
 * npm run gate — what must pass before (and what happens when) Dokploy deploys Kestra.
 *
 *   lint → unit → e2e on the target (default container) → production guard →
 *   Dokploy deploys the compose (POST /api/compose.deploy, waits on deployment.allByCompose) →
 *   the flows go to the production Kestra, namespace by namespace (never /flows/bulk; flows the
 *   repository does not hold are deleted only with --prune) → the post-deploy smoke
 *   (npm run smoke:prod -- --production --kill-scheduled --no-alert).
 *
 * Options:
 *   --target local|container|remote   where the e2e step runs (default container)
 *   --production                      allow the production steps (or GATE_ALLOW_PRODUCTION=true);
 *                                     without it the gate stops before the Dokploy step, exit 2
 *   --prune                           delete flows in christmas* that the repository does not hold
 *   --skip-deploy                     no Dokploy deploy (the compose file did not change)
 *   --skip-smoke                      no post-deploy smoke
 *   --deploy-timeout <seconds>        how long the Dokploy deployment may take (default 900)
 *   --dry-run                         print every step (no secrets) and call nothing; exit 0
 *
 * Needs, for the production steps: DOKPLOY_URL, DOKPLOY_API_KEY, DOKPLOY_COMPOSE_ID (unless
 * --skip-deploy), KESTRA_URL, KESTRA_USERNAME, KESTRA_PASSWORD — checked before anything runs.
 *
 * Exit codes: 0 every step passed (or --dry-run); 1 a step failed (a spec, the Dokploy deployment
 * — error or timeout —, the flow deploy, the smoke); 2 usage or configuration error, or production
 * steps without --production. Failures are one readable line.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, optionalVar, requireAll } from '../../config/env.js';
import { TARGET_NAMES, type TargetName } from '../../config/variables.js';
import { repositoryFlows } from '../../kestra-model/repository-flows.js';
import { opsFlag, opsVar } from '../gate/env.js';
import { defaultExecutors } from '../gate/executors.js';
import { gatePlan, type GateOptions, type GateTargets } from '../gate/plan.js';
import { runGate, type GateExecutors } from '../gate/runner.js';

export const GATE_USAGE =
  'usage: npm run gate [-- --target local|container|remote] [--production] [--prune] [--skip-deploy] [--skip-smoke] [--deploy-timeout <seconds>] [--dry-run]';

export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseGateArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): GateOptions & { help: boolean } {
  const options: GateOptions & { help: boolean } = {
    target: 'container', production: false, prune: false, skipDeploy: false, skipSmoke: false, dryRun: false,
    deployTimeoutMs: 900_000, pollIntervalMs: 5_000, help: false,
  };
  const value = (i: number, name: string): string => {
    const v = argv[i];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${name} needs a value — ${GATE_USAGE}`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    const [arg, inline] = raw.includes('=') ? [raw.slice(0, raw.indexOf('=')), raw.slice(raw.indexOf('=') + 1)] : [raw, undefined];
    const take = (name: string) => inline ?? value(++i, name);
    switch (arg) {
      case '--help': case '-h': options.help = true; break;
      case '--target': {
        const t = take('--target');
        if (!(TARGET_NAMES as readonly string[]).includes(t)) throw new UsageError(`--target must be one of ${TARGET_NAMES.join(', ')} (got "${t}")`);
        options.target = t as TargetName;
        break;
      }
      case '--production': options.production = true; break;
      case '--prune': options.prune = true; break;
      case '--skip-deploy': options.skipDeploy = true; break;
      case '--skip-smoke': options.skipSmoke = true; break;
      case '--dry-run': options.dryRun = true; break;
      case '--deploy-timeout': {
        const t = take('--deploy-timeout');
        if (!/^[1-9][0-9]{0,5}$/.test(t)) throw new UsageError(`--deploy-timeout must be a number of seconds (got "${t}")`);
        options.deployTimeoutMs = Number(t) * 1000;
        break;
      }
      case '--poll-interval': {
        // Undocumented: tests shorten the Dokploy polling.
        const t = take('--poll-interval');
        if (!/^[1-9][0-9]{0,6}$/.test(t)) throw new UsageError(`--poll-interval must be a number of milliseconds (got "${t}")`);
        options.pollIntervalMs = Number(t);
        break;
      }
      default:
        throw new UsageError(`unknown argument "${raw}" — ${GATE_USAGE}`);
    }
  }
  if (!options.production && opsFlag('GATE_ALLOW_PRODUCTION', env)) options.production = true;
  return options;
}

/** What the plan shows: non-secret values only; an unset or malformed one shows as unset. */
function planTargets(env: NodeJS.ProcessEnv): GateTargets {
  const safe = (read: () => string | undefined) => {
    try {
      return read() ?? null;
    } catch {
      return null;
    }
  };
  return {
    dokployUrl: safe(() => opsVar('DOKPLOY_URL', env))?.replace(/\/+$/, '') ?? null,
    composeId: safe(() => opsVar('DOKPLOY_COMPOSE_ID', env)),
    kestraUrl: safe(() => optionalVar('KESTRA_URL', env)),
  };
}

/** Fails fast (exit 2), before lint even starts, when a production step would lack its configuration. */
function checkProductionConfiguration(options: GateOptions, env: NodeJS.ProcessEnv): void {
  const dokploy = options.skipDeploy ? [] : ['DOKPLOY_URL', 'DOKPLOY_API_KEY', 'DOKPLOY_COMPOSE_ID'];
  requireAll([...dokploy, 'KESTRA_URL', 'KESTRA_USERNAME', 'KESTRA_PASSWORD'], 'gate --production', env);
}

export interface GateIo {
  env?: NodeJS.ProcessEnv;
  out?: (line: string) => void;
  err?: (line: string) => void;
  executors?: GateExecutors;
}

export async function gateMain(argv: readonly string[], io: GateIo = {}): Promise<number> {
  const env = io.env ?? process.env;
  const out = io.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = io.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  let options: ReturnType<typeof parseGateArgs>;
  try {
    options = parseGateArgs(argv, env);
    if (options.help) {
      out(GATE_USAGE);
      return 0;
    }
    // A dry run calls nothing but still checks the configuration the real run would need.
    if (options.production) checkProductionConfiguration(options, env);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      err(`gate: ${error.message}`);
      return 2;
    }
    throw error;
  }

  let flows;
  try {
    flows = repositoryFlows();
  } catch (error) {
    err(`gate: ${(error as Error).message.split('\n')[0]}`);
    return 2;
  }
  const plan = gatePlan(options, planTargets(env), flows);
  const outcome = await runGate(plan, { dryRun: options.dryRun, executors: io.executors ?? defaultExecutors(env), out });
  const failed = outcome.results.find((r) => r.status === 'failed' || r.status === 'stopped');
  if (failed?.message) err(`gate: ${failed.id}: ${failed.message}`);
  return outcome.code;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  gateMain(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`gate: ${(error as Error).message?.split('\n')[0] ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
