/**
 * The real executors of the gate's steps: npm scripts as child processes (output inherited),
 * the Dokploy deploy through helpers/clients/dokploy, the flow deploy through helpers/clients/kestra. Credentials
 * are read from the environment here, at execution time — never put in the plan.
 */
import { spawn } from 'node:child_process';
import { requiredVar } from '../../config/env.js';
import { createDokployClient, type DokployProgress } from '../../clients/dokploy/index.js';
import { REPOSITORY_ROOT, repositoryFlows } from '../../kestra-model/repository-flows.js';
import { createKestraClient } from '../../clients/kestra/index.js';
import { createKestraAdmin } from '../../clients/kestra/admin.js';
import { requiredOpsVar } from './env.js';
import { deployRepositoryFlows } from './flows-deploy.js';
import type { GateExecutors } from './runner.js';

/** Production credentials: the lint, unit and e2e steps never need them (unless e2e runs on `remote`). */
const PRODUCTION_CREDENTIALS = /^(KESTRA_(URL|USERNAME|PASSWORD|WEBHOOK_KEY_.+)|NOTION_TOKEN|RESEND_API_KEY|DOKPLOY_API_KEY|SMOKE_ALERT_WEBHOOK_URL)$/;

/**
 * The environment of one npm step: the smoke (and an e2e step explicitly on the remote target)
 * get everything; the others get the production credentials blanked — set to '' rather than
 * removed, so a developer's .env cannot fill them back in (dotenv never overrides a set variable).
 */
export function stepEnv(script: string, args: readonly string[], env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const targetIndex = args.indexOf('--target');
  const remote = script === 'verify' && (args[targetIndex + 1] === 'remote' || args.includes('--target=remote'));
  if (script === 'smoke:prod' || remote) return env;
  const out: NodeJS.ProcessEnv = { ...env };
  for (const name of Object.keys(out)) if (PRODUCTION_CREDENTIALS.test(name)) out[name] = '';
  return out;
}

export function spawnNpm(script: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', script, ...(args.length > 0 ? ['--', ...args] : [])], {
      cwd: REPOSITORY_ROOT,
      stdio: 'inherit',
      env,
    });
    child.on('error', (err) => reject(new Error(`could not start npm run ${script}: ${err.message}`)));
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** One line per status change, and a reminder every minute while it runs. */
export function dokployProgressLogger(log: (line: string) => void): (event: DokployProgress) => void {
  let last = '';
  let lastMinute = -1;
  return (event) => {
    const minute = 'elapsedMs' in event ? Math.floor(event.elapsedMs / 60_000) : 0;
    let line: string;
    if (event.type === 'triggered') line = `compose ${event.composeId}: deployment queued`;
    else if (event.type === 'waiting-for-deployment') line = `waiting for the deployment to start (${Math.round(event.elapsedMs / 1000)} s)`;
    else line = `deployment ${event.deploymentId}: ${event.status}`;
    const key = event.type === 'deployment' ? `${event.deploymentId}:${event.status}` : event.type;
    if (key !== last || minute !== lastMinute) log(minute > 0 && key === last ? `${line} (${minute} min)` : line);
    last = key;
    lastMinute = minute;
  };
}

export function defaultExecutors(env: NodeJS.ProcessEnv = process.env): GateExecutors {
  return {
    npm: (script, args) => spawnNpm(script, args, stepEnv(script, args, env)),
    async dokploy(action, log) {
      const dokploy = createDokployClient({ baseUrl: requiredOpsVar('DOKPLOY_URL', env), apiKey: requiredOpsVar('DOKPLOY_API_KEY', env) });
      const composeId = action.composeId ?? requiredOpsVar('DOKPLOY_COMPOSE_ID', env);
      const sha = env.GITHUB_SHA ? env.GITHUB_SHA.slice(0, 12) : undefined;
      const done = await dokploy.deployAndWait(composeId, {
        timeoutMs: action.timeoutMs,
        pollIntervalMs: action.pollIntervalMs,
        title: `harness gate${sha ? ` ${sha}` : ''}`,
        description: 'npm run gate: lint, unit and e2e passed',
        onProgress: dokployProgressLogger(log),
      });
      log(`deployment ${done.deployment.deploymentId} done in ${Math.round(done.durationMs / 1000)} s`);
    },
    async flows(action, log) {
      const auth = { username: requiredVar('KESTRA_USERNAME', env), password: requiredVar('KESTRA_PASSWORD', env) };
      const baseUrl = requiredVar('KESTRA_URL', env);
      const kestra = createKestraClient({ baseUrl, auth });
      const admin = createKestraAdmin({ baseUrl, auth });
      const result = await deployRepositoryFlows(kestra, admin, repositoryFlows(), { prune: action.prune, log });
      log(`${result.deployed.reduce((n, d) => n + d.flows.length, 0)} flows deployed, ${result.deleted.length} deleted, ${result.unexpected.length - result.deleted.length} unexpected left in place`);
    },
  };
}
