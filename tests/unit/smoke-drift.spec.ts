/**
 * Drift checks of the production smoke: Kestra flows (repository source vs deployed source, with a
 * unified diff; unexpected flows in christmas*) against the Kestra stand-in, and Notion schemas
 * (per property, one data source per database) against the Notion stand-in.
 */
import { expect, test } from '../support/unit-test.js';
import { repositoryFlows } from '../../helpers/kestra-model/repository-flows.js';
import { createKestraClient } from '../../helpers/clients/kestra/index.js';
import { checkFlowDrift, flowDriftLines, hasDrift, normaliseFlowSource } from '../../helpers/tools/smoke/flow-drift.js';
import { createKestraAdmin } from '../../helpers/clients/kestra/admin.js';
import { unifiedDiff } from '../../helpers/tools/smoke/line-diff.js';
import { checkNotionSchemas, compareSchema, notionClient, type LiveProperty } from '../../helpers/tools/smoke/notion-schema.js';
import { MATCHED_SELECT_OPTIONS, NOTION_DATABASES, TRACKER_STATUSES } from '../../helpers/spec/index.js';
import { startKestraStandin, type KestraStandin } from '../../helpers/standins/kestra/index.js';
import { startNotionStandin, type NotionStandin } from '../../helpers/standins/notion/index.js';

let stop: { stop(): Promise<void> }[] = [];
test.afterEach(async () => {
  await Promise.all(stop.map((s) => s.stop()));
  stop = [];
});

test('unified diff: hunks with 3 lines of context, line numbers, nothing for equal texts', () => {
  const a = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].join('\n');
  const b = ['a', 'b', 'c', 'd', 'E', 'f', 'g', 'h', 'i', 'j', 'k'].join('\n');
  expect(unifiedDiff(a, a)).toBe('');
  expect(unifiedDiff(a, b, { from: 'repo', to: 'deployed' })).toBe(
    ['--- repo', '+++ deployed', '@@ -2,9 +2,10 @@', ' b', ' c', ' d', '-e', '+E', ' f', ' g', ' h', ' i', ' j', '+k'].join('\n'),
  );
  const long = Array.from({ length: 30 }, (_, i) => `line ${i}`);
  const edited = long.map((l, i) => (i === 2 || i === 25 ? `${l} changed` : l));
  expect(unifiedDiff(long.join('\n'), edited.join('\n')).split('\n').filter((l) => l.startsWith('@@'))).toEqual(['@@ -1,6 +1,6 @@', '@@ -23,7 +23,7 @@']);
  expect(unifiedDiff('x', '')).toBe('--- a\n+++ b\n@@ -1,1 +0,0 @@\n-x');
  expect(normaliseFlowSource('\uFEFF---\r\nid: x  \r\nnamespace: y\r\n\r\n')).toBe('id: x\nnamespace: y');
});

async function kestraWithRepositoryFlows(): Promise<{ standin: KestraStandin; drift: () => ReturnType<typeof checkFlowDrift> }> {
  const standin = await startKestraStandin({ flows: 'repository' });
  stop.push(standin);
  const auth = standin.auth || undefined;
  const client = createKestraClient({ baseUrl: standin.url, ...(auth ? { auth } : {}) });
  const admin = createKestraAdmin({ baseUrl: standin.url, ...(auth ? { auth } : {}) });
  return { standin, drift: () => checkFlowDrift(client, admin) };
}

test('no drift when Kestra runs exactly the repository\'s flows', async () => {
  const { drift } = await kestraWithRepositoryFlows();
  const result = await drift();
  expect(hasDrift(result)).toBe(false);
  expect(result.identical).toHaveLength(repositoryFlows().length);
  expect(flowDriftLines(result)).toEqual([`all ${repositoryFlows().length} repository flows deployed with identical source; nothing unexpected in the campaign namespaces`]);
});

