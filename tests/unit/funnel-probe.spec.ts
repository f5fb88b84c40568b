/**
 * The standalone probe (`npm run funnel:probe`), run as QA or cron would: a child process, one
 * JSON verdict on stdout, exit 0 (funnel works) / 1 (it does not) / 2 (usage error or refusal).
 * The command-line contract (one JSON line, exit code, one stderr line) is proved by spawning it
 * once for success and once for a refusal (each spawn costs ~1.4 s of CPU before it does anything);
 * the other verdicts come from the same `probe()` called in-process, which is what the command
 * prints and maps to its exit code.
 */
import { test, expect } from '../support/unit-test.js';
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCaptureStub, startFunnelSite } from '../../helpers/scenarios/funnel/index.js';
import { failureLine, probe } from '../../helpers/tools/cli/funnel-probe.js';
import { FUNNEL_URLS } from '../../helpers/spec/index.js';
import { isolatedEnv } from '../../helpers/config/isolated-env.js';
import { npmScriptArgs } from '../support/npm-script.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NO_OPT_IN = { FUNNEL_ALLOW_PRODUCTION: '' };

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  verdict: Record<string, unknown>;
}

function runProbe(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...npmScriptArgs('funnel:probe'), ...args], { cwd: ROOT, env: isolatedEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const lines = stdout.trim().split('\n');
      let verdict: Record<string, unknown> = {};
      try {
        verdict = JSON.parse(lines.at(-1) ?? '') as Record<string, unknown>;
      } catch {
        /* asserted by the caller */
      }
      resolve({ code, stdout, stderr, verdict });
    });
  });
}

// Each run starts the CLI and a Chromium: allow for a loaded CI machine.
test.describe.configure({ mode: 'parallel', timeout: 60_000 });

test('against the fixture site: exit 0, one JSON line, a screenshot per step, both webhooks valid', async () => {
  const stub = await startCaptureStub();
  const site = await startFunnelSite({ webhooks: stub.webhooks, resend: stub.resend });
  const runId = `unit-probe-${Date.now().toString(36)}`;
  try {
    const run = await runProbe(['--url', site.url, '--run-id', runId, '--driver', 'puppeteer']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim().split('\n'), 'stdout is exactly one JSON line').toHaveLength(1);
    expect(run.verdict).toMatchObject({ ok: true, url: site.url, runId, driver: 'puppeteer', target: 'local', email: `lengobaosang+${runId}@gmail.com` });
    expect(run.verdict.error).toBeUndefined();
    const steps = run.verdict.steps as { name: string; ok: boolean; ms: number; screenshot: string }[];
    expect(steps.map((s) => s.name)).toEqual(['open the funnel', 'sign up', 'answer the assessment', 'complete the assessment']);
    for (const step of steps) {
      expect(step.ok).toBe(true);
      expect(step.ms).toBeGreaterThanOrEqual(0);
      expect(step.screenshot).toMatch(new RegExp(`^reports/funnel-probe/${runId}/0\\d-[a-z-]+\\.png$`));
      expect(existsSync(join(ROOT, step.screenshot)), step.screenshot).toBe(true);
    }
    expect(run.verdict.webhooks).toEqual([
      { name: 'signup', status: 200, valid: true },
      { name: 'assessment', status: 200, valid: true },
    ]);
    expect(stub.received().map((r) => r.name)).toEqual(['signup', 'assessment']);
  } finally {
    await site.stop();
    await stub.stop();
    rmSync(join(ROOT, 'reports', 'funnel-probe', runId), { recursive: true, force: true });
  }
});

test('a funnel that breaks: exit 1, the verdict names the failing step', async () => {
  // in-process (the exit-0 spawn above proves how the command prints and exits with probe()'s answer)
  const stub = await startCaptureStub();
  const runId = `unit-probe-broken-${Date.now().toString(36)}`;
  // Webhooks pointing at a closed port: the page's signup request fails, the assessment never shows.
  const site = await startFunnelSite({ webhooks: { signup: 'http://127.0.0.1:9/api/v1/main/executions/webhook/christmas.handlers/signup-handler/k', assessment: stub.webhooks.assessment }, resend: stub.resend });
  try {
    const run = await probe(['--url', site.url, '--run-id', runId, '--driver', 'playwright', '--timeout', '1500'], { ...process.env, ...NO_OPT_IN });
    expect(run.exitCode, run.verdict.error).toBe(1);
    expect(run.verdict.ok).toBe(false);
    expect(String(run.verdict.error)).toContain('step "sign up"');
    // …and says so in one line on stderr, not only in the JSON.
    expect(failureLine(run.verdict, run.exitCode)).toMatch(/^funnel-probe: (?!funnel-probe).*step "sign up"/);
    const steps = run.verdict.steps as { name: string; ok: boolean }[];
    expect(steps.map((s) => [s.name, s.ok])).toEqual([['open the funnel', true], ['sign up', false]]);
  } finally {
    await site.stop();
    await stub.stop();
    rmSync(join(ROOT, 'reports', 'funnel-probe', runId), { recursive: true, force: true });
  }
});

