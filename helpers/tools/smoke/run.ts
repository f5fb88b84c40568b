/**
 * The production smoke, as a function of its dependencies (so it runs against the embedded
 * stand-in stack in unit tests exactly as against production in `npm run smoke:prod`).
 *
 * Checks, in order (each passed | warning | failed | skipped; any failed → the run failed):
 *   kestra.health    the server answers (management /health, else the API)
 *   kestra.version   the version it runs
 *   kestra.drift     every repository flow deployed with identical source (diff when not);
 *                    nothing unexpected in the campaign namespaces
 *   notion.schema    four databases reachable, one data source each, properties as SPEC §7
 *   ledger           emails that earlier runs expected and that are now due, checked against Resend
 *   webhook.<name>   the five webhooks as the run's plus-addressed identity (helpers/tools/smoke/webhooks.ts)
 *   website          the real funnel (opt-in: --website)
 *   cleanup          see helpers/tools/smoke/cleanup.ts for what is cleaned when (skipped with --keep)
 */
import type { Client } from '@notionhq/client';
import { repositoryFlows, type RepositoryFlow } from '../../kestra-model/repository-flows.js';
import { assertAllowedRecipient, WEBHOOK_NAMES, type NotionDatabaseKey, type WebhookName } from '../../spec/index.js';
import type { ResendReadBack } from '../../clients/resend/read-back.js';
import type { Target } from '../../targets/types.js';
import { cleanUpIdentity, cleanupLine } from './cleanup.js';
import { checkFlowDrift, flowDriftLines, hasDrift } from './flow-drift.js';
import type { KestraAdmin } from '../../clients/kestra/admin.js';
import {
  appendRun, countByStatus, DEFAULT_GRACE_MS, describeEntry, expectationsFor, markCleaned, pruneLedger, readLedger, runsDueForCleanup,
  writeLedger, type Ledger, type ScheduledExpectation,
} from './ledger.js';
import { checkDueEntries } from './ledger-check.js';
import { checkNotionSchemas } from './notion-schema.js';
import { errorLine, smokeWebhook } from './webhooks.js';

export const SMOKE_GROUPS = ['kestra', 'notion', 'ledger', 'webhooks', 'website', 'cleanup'] as const;
export type SmokeGroup = (typeof SMOKE_GROUPS)[number];
export type CheckStatus = 'passed' | 'warning' | 'failed' | 'skipped';

export interface SmokeCheck {
  id: string;
  group: SmokeGroup;
  title: string;
  status: CheckStatus;
  details: string[];
  durationMs: number;
}

export interface WebsiteProbeResult {
  ok: boolean;
  /** The address the probe typed (cleaned up and tracked like the run's own). */
  identity: string;
  lines: string[];
  /** Emails the funnel's webhooks scheduled for that identity (ledger expectations). */
  scheduled?: ScheduledExpectation[];
}