test('a flow edited in production shows as a diff, repository → deployed; an extra campaign flow is unexpected', async () => {
  const { standin, drift } = await kestraWithRepositoryFlows();
  const health = repositoryFlows().find((f) => f.id === 'health-check')!;
  const edited = health.source.replace('maxAttempts: 3', 'maxAttempts: 5');
  expect(edited).not.toBe(health.source);
  standin.deploy(edited);
  standin.deploy('id: hotfix\nnamespace: christmas.handlers\ntasks:\n  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n');
  const result = await drift();
  expect(hasDrift(result)).toBe(true);
  expect(result.changed.map((c) => `${c.namespace}.${c.id}`)).toEqual(['christmas.health-check']);
  const diff = result.changed[0]!.diff;
  expect(diff.split('\n').slice(0, 2)).toEqual(['--- kestra/flows/christmas/health-check.yml', '+++ deployed christmas.health-check (revision 2)']);
  expect(diff).toMatch(/\n- +maxAttempts: 3\n\+ +maxAttempts: 5\n/);
  expect(result.unexpected.map((f) => `${f.namespace}.${f.id}`)).toEqual(['christmas.handlers.hotfix']);
  const lines = flowDriftLines(result);
  expect(lines[0]).toBe('christmas.health-check differs from kestra/flows/christmas/health-check.yml (deployed revision 2):');
  expect(lines.at(-1)).toBe('christmas.handlers.hotfix is deployed but not in the repository');
});

test('a repository flow that is not deployed is missing', async () => {
  const standin = await startKestraStandin({ flows: repositoryFlows().filter((f) => f.id !== 'health-check') });
  stop.push(standin);
  const auth = standin.auth || undefined;
  const result = await checkFlowDrift(createKestraClient({ baseUrl: standin.url, ...(auth ? { auth } : {}) }), createKestraAdmin({ baseUrl: standin.url, ...(auth ? { auth } : {}) }));
  expect(flowDriftLines(result)).toEqual(['christmas.health-check (kestra/flows/christmas/health-check.yml) is not deployed']);
});

async function notion(options: Parameters<typeof startNotionStandin>[0] = {}): Promise<NotionStandin> {
  const n = await startNotionStandin({ rateLimit: false, ...options });
  stop.push(n);
  return n;
}

test('Notion: the stand-in\'s schemas equal the spec — four databases, one data source each, no finding', async () => {
  const n = await notion();
  const report = await checkNotionSchemas(notionClient({ token: n.token, baseUrl: n.url }), n.dataSourceIds);
  expect(report.findings).toEqual([]);
  expect(report.databases.map((d) => [d.title, d.databaseId, d.dataSources, d.properties])).toEqual([
    ['Contacts', n.databaseIds.contacts, 1, 8], ['Templates', n.databaseIds.templates, 1, 6], ['Sequence Tracker', n.databaseIds.tracker, 1, 9], ['Analytics', n.databaseIds.analytics, 1, 7],
  ]);
});

test('Notion: a renamed property is reported property by property (missing = error, extra = warning)', async () => {
  const n = await notion();
  n.renameProperty('contacts', 'Email', 'E-mail');
  const report = await checkNotionSchemas(notionClient({ token: n.token, baseUrl: n.url }), n.dataSourceIds);
  expect(report.findings).toEqual([
    { database: 'contacts', severity: 'error', message: 'Contacts: property Email is missing (renamed? extra email property: E-mail)' },
    { database: 'contacts', severity: 'warning', message: 'Contacts: extra property E-mail (email)' },
  ]);
});

test('Notion: a database with a second data source is an error naming it', async () => {
  const n = await notion({ withSecondDataSource: ['tracker'] });
  const report = await checkNotionSchemas(notionClient({ token: n.token, baseUrl: n.url }), n.dataSourceIds);
  expect(report.findings.map((f) => f.message)).toEqual([
    `Sequence Tracker: database ${n.databaseIds.tracker} has 2 data sources, expected exactly one (a second data source breaks database-parented writes)`,
  ]);
});

