/**
 * Runs a gate plan step by step, stopping at the first step that does not pass.
 *
 *   ▶ lint — lint the flows and the compose file: npm run lint
 *   …the step's own output…
 *   ✔ lint passed in 3.2 s
 *   ▶ dokploy — Dokploy deploys the compose file: POST …/api/compose.deploy …
 *   ✘ dokploy failed in 61.0 s: Dokploy deployment dpl_… ended with status "error": …
 *   gate FAILED at dokploy (exit 1) in 1m 24s — lint ✔ 3.2 s · unit ✔ 20.1 s · e2e ✔ 40.3 s · production ✔ · dokploy ✘ 61.0 s
 *
 * With `dryRun` the plan is printed and NOTHING is executed (no executor is called).
 * Exit codes: 0 every step passed; 1 a step failed; 2 a usage/configuration problem, or the
 * production guard stopped the gate (production steps need --production).
 */
import { ConfigError } from '../../config/env.js';
import { DokployUsageError } from '../../clients/dokploy/errors.js';
import { describeAction, type GateAction, type GateStep, type GateStepId } from './plan.js';

export type StepStatus = 'passed' | 'failed' | 'stopped' | 'not run';

export interface StepResult {
  id: GateStepId;
  title: string;
  status: StepStatus;
  durationMs: number;
  message?: string;
}

export interface GateExecutors {
  /** Runs `npm run <script> -- <args>`, its output inherited; resolves to its exit code. */
  npm(script: string, args: readonly string[]): Promise<number>;
  /** Throws a one-line error when the deployment fails or times out. */
  dokploy(action: Extract<GateAction, { kind: 'dokploy-deploy' }>, log: (line: string) => void): Promise<void>;
  flows(action: Extract<GateAction, { kind: 'kestra-flows' }>, log: (line: string) => void): Promise<void>;
}

export interface GateRunOptions {
  dryRun: boolean;
  executors: GateExecutors;
  out: (line: string) => void;
  now?: () => number;
}

export interface GateOutcome {
  ok: boolean;
  code: 0 | 1 | 2;
  results: StepResult[];
  durationMs: number;
}

export const PRODUCTION_REFUSAL = 'stopping before the Dokploy deploy: production steps need --production (or GATE_ALLOW_PRODUCTION=true)';

class StepFailure extends Error {
  constructor(message: string, readonly code: 1 | 2) {
    super(message);
  }
}

export function seconds(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m}m ${Math.round((ms - m * 60_000) / 1000)}s`;
}

const firstLine = (err: unknown) => ((err as Error)?.message ?? String(err)).split('\n')[0]!;

async function execute(step: GateStep, executors: GateExecutors, log: (line: string) => void): Promise<void> {
  const { action } = step;
  switch (action.kind) {
    case 'npm': {
      const code = await executors.npm(action.script, action.args);
      if (code !== 0) throw new StepFailure(`${describeAction(action)} exited with code ${code}`, code === 2 ? 2 : 1);
      return;
    }
    case 'production-guard':
      if (!action.allowed) throw new StepFailure(PRODUCTION_REFUSAL, 2);
      return;
    case 'dokploy-deploy':
      return executors.dokploy(action, log);
    case 'kestra-flows':
      return executors.flows(action, log);
  }
}

export async function runGate(plan: readonly GateStep[], options: GateRunOptions): Promise<GateOutcome> {
  const { out } = options;
  const now = options.now ?? Date.now;
  const started = now();

  if (options.dryRun) {
    out(`gate — dry run: ${plan.length} steps, nothing is called`);
    plan.forEach((step, i) => {
      out(`▶ ${i + 1}/${plan.length} ${step.id} — ${step.title}${step.production ? ' [production]' : ''}`);
      out(`    ${describeAction(step.action)}`);
    });
    return { ok: true, code: 0, results: plan.map((s) => ({ id: s.id, title: s.title, status: 'not run', durationMs: 0 })), durationMs: 0 };
  }

  const results: StepResult[] = [];
  let code: 0 | 1 | 2 = 0;
  for (const step of plan) {
    if (code !== 0) {
      results.push({ id: step.id, title: step.title, status: 'not run', durationMs: 0 });
      continue;
    }
    out(`▶ ${step.id} — ${step.title}: ${describeAction(step.action)}`);
    const t0 = now();
    try {
      await execute(step, options.executors, (line) => out(`    ${line}`));
      const durationMs = now() - t0;
      results.push({ id: step.id, title: step.title, status: 'passed', durationMs });
      out(`✔ ${step.id} passed in ${seconds(durationMs)}`);
    } catch (err) {
      const durationMs = now() - t0;
      const stopped = step.action.kind === 'production-guard';
      code = err instanceof StepFailure ? err.code : err instanceof ConfigError || err instanceof DokployUsageError ? 2 : 1;
      const message = firstLine(err);
      results.push({ id: step.id, title: step.title, status: stopped ? 'stopped' : 'failed', durationMs, message });
      out(`✘ ${step.id} ${stopped ? 'stopped the gate' : 'failed'} in ${seconds(durationMs)}: ${message}`);
    }
  }

  const durationMs = now() - started;
  const mark: Record<StepStatus, string> = { passed: '✔', failed: '✘', stopped: '■', 'not run': '·' };
  const summary = results.map((r) => `${r.id} ${mark[r.status]}${r.status === 'passed' || r.status === 'failed' ? ` ${seconds(r.durationMs)}` : ''}`).join(' · ');
  const failed = results.find((r) => r.status === 'failed' || r.status === 'stopped');
  out(failed
    ? `gate ${failed.status === 'stopped' ? 'STOPPED' : 'FAILED'} at ${failed.id} (exit ${code}) in ${seconds(durationMs)} — ${summary}`
    : `gate passed in ${seconds(durationMs)} — ${summary}`);
  return { ok: code === 0, code, results, durationMs };
}