export interface SmokeDeps {
  target: Target;
  admin: KestraAdmin;
  /** Notion schema check; null when Notion is not configured (the check is skipped). */
  notionSchema: { client: Client; dataSourceIds: Readonly<Record<NotionDatabaseKey, string>> } | null;
  /** Resend read-back for the ledger; null when not configured (the ledger check is skipped). */
  resend: ResendReadBack | null;
  flows?: readonly RepositoryFlow[];
  /** Drives the real website funnel (only called with `website: true`). */
  websiteProbe?: (runId: string) => Promise<WebsiteProbeResult>;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export interface SmokeOptions {
  runId: string;
  /** The run's test identity (guarded: SPEC §9). */
  email: string;
  /** Skip every clean-up. */
  keep?: boolean;
  /** Kill this run's scheduled emails and trash its pages at once; record no expectations. */
  killScheduled?: boolean;
  website?: boolean;
  /** Only these groups (default: all but website, which is opt-in). */
  only?: ReadonlySet<SmokeGroup>;
  /** Ledger file; null: no ledger (nothing checked, nothing recorded). */
  ledgerFile: string | null;
  graceMs?: number;
  scheduleToleranceMs?: number;
  webhooks?: readonly WebhookName[];
}

export interface SmokeResult {
  runId: string;
  email: string;
  target: string;
  startedAt: string;
  durationMs: number;
  ok: boolean;
  checks: SmokeCheck[];
  ledger: { file: string; due: number; verified: number; failed: number; missing: number; stillPending: number; added: number; pendingTotal: number } | null;
}

const ICON: Record<CheckStatus, string> = { passed: '✔', warning: '!', failed: '✘', skipped: '-' };

export async function runSmoke(deps: SmokeDeps, options: SmokeOptions): Promise<SmokeResult> {
  // The recipient guard first: nothing is called for an address outside SPEC §9.
  assertAllowedRecipient(options.email, 'smoke');
  const log = deps.log ?? (() => {});
  const { target } = deps;
  const now = () => target.clock.now();
  const startedAt = now();
  const wallStart = Date.now();
  const wanted = (g: SmokeGroup) => (g === 'website' ? options.website === true : true) && (!options.only || options.only.has(g));
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  const checks: SmokeCheck[] = [];

  async function run(id: string, group: SmokeGroup, title: string, body: () => Promise<{ status: CheckStatus; details: string[] }>): Promise<SmokeCheck> {
    const t0 = Date.now();
    log(`▶ ${id} — ${title}`);
    let result: { status: CheckStatus; details: string[] };
    try {
      result = await body();
    } catch (err) {
      result = { status: 'failed', details: [errorLine(err)] };
    }
    const check: SmokeCheck = { id, group, title, ...result, durationMs: Date.now() - t0 };
    checks.push(check);
    log(`  ${ICON[check.status]} ${id} ${check.status} (${(check.durationMs / 1000).toFixed(1)} s)${check.details[0] && check.status !== 'passed' ? `: ${check.details[0]}` : ''}`);
    return check;
  }
  const skip = (id: string, group: SmokeGroup, title: string, why: string) => {
    checks.push({ id, group, title, status: 'skipped', details: [why], durationMs: 0 });
    log(`  - ${id} skipped: ${why}`);
  };

  let ledger: Ledger | null = options.ledgerFile ? readLedger(options.ledgerFile) : null;
  const saveLedger = () => {
    if (ledger && options.ledgerFile) writeLedger(options.ledgerFile, ledger);
  };
  const ledgerStats = { due: 0, verified: 0, failed: 0, missing: 0, stillPending: 0, added: 0 };

  // ---------------------------------------------------------------- Kestra
  // Once Kestra proved unreachable, every check that needs it is skipped, saying why.
  let kestraDown: string | null = null;
  if (wanted('kestra')) {
    const health = await run('kestra.health', 'kestra', 'Kestra is up', async () => {
      const h = await target.kestra.health();
      return { status: h.ok ? 'passed' : 'failed', details: [`${h.status} (${h.source})${h.error ? ` — ${h.error}` : ''}`] };
    });
    if (health.status === 'failed') kestraDown = `Kestra is not up (kestra.health: ${health.details[0] ?? 'failed'})`;
  }
  if (kestraDown) {
    for (const [id, group, title] of [
      ['kestra.version', 'kestra', 'Kestra version'], ['kestra.drift', 'kestra', 'deployed flows equal the repository'],
    ] as const) if (wanted(group)) skip(id, group, title, kestraDown);
  } else if (wanted('kestra')) {
    await run('kestra.version', 'kestra', 'Kestra version', async () => {
      const v = await target.kestra.version();
      return { status: 'passed', details: [`Kestra ${v.version}${v.edition ? ` ${v.edition}` : ''}${v.commitId ? ` (${v.commitId})` : ''}`] };
    });
    await run('kestra.drift', 'kestra', 'deployed flows equal the repository', async () => {
      const drift = await checkFlowDrift(target.kestra, deps.admin, deps.flows ?? repositoryFlows());
      return { status: hasDrift(drift) ? 'failed' : 'passed', details: flowDriftLines(drift) };
    });
  }

  // ---------------------------------------------------------------- Notion
  if (wanted('notion')) {
    if (!deps.notionSchema) skip('notion.schema', 'notion', 'Notion schemas equal SPEC §7', 'Notion is not configured (NOTION_TOKEN)');
    else {
      const { client, dataSourceIds } = deps.notionSchema;
      await run('notion.schema', 'notion', 'Notion schemas equal SPEC §7', async () => {
        const report = await checkNotionSchemas(client, dataSourceIds);
        const errors = report.findings.filter((f) => f.severity === 'error');
        const warnings = report.findings.filter((f) => f.severity === 'warning');
        const reachable = report.databases.filter((d) => d.properties !== null).map((d) => `${d.title} (${d.properties} properties)`);
        return {
          status: errors.length > 0 ? 'failed' : warnings.length > 0 ? 'warning' : 'passed',
          details: [...errors.map((f) => f.message), ...warnings.map((f) => `warning: ${f.message}`), `reachable: ${reachable.join(', ') || 'none'}`],
        };
      });
    }
  }

  // ---------------------------------------------------------------- ledger (emails of earlier runs)
  if (wanted('ledger')) {
    if (!ledger) skip('ledger', 'ledger', 'emails due from earlier runs were delivered', 'no ledger file');
    else if (!deps.resend) skip('ledger', 'ledger', 'emails due from earlier runs were delivered', 'Resend read-back is not configured (RESEND_API_KEY)');
    else {
      const resend = deps.resend;
      await run('ledger', 'ledger', 'emails due from earlier runs were delivered', async () => {
        const { ledger: next, checked } = await checkDueEntries(ledger!, { kestra: target.kestra, resend, notion: target.notion }, now(), { graceMs });
        ledger = next;
        saveLedger();
        const counts = countByStatus(checked);
        ledgerStats.due = checked.length;
        ledgerStats.verified = counts.verified;
        ledgerStats.failed = counts.failed;
        ledgerStats.missing = counts.missing;
        ledgerStats.stillPending = counts.pending;
        const bad = checked.filter((e) => e.status === 'failed' || e.status === 'missing');
        const unchecked = checked.filter((e) => e.status === 'pending');
        const details = [
          `${checked.length} due: ${counts.verified} verified, ${counts.failed} failed, ${counts.missing} missing, ${counts.pending} still pending`,
          ...bad.map((e) => `${e.status.toUpperCase()}: ${describeEntry(e)} — ${e.detail ?? ''}`),
          ...unchecked.map((e) => `pending: ${describeEntry(e)} — ${e.detail ?? ''}`),
        ];
        return { status: bad.length > 0 ? 'failed' : unchecked.length > 0 ? 'warning' : 'passed', details };
      });
    }
  }

  // ---------------------------------------------------------------- webhooks as the test identity
  const scheduled: ScheduledExpectation[] = [];
  const identities: string[] = [];
  if (wanted('webhooks') && kestraDown) for (const webhook of options.webhooks ?? WEBHOOK_NAMES) skip(`webhook.${webhook}`, 'webhooks', `${webhook} webhook as ${options.email}`, kestraDown);
  else if (wanted('webhooks')) {
    identities.push(options.email);
    for (const webhook of options.webhooks ?? WEBHOOK_NAMES) {
      await run(`webhook.${webhook}`, 'webhooks', `${webhook} webhook as ${options.email}`, async () => {
        const outcome = await smokeWebhook(target, webhook, options.email, options.scheduleToleranceMs !== undefined ? { toleranceMs: options.scheduleToleranceMs } : {});
        scheduled.push(...outcome.scheduled);
        return { status: outcome.ok ? 'passed' : 'failed', details: outcome.ok ? outcome.lines : [outcome.error ?? 'failed', ...outcome.lines] };
      });
    }
  }

  // ---------------------------------------------------------------- website (opt-in)
  const websiteScheduled: { identity: string; sends: ScheduledExpectation[] } = { identity: '', sends: [] };
  if (wanted('website')) {
    if (kestraDown) skip('website', 'website', 'the real website funnel', kestraDown);
    else if (!deps.websiteProbe) skip('website', 'website', 'the real website funnel', 'no website probe available');
    else {
      const probe = deps.websiteProbe;
      await run('website', 'website', 'the real website funnel', async () => {
        const result = await probe(options.runId);
        assertAllowedRecipient(result.identity, 'smoke: website identity');
        identities.push(result.identity);
        websiteScheduled.identity = result.identity;
        websiteScheduled.sends = result.scheduled ?? [];
        return { status: result.ok ? 'passed' : 'failed', details: result.lines };
      });
    }
  }

  // ---------------------------------------------------------------- record expectations
  if (ledger && identities.length > 0) {
    const entries = options.killScheduled ? [] : expectationsFor(options.runId, options.email, scheduled);
    ledgerStats.added = entries.length;
    ledger = appendRun(ledger, { runId: options.runId, email: options.email, startedAt }, entries, graceMs);
    if (websiteScheduled.identity) {
      const webEntries = options.killScheduled ? [] : expectationsFor(options.runId, websiteScheduled.identity, websiteScheduled.sends);
      ledgerStats.added += webEntries.length;
      ledger = appendRun(ledger, { runId: options.runId, email: websiteScheduled.identity, startedAt }, webEntries, graceMs);
    }
    saveLedger();
  }

  // ---------------------------------------------------------------- clean-up
  if (wanted('cleanup')) {
    if (kestraDown) skip('cleanup', 'cleanup', 'clean-up of test data', kestraDown);
    else if (options.keep) skip('cleanup', 'cleanup', 'clean-up of test data', '--keep: nothing cleaned up');
    else {
      await run('cleanup', 'cleanup', 'clean-up of test data', async () => {
        const details: string[] = [];
        const problems: string[] = [];
        const cleanupDeps = { kestra: target.kestra, admin: deps.admin, notion: target.notion };
        const cleaned = new Set<string>();
        const clean = async (email: string, why: string) => {
          if (cleaned.has(email)) return;
          cleaned.add(email);
          try {
            details.push(`${why}: ${cleanupLine(await cleanUpIdentity(email, cleanupDeps))}`);
            return true;
          } catch (err) {
            problems.push(`${email}: ${errorLine(err)}`);
            return false;
          }
        };
        if (options.killScheduled) {
          for (const email of identities) {
            if (await clean(email, 'this run (--kill-scheduled)') && ledger) ledger = markCleaned(ledger, options.runId, email, now());
          }
        }
        if (ledger) {
          for (const due of runsDueForCleanup(ledger, now())) {
            if (await clean(due.email, `run ${due.runId} (its schedules ended by ${due.keepUntil})`)) ledger = markCleaned(ledger, due.runId, due.email, now());
          }
          ledger = pruneLedger(ledger, now());
          saveLedger();
          const waiting = ledger.runs.filter((r) => !r.cleanedAt);
          if (waiting.length > 0) details.push(`kept alive for the ledger: ${waiting.map((r) => `${r.email} until ${r.keepUntil}`).join(', ')}`);
        }
        if (details.length === 0 && problems.length === 0) details.push('nothing to clean up');
        return { status: problems.length > 0 ? 'failed' : 'passed', details: [...problems, ...details] };
      });
    }
  }

  const pendingTotal = ledger ? ledger.entries.filter((e) => e.status === 'pending').length : 0;
  return {
    runId: options.runId,
    email: options.email,
    target: target.name,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - wallStart,
    ok: checks.every((c) => c.status !== 'failed'),
    checks,
    ledger: ledger && options.ledgerFile ? { file: options.ledgerFile, ...ledgerStats, pendingTotal } : null,
  };
}

/** The human summary: one line per check, details indented under the ones that did not pass. */
export function smokeSummary(result: SmokeResult): string {
  const width = Math.max(...result.checks.map((c) => c.id.length), 5);
  const lines = result.checks.map((c) => {
    const head = `${ICON[c.status]} ${c.id.padEnd(width)}  ${c.status.padEnd(7)}  ${(c.durationMs / 1000).toFixed(1).padStart(5)} s  ${c.status === 'passed' ? (c.details[0] ?? '') : ''}`.trimEnd();
    const more = c.status === 'passed' ? [] : c.details.map((d) => `    ${d}`);
    return [head, ...more].join('\n');
  });
  const verdict = `smoke ${result.ok ? 'passed' : 'FAILED'} on ${result.target} as ${result.email} (run ${result.runId}) in ${(result.durationMs / 1000).toFixed(1)} s`;
  const ledger = result.ledger
    ? `ledger ${result.ledger.file}: ${result.ledger.due} due checked (${result.ledger.verified} verified, ${result.ledger.failed} failed, ${result.ledger.missing} missing), ${result.ledger.added} added, ${result.ledger.pendingTotal} pending`
    : 'no ledger';
  return [...lines, '', verdict, ledger].join('\n');
}

/** The checks that failed, by id (for the alert text). */
export function failedChecks(result: SmokeResult): string[] {
  return result.checks.filter((c) => c.status === 'failed').map((c) => c.id);
}