test('the production website without the opt-in: exit 2, one refusal line, nothing driven', async () => {
  const run = await runProbe(['--url', FUNNEL_URLS.production, '--run-id', 'unit-refused']);
  expect(run.code).toBe(2);
  expect(run.verdict).toMatchObject({ ok: false, url: FUNNEL_URLS.production, target: 'production', steps: [], webhooks: [] });
  expect(String(run.verdict.error)).toMatch(/refusing to drive .* --allow-production or set FUNNEL_ALLOW_PRODUCTION=true/);
  expect(run.stderr.split('\n').filter((l) => l.startsWith('funnel-probe:'))).toHaveLength(1);
  expect(existsSync(join(ROOT, 'reports', 'funnel-probe', 'unit-refused'))).toBe(false);
});

test('usage errors and a refused address: exit 2 with a JSON verdict', async () => {
  // in-process: the refusal spawn above proves how an exit-2 verdict leaves the command
  const env = { ...process.env, ...NO_OPT_IN };
  const runs = await Promise.all([
    probe(['--driver', 'selenium'], env),
    probe(['--url', 'ftp://example.org'], env),
    probe(['--no-such-flag'], env),
    probe(['--email', 'someone@example.com', '--url', 'http://127.0.0.1:9/'], env),
    probe(['--timeout', 'soon'], env),
  ]);
  for (const run of runs) {
    expect(run.exitCode, run.verdict.error).toBe(2);
    expect(run.verdict.ok).toBe(false);
  }
  expect(String(runs[0]!.verdict.error)).toContain('--driver must be playwright or puppeteer');
  expect(String(runs[1]!.verdict.error)).toContain('--url must be an http(s) URL');
  expect(String(runs[2]!.verdict.error)).toMatch(/no-such-flag.*usage: funnel-probe/);
  expect(String(runs[3]!.verdict.error)).toContain('refusing recipient "someone@example.com"');
  expect(String(runs[4]!.verdict.error)).toContain('--timeout must be a positive number');
  // One prefix, never "funnel-probe: funnel-probe: …".
  for (const run of runs) expect(failureLine(run.verdict, run.exitCode)).toMatch(/^funnel-probe: (?!funnel-probe: )\S/);
});

/** probe() in-process, with what the command would print on stderr: its progress lines, then failureLine(). */
async function probeWithStderr(argv: string[], env: NodeJS.ProcessEnv): Promise<{ run: Awaited<ReturnType<typeof probe>>; stderr: string[] }> {
  const written: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array) => written.push(String(chunk)) > 0) as typeof process.stderr.write;
  try {
    const run = await probe(argv, env);
    const line = failureLine(run.verdict, run.exitCode);
    return { run, stderr: [...written.join('').split('\n').filter(Boolean), ...(line ? [line] : [])] };
  } finally {
    process.stderr.write = write;
  }
}

test('a CHROMIUM_PATH that does not exist or cannot run: exit 2 with one line, before anything starts', async () => {
  // in-process: the refusal spawn above proves how an exit-2 verdict and its one line leave the command
  const runs = [
    await probeWithStderr(['--run-id', 'unit-no-chromium'], isolatedEnv({ CHROMIUM_PATH: '/nonexistent/chromium' })),
    await probeWithStderr(['--run-id', 'unit-dir-chromium'], isolatedEnv({ CHROMIUM_PATH: ROOT })),
  ];
  expect(runs.map((r) => r.run.exitCode)).toEqual([2, 2]);
  expect(runs[0]!.stderr).toEqual(['funnel-probe: CHROMIUM_PATH points at "/nonexistent/chromium", which does not exist']);
  expect(runs[1]!.stderr).toEqual([`funnel-probe: CHROMIUM_PATH points at "${ROOT}", which is not an executable file`]);
  for (const { run } of runs) expect(run.verdict).toMatchObject({ ok: false, steps: [], webhooks: [] });
  expect(runs.every(({ run }) => !('backend' in run.verdict)), 'no stack was started').toBe(true);
});
