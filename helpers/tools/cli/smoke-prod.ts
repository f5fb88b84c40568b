/**
 * npm run smoke:prod -- --production — the nightly production smoke (see helpers/tools/smoke/run.ts).
 *
 *   Kestra: health, version, flow drift (diff shown) and unexpected flows in christmas*;
 *   Notion: four databases reachable, one data source each, schemas = SPEC §7 (per property);
 *   ledger: emails earlier runs expected and that are now due, checked against Resend;
 *   the five webhooks as lengobaosang+<run-id>@gmail.com: executions SUCCESS, contact and tracker
 *   correct, children scheduled per SPEC §2 (recorded in the ledger for the following nights);
 *   --website: the real funnel too (drives https://sangletech.com…, opt-in);
 *   clean-up (helpers/tools/smoke/cleanup.ts): identities whose emails have all fallen due are cleaned
 *   (scheduled executions killed, Notion pages trashed); the run's own schedules are kept alive
 *   for the ledger unless --kill-scheduled. --keep: no clean-up at all.
 *   Alerting: SMOKE_ALERT_WEBHOOK_URL is POSTed {"text"} after SMOKE_ALERT_AFTER (default 2)
 *   consecutive failed runs (--no-alert: this run is not counted).
 *
 * Options:
 *   --production          required: this command talks to production
 *   --run-id <id>         names the run (default smoke-<utc date>-<random>); identity lengobaosang+<id>@gmail.com
 *   --email <address>     use this identity instead (the recipient guard applies; clean-up needs a plus address, else --keep)
 *   --only <groups>       comma-separated: kestra, notion, ledger, webhooks, website, cleanup
 *   --website             also drive the real website funnel
 *   --keep                no clean-up
 *   --kill-scheduled      clean up this run's identity at once (no ledger expectations) — used by the gate
 *   --no-alert            do not count this run for alerting, never alert
 *
 * Files: the ledger (SMOKE_LEDGER_FILE, default reports/smoke-ledger.json), the failure streak
 * (SMOKE_ALERT_STATE_FILE, default reports/smoke-alert-state.json), the report
 * reports/smoke-report.json and one Allure result per check in reports/allure-results (for
 * `npm run report -- --env prod`), secrets redacted.
 *
 * Exit codes: 0 every check passed (warnings allowed); 1 a check failed; 2 usage or configuration
 * error, or a refusal (no --production, an address the recipient guard refuses) — nothing called.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, requireAll, requiredVar } from '../../config/env.js';
import { assertKestraReachable } from '../../config/reachable.js';
import { REPOSITORY_ROOT } from '../../kestra-model/repository-flows.js';
import { opsVar } from '../gate/env.js';
import { redactorFor } from '../../clients/redact.js';
import { createResendReadBack } from '../../clients/resend/read-back.js';
import { scheduledSendsTo, isPlusTestIdentity } from '../smoke/cleanup.js';
import { createKestraAdmin } from '../../clients/kestra/admin.js';
import { notionClient } from '../smoke/notion-schema.js';
import { DEFAULT_ALERT_AFTER, handleAlerting } from '../smoke/alert.js';
import { writeAllureResults } from '../smoke/allure.js';
import { failedChecks, runSmoke, SMOKE_GROUPS, smokeSummary, type SmokeDeps, type SmokeGroup, type WebsiteProbeResult } from '../smoke/run.js';
import { LedgerFileError } from '../smoke/ledger.js';
import { assertAllowedRecipient, FUNNEL_URLS, NOTION_DATABASE_KEYS, testIdentityFor, WEBHOOK_NAMES, type NotionDatabaseKey } from '../../spec/index.js';
import { startRemoteTarget } from '../../targets/remote.js';

export const SMOKE_USAGE =
  'usage: npm run smoke:prod -- --production [--run-id <id>] [--email <address>] [--only kestra,notion,ledger,webhooks,website,cleanup] [--website] [--keep] [--kill-scheduled] [--no-alert]';

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface SmokeCliOptions {
  production: boolean;
  runId: string;
  email: string | null;
  only: Set<SmokeGroup> | null;
  website: boolean;
  keep: boolean;
  killScheduled: boolean;
  alert: boolean;
  help: boolean;
}

export function defaultRunId(now: Date = new Date(), random: () => number = Math.random): string {
  const stamp = now.toISOString().slice(0, 16).replace(/[-:]/g, '').toLowerCase();
  return `smoke-${stamp}-${Math.floor(random() * 36 ** 4).toString(36).padStart(4, '0')}`;
}

export function parseSmokeArgs(argv: readonly string[], now: Date = new Date()): SmokeCliOptions {
  const o: SmokeCliOptions = { production: false, runId: '', email: null, only: null, website: false, keep: false, killScheduled: false, alert: true, help: false };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    const eq = raw.indexOf('=');
    const [arg, inline] = eq > 0 ? [raw.slice(0, eq), raw.slice(eq + 1)] : [raw, undefined];
    const take = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${arg} needs a value — ${SMOKE_USAGE}`);
      return v;
    };
    switch (arg) {
      case '--help': case '-h': o.help = true; break;
      case '--production': o.production = true; break;
      case '--run-id': {
        o.runId = take();
        try {
          testIdentityFor(o.runId);
        } catch (err) {
          throw new UsageError(`--run-id: ${(err as Error).message}`);
        }
        break;
      }
      case '--email': o.email = take(); break;
      case '--only': {
        const groups = take().split(',').map((g) => g.trim()).filter(Boolean);
        const bad = groups.filter((g) => !(SMOKE_GROUPS as readonly string[]).includes(g));
        if (bad.length > 0 || groups.length === 0) throw new UsageError(`--only takes ${SMOKE_GROUPS.join(', ')} (got "${bad.join(',') || 'nothing'}")`);
        o.only = new Set(groups as SmokeGroup[]);
        break;
      }
      case '--website': o.website = true; break;
      case '--keep': o.keep = true; break;
      case '--kill-scheduled': o.killScheduled = true; break;
      case '--no-alert': o.alert = false; break;
      default: throw new UsageError(`unknown argument "${raw}" — ${SMOKE_USAGE}`);
    }
  }
  if (o.keep && o.killScheduled) throw new UsageError('--keep and --kill-scheduled contradict each other');
  if (o.only?.has('website')) o.website = true;
  if (!o.runId) o.runId = defaultRunId(now);
  return o;
}

function fileFrom(env: NodeJS.ProcessEnv, name: 'SMOKE_LEDGER_FILE' | 'SMOKE_ALERT_STATE_FILE', fallback: string): string {
  const value = opsVar(name, env) ?? fallback;
  return isAbsolute(value) ? value : join(REPOSITORY_ROOT, value);
}

const wants = (o: Pick<SmokeCliOptions, 'only'>, g: SmokeGroup) => !o.only || o.only.has(g);

/** Every variable the selected checks need (exit 2 naming all that are missing, before anything is called). */
export function smokeVariables(o: Pick<SmokeCliOptions, 'only'>): string[] {
  const names = ['KESTRA_URL', 'KESTRA_USERNAME', 'KESTRA_PASSWORD'];
  if (wants(o, 'webhooks')) names.push(...WEBHOOK_NAMES.map((w) => `KESTRA_WEBHOOK_KEY_${w.toUpperCase()}`));
  if (wants(o, 'notion') || wants(o, 'webhooks') || wants(o, 'cleanup')) names.push('NOTION_TOKEN', ...NOTION_DATABASE_KEYS.map((k) => `NOTION_${k.toUpperCase()}_DATA_SOURCE_ID`));
  if (wants(o, 'ledger')) names.push('RESEND_API_KEY');
  return names;
}

