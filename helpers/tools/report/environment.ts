/**
 * The report's "Environment" section: which target the e2e run used, its Kestra version, the
 * revision of every repository flow deployed there, and the commit under test. Written as
 * `environment.properties` into the Allure results directory (environment-file.ts), which Allure 3 reads as-is.
 *
 * Wiring (tests/support/e2e-fixtures.ts, worker fixture `targetOrReason`):
 *   if (reason) { recordUnavailableTarget(name, reason); await use(reason); return; }
 *   const target = await startTarget(name);
 *   await recordEnvironment(target);        // environment.properties + the run's secret fingerprints
 * and, optionally, a Playwright `globalSetup` calling `prepareReportRun({ cleanResults: true })` (environment-file.ts).
 */
import { repositoryFlows, type RepositoryFlow } from '../../kestra-model/repository-flows.js';
import { KestraHttpError, type KestraClient } from '../../clients/kestra/index.js';
import { Redactor } from '../../clients/redact.js';
import type { Target } from '../../targets/types.js';
import { DEFAULT_FINGERPRINTS_FILE, registerReportSecrets } from './secrets.js';
import { DEFAULT_RESULTS_DIR, gitCommit, writeEnvironment, type RecordOptions } from './environment-file.js';

export interface FlowRevision {
  namespace: string;
  id: string;
  /** null: not deployed on the target (404) or unreadable (`error` says why). */
  revision: number | null;
  error?: string;
}

/** The revision the target holds of each repository flow (GET /flows/{ns}/{id} through the Kestra client). */
export async function deployedFlowRevisions(
  kestra: Pick<KestraClient, 'getFlowSource'>,
  flows: readonly Pick<RepositoryFlow, 'namespace' | 'id'>[] = repositoryFlows(),
): Promise<FlowRevision[]> {
  return Promise.all(
    flows.map(async ({ namespace, id }): Promise<FlowRevision> => {
      try {
        const flow = await kestra.getFlowSource(namespace, id);
        return { namespace, id, revision: flow.revision ?? null, ...(flow.revision == null ? { error: 'no revision in the answer' } : {}) };
      } catch (error) {
        if (error instanceof KestraHttpError && error.status === 404) return { namespace, id, revision: null, error: 'not deployed' };
        return { namespace, id, revision: null, error: (error as Error).message.split('\n')[0] };
      }
    }),
  );
}

/** `christmas.handlers/signup-handler@3`, … in namespace/id order; `@missing` / `@?` when the target has no revision. */
export function formatFlowRevisions(revisions: readonly FlowRevision[]): string[] {
  return [...revisions]
    .sort((a, b) => `${a.namespace}/${a.id}`.localeCompare(`${b.namespace}/${b.id}`))
    .map((r) => `${r.namespace}/${r.id}@${r.revision ?? (r.error === 'not deployed' ? 'missing' : '?')}`);
}

/** Everything the report shows about the run's environment, redacted with the target's own secrets. */
export async function environmentFacts(target: Target, opts: { flows?: readonly Pick<RepositoryFlow, 'namespace' | 'id'>[] } = {}): Promise<Record<string, string>> {
  const [described, version, revisions] = await Promise.all([
    target.describe().catch((error: Error) => ({ describeError: error.message.split('\n')[0] ?? 'describe() failed' }) as Record<string, string>),
    target.kestra.version().then(
      (v) => `${v.version}${v.commitId ? ` (${v.commitId.slice(0, 8)})` : ''}`,
      (error: Error) => `unknown (${error.message.split('\n')[0]})`,
    ),
    deployedFlowRevisions(target.kestra, opts.flows),
  ]);
  const deployed = revisions.filter((r) => r.revision !== null).length;
  const facts: Record<string, string> = {
    target: target.name,
    'kestra.version': target.name === 'local' ? `embedded stand-in ${version}` : version,
    'kestra.url': target.kestra.baseUrl,
    timing: target.timing,
    commit: gitCommit() ?? 'unknown (no git)',
    'flows.deployed': `${deployed}/${revisions.length}`,
    flows: formatFlowRevisions(revisions).join(', '),
  };
  // The target's own facts, unless they repeat one of the above (describe() also names the version, timing…).
  const known = Object.values(facts);
  for (const [key, raw] of Object.entries(described)) {
    const value = raw === undefined ? '' : String(raw);
    if (key === 'target' || value === '' || known.some((k) => k === value || (value.length >= 6 && k.includes(value)))) continue;
    facts[`target.${key}`] = value;
  }
  const redactor = new Redactor();
  for (const secret of target.secrets()) redactor.add(secret);
  return Object.fromEntries(Object.entries(facts).map(([k, v]) => [k, redactor.text(v)]));
}

/**
 * Call once the target is up (worker fixture): writes environment.properties into the Allure
 * results and registers the target's secrets (as fingerprints) for `npm run report`'s redaction
 * check. Never throws — a report detail must not fail the e2e run — but says on stderr what it missed.
 */
export async function recordEnvironment(target: Target, opts: RecordOptions = {}): Promise<Record<string, string>> {
  try {
    registerReportSecrets(
      target.secrets().map((value, i) => ({ name: `${target.name} target secret #${i + 1}`, value })),
      opts.fingerprintsFile ?? DEFAULT_FINGERPRINTS_FILE,
    );
  } catch (error) {
    process.stderr.write(`report: could not register the ${target.name} target's secrets for the redaction check: ${(error as Error).message.split('\n')[0]}\n`);
  }
  try {
    const facts = await environmentFacts(target);
    writeEnvironment(opts.resultsDir ?? DEFAULT_RESULTS_DIR, facts);
    return facts;
  } catch (error) {
    process.stderr.write(`report: could not record the environment for the report: ${(error as Error).message.split('\n')[0]}\n`);
    return {};
  }
}

/** For a target this machine cannot run (the e2e specs skip): the report still says which and why. */
export function recordUnavailableTarget(name: string, reason: string, opts: Pick<RecordOptions, 'resultsDir'> = {}): void {
  writeEnvironment(opts.resultsDir ?? DEFAULT_RESULTS_DIR, { target: name, 'target.status': `unavailable — ${reason}`, commit: gitCommit() ?? 'unknown (no git)' });
}
