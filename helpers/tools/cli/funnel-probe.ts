/**
 * funnel-probe — the website funnel journey, standalone (no test runner): for cron, or a one-off
 * check by QA. Drives the funnel as a visitor would, captures the webhooks the page posts, judges
 * them against the spec's schemas, and prints ONE JSON verdict on standard output.
 *
 *   npm run funnel:probe -- --url https://sangletech.com/en/flows/businessX/dfu/xmas-a01 --allow-production
 *   npm run funnel:probe -- --url http://localhost:3005/en/flows/businessX/dfu/xmas-a01 --target production
 *   npm run funnel:probe                       # the fixture site, against the local stack (or a capture stub)
 *
 * Options:
 *   --url <site>          the funnel's entry page. Omitted: the fixture site (fixtures/funnel-site) is
 *                         started on loopback, posting to the local stack when helpers/standins/stack.ts
 *                         provides startLocalStack(), else to a capture-only stub.
 *   --allow-production    required to drive a site that is not on loopback (or FUNNEL_ALLOW_PRODUCTION=true)
 *   --run-id <id>         names the run: the visitor is lengobaosang+<run-id>@gmail.com. Default: a fresh id.
 *   --email <address>     type this address instead (it must pass the recipient guard, SPEC §9)
 *   --driver <name>       puppeteer (default) | playwright
 *   --target <name>       selectors.json target (default: the one whose `match` names the URL's host, else local)
 *   --selectors <file>    extra selector overrides (same shape as a target in fixtures/funnel-site/selectors.json)
 *   --timeout <ms>        per expectation (default 15000)
 *   --help                the usage line on stdout, exit 0 (no verdict)
 *
 * Output: screenshots in reports/funnel-probe/<run-id>/NN-<step>.png; on stdout one line of JSON:
 *   {"ok":true,"url":"…","runId":"…","driver":"puppeteer","target":"local","email":"…",
 *    "steps":[{"name":"sign up","ok":true,"ms":412,"screenshot":"reports/funnel-probe/…/02-sign-up.png"}],
 *    "webhooks":[{"name":"signup","status":200,"valid":true}], "error": "…" (only when not ok)}
 * ok = every step passed, each funnel webhook was posted exactly once with a body valid under the
 * spec's schema and a 2xx answer, and the assessment carries email_1_sent_at.
 *
 * Exit codes: 0 the funnel works; 1 it does not (the verdict says where); 2 usage error or refusal
 * (bad option, production without the opt-in, an address the recipient guard refuses) — nothing
 * was driven. Progress and refusals go to standard error, one line each.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { resolveChromium } from '../../scenarios/funnel/chromium.js';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FUNNEL_WEBHOOKS, newRunId, testIdentityFor } from '../../spec/index.js';
// Module by module rather than scenarios/funnel/index.js: the browser libraries (browsers.js loads
// playwright-core and puppeteer-core, ~1.5 s of CPU) are imported only once there is a funnel to
// drive, so a refusal or a usage error answers without loading them.
import { DRIVER_NAMES, type DriverName } from '../../scenarios/funnel/driver.js';
import { funnelJourney, journeyDataFor, runJourney } from '../../scenarios/funnel/journey.js';
import { assertSiteAllowed, assertTypableEmail } from '../../scenarios/funnel/safety.js';
import { loadOverridesFile, resolveTarget, targetNameForUrl } from '../../scenarios/funnel/selectors.js';
import { judgeWebhooks, type WebhookVerdict } from '../../scenarios/funnel/verify.js';
import { startCaptureStub } from '../../standins/website/capture-stub.js';
import { startFunnelSite } from '../../standins/website/site.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const STACK_MODULE = fileURLToPath(new URL('../../standins/stack.ts', import.meta.url));

export interface ProbeVerdict {
  ok: boolean;
  url: string | null;
  runId: string;
  driver: DriverName;
  target: string | null;
  email: string | null;
  /** What the fixture site posted to, when the probe started it. */
  backend?: 'local-stack' | 'capture-stub';
  steps: { name: string; ok: boolean; ms: number; screenshot?: string }[];
  webhooks: WebhookVerdict[];
  error?: string;
}

class UsageError extends Error {}

const USAGE = 'usage: funnel-probe [--url <site>] [--allow-production] [--run-id <id>] [--email <address>] [--driver puppeteer|playwright] [--target <name>] [--selectors <file>] [--timeout <ms>]';

