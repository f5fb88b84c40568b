/**
 * The report's environment section (helpers/tools/report/environment.ts, environment-file.ts) — target, Kestra version, the
 * revision of every repository flow on the target, commit — recorded from the real local target;
 * and the behaviour labels (helpers/tools/report/labels.ts) derived from the spec's sequences.
 */
import { test, expect } from '../support/unit-test.js';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repositoryFlows } from '../../helpers/kestra-model/repository-flows.js';
import { KestraHttpError } from '../../helpers/clients/kestra/index.js';
import { deployedFlowRevisions, formatFlowRevisions, recordEnvironment, recordUnavailableTarget } from '../../helpers/tools/report/environment.js';
import { gitCommit, prepareReportRun, toProperties, writeEnvironment } from '../../helpers/tools/report/environment-file.js';
import { epicForWebhook, labelSequence, SEQUENCE_EPICS, webhookLabels } from '../../helpers/tools/report/labels.js';
import { readSecretFingerprints, scanForSecrets } from '../../helpers/tools/report/secrets.js';
import { SEQUENCE_TYPES, WEBHOOK_NAMES, type WebhookName } from '../../helpers/spec/index.js';
import { startLocalTarget } from '../../helpers/targets/local.js';

let dir: string;
test.beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'report-env-'));
});
test.afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

test('toProperties: Java properties escaping, empty facts left out', () => {
  expect(toProperties({ target: 'local', 'kestra.version': '1.3.0', empty: '', none: undefined, nil: null, count: 19, ok: true })).toBe(
    'target = local\nkestra.version = 1.3.0\ncount = 19\nok = true\n',
  );
  expect(toProperties({ 'a key:with=odd#chars!': ' value\\with\nnewline', 'unicode ≥': 'délai — ok' })).toBe(
    'a\\ key\\:with\\=odd\\#chars\\! = \\ value\\\\with\\nnewline\nunicode\\ \\u2265 = d\\u00e9lai \\u2014 ok\n',
  );
});

test('writeEnvironment: writes environment.properties into the results directory, replacing the previous one', () => {
  const results = join(dir, 'allure-results');
  const file = writeEnvironment(results, { target: 'remote' });
  expect(file).toBe(join(results, 'environment.properties'));
  writeEnvironment(results, { target: 'local', commit: 'abc1234' });
  expect(readFileSync(file, 'utf8')).toBe('target = local\ncommit = abc1234\n');
  expect(readdirSync(results), 'no temporary file left behind').toEqual(['environment.properties']);
});

