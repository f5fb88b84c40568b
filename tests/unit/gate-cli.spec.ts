/**
 * `npm run gate` (helpers/tools/cli/gate.ts): the plan, the production opt-in, the Dokploy step's
 * failures as one line with exit 1, and --dry-run calling nothing at all.
 * The npm steps (lint, unit, e2e, smoke) are replaced by a recording executor; Dokploy and Kestra
 * are the real stand-ins over HTTP.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '../support/unit-test.js';
import { gateMain, parseGateArgs } from '../../helpers/tools/cli/gate.js';
import { startDokployStandin, type DokployStandin } from '../../helpers/standins/dokploy/index.js';
import { defaultExecutors, stepEnv } from '../../helpers/tools/gate/executors.js';
import { gatePlan } from '../../helpers/tools/gate/plan.js';
import { PRODUCTION_REFUSAL, runGate, type GateExecutors } from '../../helpers/tools/gate/runner.js';
import { repositoryFlows } from '../../helpers/kestra-model/repository-flows.js';
import { startKestraStandin, type KestraStandin } from '../../helpers/standins/kestra/index.js';
import { isolatedEnv } from '../../helpers/config/isolated-env.js';
import { startHttpServer, type RunningServer } from '../../helpers/standins/http/server.js';
import { npmScriptArgs } from '../support/npm-script.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Every variable the gate reads, blank, so the developer's .env cannot leak into a test. */
const BLANK_ENV: NodeJS.ProcessEnv = {
  DOKPLOY_URL: '', DOKPLOY_API_KEY: '', DOKPLOY_COMPOSE_ID: '', GATE_ALLOW_PRODUCTION: '', KESTRA_URL: '', KESTRA_USERNAME: '', KESTRA_PASSWORD: '',
};

interface Harness {
  dokploy: DokployStandin;
  kestra: KestraStandin;
  env: NodeJS.ProcessEnv;
  npmCalls: string[];
  executors: GateExecutors;
  out: string[];
  err: string[];
  io: { env: NodeJS.ProcessEnv; executors: GateExecutors; out: (l: string) => void; err: (l: string) => void };
}

let running: { stop(): Promise<void> }[] = [];
test.afterEach(async () => {
  await Promise.all(running.map((s) => s.stop()));
  running = [];
});

async function harness(options: { dokploy?: Parameters<typeof startDokployStandin>[0]; npmExit?: Record<string, number> } = {}): Promise<Harness> {
  const dokploy = await startDokployStandin(options.dokploy ?? {});
  const kestra = await startKestraStandin({ flows: 'repository' });
  running.push(dokploy, kestra);
  const auth = kestra.auth as { username: string; password: string };
  const env: NodeJS.ProcessEnv = {
    ...BLANK_ENV,
    DOKPLOY_URL: dokploy.url, DOKPLOY_API_KEY: dokploy.apiKey, DOKPLOY_COMPOSE_ID: dokploy.composeId,
    KESTRA_URL: kestra.url, KESTRA_USERNAME: auth.username, KESTRA_PASSWORD: auth.password,
  };
  const npmCalls: string[] = [];
  const real = defaultExecutors(env);
  const executors: GateExecutors = {
    npm: async (script, args) => {
      npmCalls.push([script, ...args].join(' '));
      return options.npmExit?.[script] ?? 0;
    },
    dokploy: real.dokploy,
    flows: real.flows,
  };
  const out: string[] = [];
  const err: string[] = [];
  return { dokploy, kestra, env, npmCalls, executors, out, err, io: { env, executors, out: (l) => out.push(l), err: (l) => err.push(l) } };
}

test('--dry-run (spawned, as npm runs it) prints every step and makes zero requests, even with --production', async () => {
  const requests: string[] = [];
  const trap: RunningServer = await startHttpServer({
    name: 'request trap',
    onCrash: () => {},
    handle: async (req, res) => {
      requests.push(`${req.method} ${req.url}`);
      res.writeHead(500).end();
    },
  });
  running.push(trap);
  const env = isolatedEnv({
    DOKPLOY_URL: trap.url, DOKPLOY_API_KEY: 'dokploy_SECRET_never_printed', DOKPLOY_COMPOSE_ID: 'cmp_kestra_campaign',
    KESTRA_URL: trap.url, KESTRA_USERNAME: 'admin@example.com', KESTRA_PASSWORD: 'Kestra-SECRET-never-printed-1',
  });
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [...npmScriptArgs('gate'), '--dry-run', '--production', '--prune', '--target', 'local'], { cwd: ROOT, env });
    let o = '';
    let e = '';
    child.stdout.on('data', (d: Buffer) => (o += d.toString()));
    child.stderr.on('data', (d: Buffer) => (e += d.toString()));
    child.on('error', reject);
    child.on('close', (c) => resolve({ code: c, stdout: o, stderr: e }));
  });
  expect(code, stderr).toBe(0);
  expect(requests, 'the dry run called nothing').toEqual([]);
  const stepLines = stdout.split('\n').filter((l) => l.startsWith('▶ '));
  expect(stepLines.map((l) => l.split(' ')[2])).toEqual(['lint', 'unit', 'e2e', 'production', 'dokploy', 'flows', 'smoke']);
  expect(stdout).toContain('npm run verify -- --target local');
  expect(stdout).toContain(`POST ${trap.url}/api/compose.deploy {composeId: cmp_kestra_campaign}`);
  expect(stdout).toContain('DELETED one by one (--prune)');
  expect(stdout).toContain('npm run smoke:prod -- --production --kill-scheduled --no-alert');
  expect(stdout).not.toContain('SECRET');
});