interface Backend {
  kind: 'local-stack' | 'capture-stub';
  webhooks: { signup: string; assessment: string };
  resend: { url: string; apiKey: string };
  stop(): Promise<void>;
}

/** The local stack when helpers/standins/stack.ts provides it, else a capture-only stub. */
async function startBackend(): Promise<Backend> {
  if (existsSync(STACK_MODULE)) {
    const specifier = '../../standins/stack.js';
    const mod = (await import(specifier)) as { startLocalStack?: (opts?: unknown) => Promise<LocalStackLike> };
    if (typeof mod.startLocalStack === 'function') {
      const stack = await mod.startLocalStack();
      return { kind: 'local-stack', webhooks: { signup: stack.webhooks.signup, assessment: stack.webhooks.assessment }, resend: stackResend(stack), stop: () => stack.stop() };
    }
  }
  const stub = await startCaptureStub();
  return { kind: 'capture-stub', webhooks: stub.webhooks, resend: stub.resend, stop: () => stub.stop() };
}

/** The parts of startLocalStack()'s handle the probe relies on. */
interface LocalStackLike {
  webhooks: { signup: string; assessment: string };
  resend: { url: string; apiKey?: string; token?: string };
  credentials?: { resendApiKey?: string; resend?: { apiKey?: string } };
  stop(): Promise<void>;
}

function stackResend(stack: LocalStackLike): { url: string; apiKey: string } {
  const apiKey = stack.resend.apiKey ?? stack.resend.token ?? stack.credentials?.resendApiKey ?? stack.credentials?.resend?.apiKey;
  if (!apiKey) throw new Error('startLocalStack(): no Resend API key found (resend.apiKey or credentials.resendApiKey)');
  return { url: stack.resend.url, apiKey };
}

function parse(argv: string[]) {
  try {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        url: { type: 'string' },
        'allow-production': { type: 'boolean', default: false },
        'run-id': { type: 'string' },
        email: { type: 'string' },
        driver: { type: 'string', default: 'puppeteer' },
        target: { type: 'string' },
        selectors: { type: 'string' },
        timeout: { type: 'string' },
      },
    });
    if (!DRIVER_NAMES.includes(values.driver as DriverName)) throw new UsageError(`--driver must be ${DRIVER_NAMES.join(' or ')} (got "${values.driver}")`);
    if (values.url !== undefined && !/^https?:\/\/[^/]/.test(values.url)) throw new UsageError(`--url must be an http(s) URL (got "${values.url}")`);
    const timeoutMs = values.timeout === undefined ? 15_000 : Number(values.timeout);
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new UsageError(`--timeout must be a positive number of milliseconds (got "${values.timeout}")`);
    return { ...values, driver: values.driver as DriverName, timeoutMs };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError((error as Error).message);
  }
}

/** CHROMIUM_PATH, when set, must be an executable file (else exit 2 before anything starts). */
export function assertChromiumPathUsable(env: NodeJS.ProcessEnv): void {
  const path = env.CHROMIUM_PATH;
  if (!path) return;
  const choice = resolveChromium(env);
  if (choice.kind === 'missing') throw new Error(choice.message);
  try {
    if (!statSync(path).isFile()) throw new Error('not a file');
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(`CHROMIUM_PATH points at "${path}", which is not an executable file`);
  }
}