test('gitCommit: the short HEAD, else the CI\'s commit variable, else undefined', () => {
  expect(gitCommit()).toMatch(/^[0-9a-f]{4,40}$/);
  expect(gitCommit(dir, { GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567' })).toBe('0123456');
  expect(gitCommit(dir, {})).toBeUndefined();
  expect(gitCommit(join(dir, 'missing'), { CI_COMMIT_SHA: 'not-a-sha' })).toBeUndefined();
});

test('deployedFlowRevisions: revision per flow, "missing" for a 404, "?" for any other failure', async () => {
  const kestra = {
    async getFlowSource(namespace: string, id: string) {
      if (id === 'gone') throw new KestraHttpError(404, 'GET', `https://k/api/v1/main/flows/${namespace}/${id}`, 'Not Found');
      if (id === 'broken') throw new KestraHttpError(503, 'GET', `https://k/api/v1/main/flows/${namespace}/${id}`, 'Service Unavailable');
      return { id, namespace, revision: id === 'send-email' ? 5 : 2, source: '' };
    },
  };
  const revisions = await deployedFlowRevisions(kestra, [
    { namespace: 'christmas.handlers', id: 'signup-handler' },
    { namespace: 'christmas', id: 'send-email' },
    { namespace: 'christmas', id: 'gone' },
    { namespace: 'christmas', id: 'broken' },
  ]);
  expect(revisions.find((r) => r.id === 'broken')?.error).toContain('HTTP 503');
  expect(formatFlowRevisions(revisions)).toEqual([
    'christmas.handlers/signup-handler@2',
    'christmas/broken@?',
    'christmas/gone@missing',
    'christmas/send-email@5',
  ]);
});

test('recordEnvironment on the real local target: every repository flow with its revision, no secret in the file', async () => {
  test.setTimeout(60_000);
  const target = await startLocalTarget();
  try {
    const results = join(dir, 'allure-results');
    const fingerprintsFile = join(dir, 'fingerprints.jsonl');
    const facts = await recordEnvironment(target, { resultsDir: results, fingerprintsFile });
    const flows = repositoryFlows();
    expect(facts).toMatchObject({ target: 'local', timing: 'production', 'flows.deployed': `${flows.length}/${flows.length}`, 'target.clock': 'virtual' });
    expect(facts['kestra.version']).toMatch(/^embedded stand-in \d+\.\d+/);
    expect(facts.commit).toMatch(/^([0-9a-f]{4,40}|unknown \(no git\))$/);
    expect(facts.flows!.split(', ').sort()).toEqual(flows.map((f) => `${f.namespace}/${f.id}@1`).sort());
    const written = readFileSync(join(results, 'environment.properties'), 'utf8');
    expect(written).toContain('target = local\n');
    expect(written).toContain('flows = christmas.handlers/assessment-handler@1, ');
    // The target's secrets: registered as fingerprints for the report check, absent from the file.
    expect(readSecretFingerprints(fingerprintsFile).length).toBe(target.secrets().length);
    expect(scanForSecrets(dir, target.secrets())).toEqual([]);
  } finally {
    await target.stop();
  }
});

test('recordUnavailableTarget and prepareReportRun', () => {
  const results = join(dir, 'allure-results');
  recordUnavailableTarget('container', 'container target skipped: no Docker engine', { resultsDir: results });
  expect(readFileSync(join(results, 'environment.properties'), 'utf8')).toMatch(/^target = container\ntarget.status = unavailable \\u2014 container target skipped: no Docker engine\ncommit = /);
  const fingerprintsFile = join(dir, 'fp.jsonl');
  writeFileSync(fingerprintsFile, '{}\n');
  writeFileSync(join(results, 'old-result.json'), '{}');
  prepareReportRun({ resultsDir: results, fingerprintsFile });
  expect(readdirSync(results), 'results of earlier runs are kept unless asked').toEqual(['old-result.json']);
  expect(existsSync(fingerprintsFile)).toBe(false);
  prepareReportRun({ resultsDir: results, fingerprintsFile, cleanResults: true });
  expect(readdirSync(results)).toEqual([]);
});

test('labels: epic = the sequence the webhook starts (signup: tracking only), feature = the webhook, story = the scenario', () => {
  const epics = Object.fromEntries(WEBHOOK_NAMES.map((w) => [w, epicForWebhook(w)]));
  expect(epics).toEqual({
    signup: 'Signup tracking',
    assessment: '5-day sequence',
    noshow: 'No-show recovery',
    postcall: 'Post-call follow-up',
    onboarding: 'Onboarding',
  });
  expect(Object.keys(SEQUENCE_EPICS).sort()).toEqual([...SEQUENCE_TYPES].sort());
  expect(webhookLabels('assessment', 'invalid payload refused')).toEqual({ epic: '5-day sequence', feature: 'assessment webhook', story: 'invalid payload refused' });
  expect(webhookLabels('signup')).toEqual({ epic: 'Signup tracking', feature: 'signup webhook' });
  expect(() => webhookLabels('calendly' as WebhookName)).toThrow('unknown webhook "calendly" (expected one of signup, assessment, noshow, postcall, onboarding)');
});

test('labelSequence refuses a sequence no webhook starts', async () => {
  await expect(labelSequence('christmas' as never)).rejects.toThrow('no webhook starts the "christmas" sequence');
});