test('Notion: an unreachable data source is one error naming the variable to check; the others are still checked', async () => {
  const n = await notion();
  const ids = { ...n.dataSourceIds, analytics: '00000000-0000-4000-8000-00000000dead' };
  // The client's own multi-line "request fail {…}" warning must not reach the output (issue 15 item 12).
  const printed: unknown[][] = [];
  const saved = { warn: console.warn, info: console.info, error: console.error };
  console.warn = console.info = console.error = (...args: unknown[]) => void printed.push(args);
  let report;
  try {
    report = await checkNotionSchemas(notionClient({ token: n.token, baseUrl: n.url }), ids);
  } finally {
    Object.assign(console, saved);
  }
  expect(printed).toEqual([]);
  expect(report.findings).toHaveLength(1);
  expect(report.findings[0]!.message).toMatch(/^Analytics: data source 00000000-0000-4000-8000-00000000dead is not reachable — object_not_found: .* \(check NOTION_ANALYTICS_DATA_SOURCE_ID and that the database is shared with the integration\)$/);
  expect(report.databases.filter((d) => d.properties !== null)).toHaveLength(3);
});

test('compareSchema: a property of the wrong type, and a select missing an option', () => {
  const live: Record<string, LiveProperty> = {};
  for (const [name, p] of Object.entries(NOTION_DATABASES.contacts.properties)) live[name] = { name, type: p.type, ...(p.options ? { options: [...p.options] } : {}) };
  live.Segment = { name: 'Segment', type: 'rich_text' };
  expect(compareSchema(NOTION_DATABASES.contacts, live)).toEqual([{ database: 'contacts', severity: 'error', message: 'Contacts: property Segment has type rich_text, expected select' }]);
  live.Segment = { name: 'Segment', type: 'select', options: ['CRITICAL', 'OPTIMIZE'] };
  expect(compareSchema(NOTION_DATABASES.contacts, live)).toEqual([
    { database: 'contacts', severity: 'warning', message: 'Contacts: select Segment has no option "URGENT" (Notion adds it on first write, if the integration may)' },
  ]);
});

// Issue 12 item 7: the flows' tracker checks match pages on Sequence Type and Status options
// (helpers/spec MATCHED_SELECT_OPTIONS); a Tracker lacking one (fresh, or the option renamed) hides
// those pages from the duplicate guard, so the schema check makes each missing one an error.
test('compareSchema: a Tracker missing an option the flows match on is an error; other missing options stay warnings', () => {
  const tracker = NOTION_DATABASES.tracker;
  const full = (): Record<string, LiveProperty> =>
    Object.fromEntries(Object.entries(tracker.properties).map(([name, p]) => [name, { name, type: p.type, ...(p.options ? { options: [...p.options] } : {}) }]));
  expect(compareSchema(tracker, full())).toEqual([]);
  for (const m of MATCHED_SELECT_OPTIONS.filter((o) => o.database === 'tracker')) {
    for (const option of m.options) {
      const live = full();
      live[m.property] = { ...live[m.property]!, options: live[m.property]!.options!.filter((o) => o !== option) };
      expect(compareSchema(tracker, live), `${m.property} without ${option}`).toEqual([
        { database: 'tracker', severity: 'error', message: `Sequence Tracker: select ${m.property} has no option "${option}", which the flows' duplicate checks match on (a fresh or renamed option: add it in Notion)` },
      ]);
    }
  }
  const matchedStatuses = MATCHED_SELECT_OPTIONS.find((m) => m.property === 'Status')!.options;
  const unmatched = TRACKER_STATUSES.filter((s) => !matchedStatuses.includes(s));
  expect(unmatched.length).toBeGreaterThan(0);
  const live = full();
  live.Status = { ...live.Status!, options: live.Status!.options!.filter((o) => !unmatched.includes(o as never)) };
  expect(compareSchema(tracker, live).map((f) => f.severity)).toEqual(unmatched.map(() => 'warning'));
});

test('Notion: a fresh Tracker (no select options yet) fails the schema check on every option the flows match on', async () => {
  const n = await notion({ withoutSelectOptions: ['tracker'] });
  const report = await checkNotionSchemas(notionClient({ token: n.token, baseUrl: n.url }), n.dataSourceIds);
  const errors = report.findings.filter((f) => f.severity === 'error').map((f) => f.message);
  const expected = MATCHED_SELECT_OPTIONS.filter((m) => m.database === 'tracker').flatMap((m) => m.options.map((o) => `Sequence Tracker: select ${m.property} has no option "${o}", which the flows' duplicate checks match on (a fresh or renamed option: add it in Notion)`));
  expect(errors.sort()).toEqual(expected.sort());
});