test('--dry-run in-process never calls an executor', async () => {
  const refuse = async () => {
    throw new Error('an executor was called during a dry run');
  };
  const out: string[] = [];
  const code = await gateMain(['--dry-run'], { env: { ...BLANK_ENV }, executors: { npm: refuse, dokploy: refuse, flows: refuse }, out: (l) => out.push(l), err: (l) => out.push(l) });
  expect(code).toBe(0);
  expect(out[0]).toBe('gate — dry run: 7 steps, nothing is called');
  expect(out.join('\n')).toContain('NOT given: the gate stops here with exit 2');
});

test('without --production the gate runs lint, unit and e2e, then stops before Dokploy with one line and exit 2', async () => {
  const h = await harness();
  const code = await gateMain([], h.io);
  expect(code).toBe(2);
  expect(h.npmCalls).toEqual(['lint', 'test:unit', 'verify --target container']);
  expect(h.dokploy.requests(), 'Dokploy never called').toEqual([]);
  expect(h.err).toEqual([`gate: production: ${PRODUCTION_REFUSAL}`]);
  expect(h.out.at(-1)).toMatch(/^gate STOPPED at production \(exit 2\)/);
});

test('with --production: Dokploy deploys, the flows are deployed, the smoke runs — exit 0, ▶ lines with timings', async () => {
  const h = await harness({ dokploy: { runningPolls: 1 } });
  const code = await gateMain(['--production', '--target', 'local', '--poll-interval', '10'], h.io);
  expect(code, h.err.join('\n')).toBe(0);
  expect(h.npmCalls).toEqual(['lint', 'test:unit', 'verify --target local', 'smoke:prod --production --kill-scheduled --no-alert']);
  expect(h.dokploy.requests().filter((r) => r.method === 'POST').map((r) => r.path)).toEqual(['/api/compose.deploy']);
  expect(h.out.filter((l) => l.startsWith('▶ ')).map((l) => l.split(' ')[1])).toEqual(['lint', 'unit', 'e2e', 'production', 'dokploy', 'flows', 'smoke']);
  expect(h.out.filter((l) => /^✔ \S+ passed in \d+\.\d s$/.test(l))).toHaveLength(7);
  expect(h.out).toContain('    deployment dpl_standin_0001: done');
  expect(h.out.join('\n')).toContain('19 flows deployed, 0 deleted, 0 unexpected left in place');
  expect(h.out.at(-1)).toMatch(/^gate passed in /);
});

test('GATE_ALLOW_PRODUCTION=true is the same opt-in as --production', () => {
  expect(parseGateArgs([], { GATE_ALLOW_PRODUCTION: 'true' }).production).toBe(true);
  expect(parseGateArgs([], { GATE_ALLOW_PRODUCTION: '' }).production).toBe(false);
  expect(() => parseGateArgs([], { GATE_ALLOW_PRODUCTION: 'yes' })).toThrow('GATE_ALLOW_PRODUCTION must be true or false (got "yes")');
});

test('a Dokploy deployment ending in error: one readable line, exit 1, flows and smoke not run', async () => {
  const h = await harness({ dokploy: { outcome: 'error', errorMessage: 'image kestra/kestra:v1.3.0 not found' } });
  const code = await gateMain(['--production', '--poll-interval', '10'], h.io);
  expect(code).toBe(1);
  expect(h.err).toEqual([`gate: dokploy: Dokploy deployment dpl_standin_0001 of compose ${h.dokploy.composeId} ended with status "error" (harness gate): image kestra/kestra:v1.3.0 not found`]);
  expect(h.npmCalls).not.toContain('smoke:prod --production --kill-scheduled --no-alert');
  expect(h.out.at(-1)).toMatch(/^gate FAILED at dokploy \(exit 1\) in .* flows · · smoke ·$/);
});

test('a Dokploy deployment that never finishes: timeout line, exit 1', async () => {
  const h = await harness({ dokploy: { outcome: 'hang' } });
  const code = await gateMain(['--production', '--poll-interval', '10', '--deploy-timeout', '1'], h.io);
  expect(code).toBe(1);
  expect(h.err).toEqual([`gate: dokploy: Dokploy deployment dpl_standin_0001 of compose ${h.dokploy.composeId} still "running" after 1 s — timed out`]);
});