const apiUrl = (env: NodeJS.ProcessEnv, name: string): { baseUrl?: string } => (env[name] ? { baseUrl: requiredVar(name, env) } : {});

/** Production dependencies, from the environment. */
export async function productionDeps(env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<SmokeDeps> {
  const target = await startRemoteTarget(env);
  const auth = { username: requiredVar('KESTRA_USERNAME', env), password: requiredVar('KESTRA_PASSWORD', env) };
  const admin = createKestraAdmin({ baseUrl: requiredVar('KESTRA_URL', env), auth });
  const token = env.NOTION_TOKEN ? requiredVar('NOTION_TOKEN', env) : undefined;
  const dataSourceIds = token
    ? (Object.fromEntries(NOTION_DATABASE_KEYS.map((k) => [k, requiredVar(`NOTION_${k.toUpperCase()}_DATA_SOURCE_ID`, env)])) as Record<NotionDatabaseKey, string>)
    : undefined;
  const resendKey = env.RESEND_API_KEY ? requiredVar('RESEND_API_KEY', env) : undefined;
  return {
    target,
    admin,
    // NOTION_API_URL / RESEND_API_URL (production by default) let the smoke run offline against stack:local.
    notionSchema: token && dataSourceIds ? { client: notionClient({ token, ...apiUrl(env, 'NOTION_API_URL') }), dataSourceIds } : null,
    resend: resendKey ? createResendReadBack({ apiKey: resendKey, ...apiUrl(env, 'RESEND_API_URL') }) : null,
    websiteProbe: (runId) => probeWebsite(runId, target.kestra, env, log),
    log,
  };
}

/** Drives the real funnel with the funnel probe (a child process), then finds what it scheduled. */
async function probeWebsite(runId: string, kestra: SmokeDeps['target']['kestra'], env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<WebsiteProbeResult> {
  const webRunId = `${runId}-web`.slice(0, 48);
  const identity = testIdentityFor(webRunId);
  assertAllowedRecipient(identity, 'smoke: website identity');
  // What `npm run funnel:probe` runs (helpers/tools/cli-launcher.mjs), without starting npm.
  const args = [join(REPOSITORY_ROOT, 'helpers', 'tools', 'cli-launcher.mjs'), 'funnel-probe', '--url', FUNNEL_URLS.production, '--allow-production', '--run-id', webRunId];
  const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((done, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPOSITORY_ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (c) => done({ code: c, stdout: out }));
  });
  let verdict: { ok?: boolean; error?: string; steps?: { name: string; ok: boolean }[] } = {};
  try {
    verdict = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as typeof verdict;
  } catch {
    /* reported below */
  }
  const lines = [`funnel probe exited ${code}: ${verdict.ok ? 'the funnel works' : (verdict.error ?? 'no verdict')}`, ...(verdict.steps ?? []).map((s) => `${s.ok ? 'ok' : 'FAILED'}: ${s.name}`)];
  // The assessment the page posted schedules 5day #2–#5 for this identity: they join the ledger.
  let sends = await scheduledSendsTo(kestra, identity);
  for (let i = 0; i < 6 && sends.length < 4 && verdict.ok; i++) {
    await new Promise((r) => setTimeout(r, 5_000));
    sends = await scheduledSendsTo(kestra, identity);
  }
  log(`  website identity ${identity}: ${sends.length} scheduled email(s)`);
  return {
    ok: code === 0 && verdict.ok === true,
    identity,
    lines,
    scheduled: sends.map((s) => ({ sequence: s.sequence, emailNumber: s.emailNumber, template: s.template, executionId: s.executionId, dueAt: s.scheduleDate ?? new Date() })),
  };
}

export interface SmokeIo {
  env?: NodeJS.ProcessEnv;
  out?: (line: string) => void;
  err?: (line: string) => void;
  /** Tests inject stand-in dependencies; default: production from the environment. */
  deps?: (env: NodeJS.ProcessEnv, log: (line: string) => void) => Promise<SmokeDeps>;
  /** Where the report goes (default reports/smoke-report.json). */
  reportFile?: string;
  /** Where the Allure results go (default reports/allure-results). */
  allureDir?: string;
}

export async function smokeMain(argv: readonly string[], io: SmokeIo = {}): Promise<number> {
  const env = io.env ?? process.env;
  const out = io.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = io.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  let o: SmokeCliOptions;
  let identity: string;
  let ledgerFile: string;
  let stateFile: string;
  let alertUrl: string | undefined;
  let alertAfter: number;
  try {
    o = parseSmokeArgs(argv);
    if (o.help) {
      out(SMOKE_USAGE);
      return 0;
    }
    identity = o.email ?? testIdentityFor(o.runId);
    // The recipient guard, before anything is called.
    assertAllowedRecipient(identity, o.email ? '--email' : '--run-id');
    if (!o.keep && !isPlusTestIdentity(identity)) throw new UsageError(`clean-up only handles plus-addressed identities (lengobaosang+<tag>@gmail.com); use --keep with --email ${identity}`);
    if (!o.production) throw new UsageError('refusing to run against production without --production');
    if (!io.deps) requireAll(smokeVariables(o), 'smoke:prod', env);
    ledgerFile = fileFrom(env, 'SMOKE_LEDGER_FILE', 'reports/smoke-ledger.json');
    stateFile = fileFrom(env, 'SMOKE_ALERT_STATE_FILE', 'reports/smoke-alert-state.json');
    alertUrl = opsVar('SMOKE_ALERT_WEBHOOK_URL', env);
    alertAfter = Number(opsVar('SMOKE_ALERT_AFTER', env) ?? DEFAULT_ALERT_AFTER);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      err(`smoke:prod: ${error.message}`);
      return 2;
    }
    err(`smoke:prod: ${(error as Error).message.split('\n')[0]}`);
    return 2;
  }

  // This run's results only: the e2e results a local `npm test` left there must not be reported as prod.
  const allureDir = io.allureDir ?? join(REPOSITORY_ROOT, 'reports', 'allure-results');
  rmSync(allureDir, { recursive: true, force: true });

  const log = (line: string) => out(line);
  let deps: SmokeDeps;
  try {
    // Kestra must answer (and take the credentials) before anything else is called: exit 2 in seconds.
    if (!io.deps) await assertKestraReachable(requiredVar('KESTRA_URL', env), { username: requiredVar('KESTRA_USERNAME', env), password: requiredVar('KESTRA_PASSWORD', env) });
    deps = await (io.deps ?? productionDeps)(env, log);
  } catch (error) {
    err(`smoke:prod: ${(error as Error).message.split('\n')[0]}`);
    return error instanceof ConfigError ? 2 : 1;
  }
  const redactor = redactorFor(deps.target.secrets());
  let result;
  try {
    result = await runSmoke(
      { ...deps, log: (line) => log(redactor.text(line)) },
      { runId: o.runId, email: identity, keep: o.keep, killScheduled: o.killScheduled, website: o.website, ...(o.only ? { only: o.only } : {}), ledgerFile },
    );
  } catch (error) {
    if (error instanceof LedgerFileError) {
      err(`smoke:prod: ${error.message}`);
      return 2;
    }
    throw error;
  } finally {
    await deps.target.stop();
  }

  out('');
  out(redactor.text(smokeSummary(result)));
  const reportFile = io.reportFile ?? join(REPOSITORY_ROOT, 'reports', 'smoke-report.json');
  mkdirSync(resolve(reportFile, '..'), { recursive: true });
  writeFileSync(reportFile, `${redactor.text(JSON.stringify(result, null, 2))}\n`);
  writeAllureResults(result, allureDir, redactor);

  if (o.alert) {
    const failed = failedChecks(result);
    const runUrl = env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID ? ` — ${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` : '';
    const alerting = await handleAlerting({
      stateFile, url: alertUrl, after: alertAfter, ok: result.ok, runId: o.runId, at: new Date(),
      text: (state) => `Kestra campaign production smoke failed ${state.consecutiveFailures} runs in a row (latest ${o.runId}): ${failed.join(', ')}${runUrl}`,
    });
    if (alerting.alerted) out(`alert sent after ${alerting.state.consecutiveFailures} consecutive failed runs`);
    else if (alerting.error) err(`smoke:prod: ${alerting.error}`);
    else if (!result.ok) out(`${alerting.state.consecutiveFailures} consecutive failed run(s); alerting after ${alertAfter}${alertUrl ? '' : ' (SMOKE_ALERT_WEBHOOK_URL not set)'}`);
  }
  if (!result.ok) err(`smoke:prod: failed checks: ${failedChecks(result).join(', ')} — see reports/smoke-report.json`);
  return result.ok ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  smokeMain(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`smoke:prod: ${(error as Error).message?.split('\n')[0] ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
