/**
 * The deploy gate as data: an ordered list of steps, built from the options and the environment,
 * that the runner (runner.ts) executes — or, with --dry-run, only prints.
 *
 *   lint → unit → e2e (target) → production guard → Dokploy compose deploy → flows → smoke
 *
 * Nothing here calls anything or holds a secret: the plan carries URLs and ids only, so printing
 * it is always safe.
 */
import type { TargetName } from '../../config/variables.js';
import type { RepositoryFlow } from '../../kestra-model/repository-flows.js';
import { deployOrder } from './flows-deploy.js';

export type GateStepId = 'lint' | 'unit' | 'e2e' | 'production' | 'dokploy' | 'flows' | 'smoke';

export type GateAction =
  | { kind: 'npm'; script: string; args: string[] }
  | { kind: 'production-guard'; allowed: boolean }
  | { kind: 'dokploy-deploy'; dokployUrl: string | null; composeId: string | null; timeoutMs: number; pollIntervalMs: number }
  | { kind: 'kestra-flows'; kestraUrl: string | null; namespaces: { namespace: string; flows: string[] }[]; prune: boolean };

export interface GateStep {
  id: GateStepId;
  title: string;
  /** Touches production (only reached past the guard). */
  production: boolean;
  action: GateAction;
}

export interface GateOptions {
  target: TargetName;
  production: boolean;
  prune: boolean;
  skipDeploy: boolean;
  skipSmoke: boolean;
  dryRun: boolean;
  deployTimeoutMs: number;
  pollIntervalMs: number;
}

/** Non-secret facts from the environment the plan shows (null: not set). */
export interface GateTargets {
  dokployUrl: string | null;
  composeId: string | null;
  kestraUrl: string | null;
}

export const SMOKE_AFTER_DEPLOY_ARGS = ['--production', '--kill-scheduled', '--no-alert'] as const;

export function gatePlan(options: GateOptions, targets: GateTargets, flows: readonly RepositoryFlow[]): GateStep[] {
  const byNamespace = new Map<string, string[]>();
  for (const f of flows) byNamespace.set(f.namespace, [...(byNamespace.get(f.namespace) ?? []), f.id]);
  const steps: GateStep[] = [
    { id: 'lint', title: 'lint the flows and the compose file', production: false, action: { kind: 'npm', script: 'lint', args: [] } },
    { id: 'unit', title: 'unit specs', production: false, action: { kind: 'npm', script: 'test:unit', args: [] } },
    { id: 'e2e', title: `end-to-end on the ${options.target} target`, production: false, action: { kind: 'npm', script: 'verify', args: ['--target', options.target] } },
    { id: 'production', title: 'production opt-in', production: false, action: { kind: 'production-guard', allowed: options.production } },
  ];
  if (!options.skipDeploy) {
    steps.push({
      id: 'dokploy',
      title: 'Dokploy deploys the compose file',
      production: true,
      action: { kind: 'dokploy-deploy', dokployUrl: targets.dokployUrl, composeId: targets.composeId, timeoutMs: options.deployTimeoutMs, pollIntervalMs: options.pollIntervalMs },
    });
  }
  steps.push({
    id: 'flows',
    title: 'deploy the flows to the production Kestra',
    production: true,
    action: {
      kind: 'kestra-flows',
      kestraUrl: targets.kestraUrl,
      namespaces: deployOrder(flows).map((namespace) => ({ namespace, flows: byNamespace.get(namespace) ?? [] })),
      prune: options.prune,
    },
  });
  if (!options.skipSmoke) {
    steps.push({ id: 'smoke', title: 'post-deploy smoke', production: true, action: { kind: 'npm', script: 'smoke:prod', args: [...SMOKE_AFTER_DEPLOY_ARGS] } });
  }
  return steps;
}

export function npmCommandLine(script: string, args: readonly string[]): string {
  return `npm run ${script}${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`;
}

/** What a step will do, in words (the dry run's output). Never contains a secret. */
export function describeAction(action: GateAction): string {
  const unset = (v: string | null, name: string) => v ?? `<${name} not set>`;
  switch (action.kind) {
    case 'npm':
      return npmCommandLine(action.script, action.args);
    case 'production-guard':
      return action.allowed
        ? 'given (--production or GATE_ALLOW_PRODUCTION=true): continue to the production steps'
        : 'NOT given: the gate stops here with exit 2 (pass --production or set GATE_ALLOW_PRODUCTION=true)';
    case 'dokploy-deploy':
      return `POST ${unset(action.dokployUrl, 'DOKPLOY_URL')}/api/compose.deploy {composeId: ${unset(action.composeId, 'DOKPLOY_COMPOSE_ID')}} (x-api-key), then GET /api/deployment.allByCompose every ${Math.round(action.pollIntervalMs / 1000)} s until the new deployment is done (error → fail; timeout ${Math.round(action.timeoutMs / 1000)} s)`;
    case 'kestra-flows': {
      const total = action.namespaces.reduce((n, ns) => n + ns.flows.length, 0);
      const order = action.namespaces.map((ns) => `${ns.namespace} (${ns.flows.length})`).join(' → ');
      return `validate then create/update ${total} flows on ${unset(action.kestraUrl, 'KESTRA_URL')}, namespace by namespace: ${order}; one flow per request, never /flows/bulk; flows in christmas* the repository does not hold: ${action.prune ? 'DELETED one by one (--prune)' : 'listed, not deleted (pass --prune to delete)'}`;
    }
  }
}