export async function probe(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ verdict: ProbeVerdict; exitCode: 0 | 1 | 2 }> {
  const log = (line: string) => process.stderr.write(`funnel-probe: ${line}\n`);
  let args: ReturnType<typeof parse>;
  const runIdFallback = newRunId();
  const refusal = (message: string, partial: Partial<ProbeVerdict> = {}) => ({
    verdict: { ok: false, url: null, runId: runIdFallback, driver: 'puppeteer' as DriverName, target: null, email: null, steps: [], webhooks: [], ...partial, error: message },
    exitCode: 2 as const,
  });
  try {
    args = parse(argv);
  } catch (error) {
    return refusal(`${(error as Error).message} — ${USAGE}`);
  }

  const runId = args['run-id'] ?? runIdFallback;
  const base = { runId, driver: args.driver, url: args.url ?? null };
  // Both guards run before anything is started or driven (issue §5).
  let email: string | null = null;
  let targetName: string | null = null;
  let target: ReturnType<typeof resolveTarget>;
  try {
    email = args.email ?? testIdentityFor(runId);
    assertTypableEmail(email, 'funnel-probe');
    if (!email.includes('@')) throw new Error(`--email "${email}" is not an address`);
    targetName = args.target ?? (args.url ? targetNameForUrl(args.url) : undefined) ?? 'local';
    target = resolveTarget(targetName, { extra: args.selectors ? loadOverridesFile(resolve(args.selectors)) : undefined });
    if (args.url) assertSiteAllowed(args.url, { allowProductionFlag: args['allow-production'], env, targetIsProduction: target.production });
    // A browser that cannot start is a configuration error: say so before the stack starts.
    assertChromiumPathUsable(env);
  } catch (error) {
    return refusal((error as Error).message, { ...base, email, target: targetName });
  }

  const verdict: ProbeVerdict = { ok: false, ...base, target: targetName, email, steps: [], webhooks: [] };
  const cleanups: (() => Promise<void>)[] = [];
  try {
    let url = args.url;
    if (!url) {
      const backend = await startBackend();
      cleanups.unshift(() => backend.stop());
      verdict.backend = backend.kind;
      const site = await startFunnelSite({ webhooks: backend.webhooks, resend: backend.resend });
      cleanups.unshift(() => site.stop());
      url = site.url;
      verdict.url = url;
      log(`fixture site at ${url}, posting to the ${backend.kind}`);
    }
    const screenshotDir = join(ROOT, 'reports', 'funnel-probe', runId.replace(/[^A-Za-z0-9._-]/g, '_'));
    const { openBrowser } = await import('../../scenarios/funnel/browsers.js');
    const session = await openBrowser(args.driver, env);
    cleanups.unshift(() => session.close());
    log(`driving ${url} with ${args.driver} as ${email}`);
    const report = await runJourney(session.driver, funnelJourney(journeyDataFor(email)), {
      url,
      target,
      allowProduction: args['allow-production'],
      env,
      screenshotDir,
      timeoutMs: args.timeoutMs,
    });
    await session.driver.settle(args.timeoutMs);
    const captured = session.driver.captured();
    verdict.steps = report.steps.map((s) => ({ name: s.name, ok: s.ok, ms: s.ms, ...(s.screenshot ? { screenshot: relative(ROOT, s.screenshot) } : {}) }));
    verdict.webhooks = judgeWebhooks(captured);
    const problems: string[] = [];
    if (report.error) problems.push(report.error);
    for (const name of FUNNEL_WEBHOOKS) {
      const posted = captured.filter((w) => w.name === name).length;
      if (posted !== 1 && report.ok) problems.push(`the page posted the ${name} webhook ${posted} times (expected once)`);
    }
    for (const w of verdict.webhooks) {
      if (!w.valid) problems.push(w.error ?? `${w.name} payload invalid`);
      if (w.status === null || w.status < 200 || w.status >= 300) problems.push(`${w.name} webhook answered ${w.status ?? 'nothing'}`);
    }
    const assessment = captured.find((w) => w.name === 'assessment')?.body as Record<string, unknown> | undefined;
    if (assessment && assessment.email_1_sent_at === undefined) problems.push('the assessment webhook carries no email_1_sent_at');
    verdict.ok = problems.length === 0;
    if (problems.length > 0) verdict.error = problems.join('; ');
    return { verdict, exitCode: verdict.ok ? 0 : 1 };
  } catch (error) {
    verdict.error = (error as Error).message.split('\n')[0];
    return { verdict, exitCode: 1 };
  } finally {
    for (const cleanup of cleanups) await cleanup().catch((e: unknown) => log(`clean-up failed: ${(e as Error).message}`));
  }
}

/** The one stderr line of a probe that did not pass (some guards' messages carry the prefix already: never doubled). */
export function failureLine(verdict: ProbeVerdict, exitCode: 0 | 1 | 2): string | null {
  if (exitCode === 0 || !verdict.error) return null;
  return `funnel-probe: ${verdict.error.replace(/^funnel-probe: /, '')}`;
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\nSee the header of helpers/tools/cli/funnel-probe.ts for the options, the verdict and the exit codes.\n`);
    process.exit(0);
  }
  const { verdict, exitCode } = await probe(argv);
  const line = failureLine(verdict, exitCode);
  if (line) process.stderr.write(`${line}\n`);
  process.stdout.write(`${JSON.stringify(verdict)}\n`);
  process.exitCode = exitCode;
}