test('production configuration is checked before anything runs: a missing key is exit 2 naming it', async () => {
  const h = await harness();
  const code = await gateMain(['--production'], { ...h.io, env: { ...h.env, DOKPLOY_API_KEY: '' } });
  expect(code).toBe(2);
  expect(h.npmCalls, 'not even lint ran').toEqual([]);
  expect(h.err).toHaveLength(1);
  expect(h.err[0]).toBe('gate: gate --production needs DOKPLOY_API_KEY — not set; see .env.example');
  // A dry run calls nothing, but checks the same configuration: every missing variable in one line.
  const dryErr: string[] = [];
  expect(await gateMain(['--dry-run', '--production'], { env: { ...BLANK_ENV }, executors: h.executors, out: () => {}, err: (l) => dryErr.push(l) })).toBe(2);
  expect(dryErr).toEqual(['gate: gate --production needs DOKPLOY_URL, DOKPLOY_API_KEY, DOKPLOY_COMPOSE_ID, KESTRA_URL, KESTRA_USERNAME, KESTRA_PASSWORD — not set; see .env.example']);
  expect(h.npmCalls).toEqual([]);
  // --skip-deploy needs no Dokploy variables at all.
  const skip = await gateMain(['--production', '--skip-deploy', '--skip-smoke'], { ...h.io, env: { ...h.env, DOKPLOY_URL: '', DOKPLOY_API_KEY: '', DOKPLOY_COMPOSE_ID: '' } });
  expect(skip).toBe(0);
  expect(h.dokploy.requests()).toEqual([]);
});

test('a failing step stops the gate: exit 1, the later steps are not run', async () => {
  const h = await harness({ npmExit: { 'test:unit': 1 } });
  const code = await gateMain(['--production'], h.io);
  expect(code).toBe(1);
  expect(h.npmCalls).toEqual(['lint', 'test:unit']);
  expect(h.err).toEqual(['gate: unit: npm run test:unit exited with code 1']);
  expect(h.dokploy.requests()).toEqual([]);
});

test('arguments: target, timeouts, and one usage line for anything else', async () => {
  expect(parseGateArgs(['--target=remote', '--deploy-timeout', '60', '--prune', '--skip-smoke'], {})).toMatchObject({
    target: 'remote', deployTimeoutMs: 60_000, prune: true, skipSmoke: true, production: false, dryRun: false,
  });
  expect(() => parseGateArgs(['--target', 'moon'], {})).toThrow('--target must be one of local, container, remote (got "moon")');
  expect(() => parseGateArgs(['--deploy-timeout', 'soon'], {})).toThrow('--deploy-timeout must be a number of seconds (got "soon")');
  const err: string[] = [];
  expect(await gateMain(['--fast'], { env: { ...BLANK_ENV }, err: (l) => err.push(l), out: () => {} })).toBe(2);
  expect(err).toEqual(['gate: unknown argument "--fast" — usage: npm run gate [-- --target local|container|remote] [--production] [--prune] [--skip-deploy] [--skip-smoke] [--deploy-timeout <seconds>] [--dry-run]']);
});

test('the plan is data: --skip-deploy drops the Dokploy step, the steps carry no secret', async () => {
  const plan = gatePlan(
    { target: 'container', production: true, prune: false, skipDeploy: true, skipSmoke: false, dryRun: false, deployTimeoutMs: 1000, pollIntervalMs: 10 },
    { dokployUrl: 'https://dokploy.example.com', composeId: 'cmp_1', kestraUrl: 'https://kestra.galatek.dev' },
    repositoryFlows(),
  );
  expect(plan.map((s) => s.id)).toEqual(['lint', 'unit', 'e2e', 'production', 'flows', 'smoke']);
  expect(JSON.stringify(plan)).not.toMatch(/password|api[_-]?key|token/i);
  const outcome = await runGate(plan.slice(0, 1), { dryRun: false, out: () => {}, executors: { npm: async () => 2, dokploy: async () => {}, flows: async () => {} } });
  expect(outcome.code, 'a step exiting 2 (usage/config) keeps exit 2').toBe(2);
});

test('lint, unit and e2e steps run without the production credentials; the smoke (and e2e on remote) get them', () => {
  const env = { PATH: '/usr/bin', KESTRA_URL: 'https://kestra.galatek.dev', KESTRA_PASSWORD: 'pw', KESTRA_WEBHOOK_KEY_SIGNUP: 'wk', NOTION_TOKEN: 'ntn', RESEND_API_KEY: 're', DOKPLOY_API_KEY: 'dk', DOKPLOY_URL: 'https://d' };
  for (const [script, args] of [['lint', []], ['test:unit', []], ['verify', ['--target', 'container']]] as const) {
    expect(stepEnv(script, args, env), script).toEqual({ PATH: '/usr/bin', KESTRA_URL: '', KESTRA_PASSWORD: '', KESTRA_WEBHOOK_KEY_SIGNUP: '', NOTION_TOKEN: '', RESEND_API_KEY: '', DOKPLOY_API_KEY: '', DOKPLOY_URL: 'https://d' });
  }
  expect(stepEnv('verify', ['--target', 'remote'], env)).toBe(env);
  expect(stepEnv('smoke:prod', ['--production'], env)).toBe(env);
});
