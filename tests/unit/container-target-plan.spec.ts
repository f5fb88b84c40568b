/**
 * The container target's boot plan, as data: a unique Compose project per boot, the product file
 * plus the override, the wait strategies testcontainers will use, the flows in deploy order, a
 * teardown that removes volumes — and a description to print that holds no secret value.
 */
import { test, expect } from '../support/unit-test.js';
import { isAbsolute, join } from 'node:path';
import { flowsByNamespace, repositoryFlows, REPOSITORY_ROOT } from '../../helpers/kestra-model/repository-flows.js';
import { WEBHOOK_HANDLERS } from '../../helpers/spec/index.js';
import {
  composeContainerName, describePlan, planContainerBoot, serviceImages, slugRunId, type ContainerBootOptions,
} from '../../helpers/targets/container/boot-plan.js';
import { checkMergedStack } from '../../helpers/targets/container/start.js';
import { readProductCompose } from '../../helpers/targets/container/override.js';

const standIns: ContainerBootOptions = { notionUrl: 'http://127.0.0.1:41234', resendUrl: 'http://127.0.0.1:41235' };

test('every boot gets its own Compose project, even within one run', () => {
  const names = new Set<string>();
  for (let i = 0; i < 10; i += 1) names.add(planContainerBoot(standIns).projectName);
  names.add(planContainerBoot({ ...standIns, runId: 'run-42' }).projectName);
  names.add(planContainerBoot({ ...standIns, runId: 'run-42' }).projectName);
  expect(names.size).toBe(12);
  for (const name of names) expect(name).toMatch(/^kestra-harness-[a-z0-9-]+-[0-9a-f]{6}$/);
  expect(planContainerBoot({ ...standIns, runId: 'run-42' }).projectName).toMatch(/^kestra-harness-run-42-[0-9a-f]{6}$/);
});

test('run ids become safe project-name slugs; an id without letters or digits is refused', () => {
  expect(slugRunId('CI Run #17 / worker_2')).toBe('ci-run-17-worker-2');
  expect(slugRunId('x'.repeat(40))).toHaveLength(24);
  expect(() => slugRunId('###')).toThrow(/runId "###"/);
});

test('Compose merges the product file (relative to the repository) with the override (absolute, in the work dir)', () => {
  const plan = planContainerBoot({ ...standIns, runId: 'files' });
  expect(plan.repositoryRoot).toBe(REPOSITORY_ROOT);
  expect(plan.composeFiles[0]).toBe('docker-compose.kestra.dokploy.yml');
  expect(plan.composeFile).toBe(join(REPOSITORY_ROOT, 'docker-compose.kestra.dokploy.yml'));
  expect(isAbsolute(plan.composeFiles[1])).toBe(true);
  expect(plan.composeFiles[1]).toBe(plan.overrideFile);
  expect(plan.overrideFile.startsWith(plan.workDir)).toBe(true);
  expect(plan.envFile.startsWith(plan.workDir)).toBe(true);
  expect(plan.workDir).toContain(plan.projectName);
  expect(plan.overrideYaml).toContain(`name: ${plan.projectName}`);
});

test('waits for Kestra\'s /health on the management port and for PostgreSQL\'s health check, by container name', () => {
  const plan = planContainerBoot(standIns);
  expect(composeContainerName('kestra')).toBe('kestra-1');
  expect(plan.waitStrategies).toEqual({
    'kestra-1': { kind: 'http', service: 'kestra', container: 'kestra-1', path: '/health', port: 8081, status: 200 },
    'postgres-1': { kind: 'healthcheck', service: 'postgres', container: 'postgres-1' },
  });
  expect(plan.services.kestra).toMatchObject({ apiPort: 8080, managementPort: 8081 });
  expect(plan.startupTimeoutMs).toBeGreaterThanOrEqual(120_000);
  expect(planContainerBoot({ ...standIns, startupTimeoutMs: 60_000 }).startupTimeoutMs).toBe(60_000);
});

test('deploys every repository flow, namespace by namespace, in flowsByNamespace order', () => {
  const plan = planContainerBoot(standIns);
  const groups = flowsByNamespace();
  expect(plan.deploy.map((step) => step.namespace)).toEqual([...groups.keys()]);
  expect(plan.deploy.map((step) => step.namespace)).toEqual(['christmas', 'christmas.handlers', 'christmas.tasks']);
  for (const step of plan.deploy) expect(step.flows.map((f) => f.id)).toEqual(groups.get(step.namespace)!.map((f) => f.id));
  expect(plan.deploy.flatMap((step) => step.flows).length).toBe(repositoryFlows().length);
});

test('pulls the product\'s own pinned images, and refuses an unpinned one by service name', () => {
  const images = planContainerBoot(standIns).images;
  expect(images.map((i) => i.service)).toEqual(['postgres', 'kestra']);
  for (const { image } of images) expect(image).toMatch(/:[^/]+$/);
  expect(images.find((i) => i.service === 'kestra')!.image).toMatch(/^kestra\/kestra:v\d/);
  expect(() => serviceImages('services:\n  kestra:\n    image: kestra/kestra:latest\n')).toThrow(/service kestra image "kestra\/kestra:latest" is not pinned/);
  expect(() => serviceImages('services:\n  kestra:\n    image: kestra/kestra\n')).toThrow(/not pinned/);
});

test('tears down with volumes removed, a short stop timeout and the work dir deleted', () => {
  expect(planContainerBoot(standIns).teardown).toEqual({ removeVolumes: true, timeoutMs: 10_000, removeWorkDir: true });
});

test('webhook keys are the plain values of the WEBHOOK_KEY_* secrets; given secrets win over generated ones', () => {
  const plan = planContainerBoot({ ...standIns, secrets: { NOTION_CONTACTS_DATA_SOURCE_ID: 'contacts-ds-id', WEBHOOK_KEY_SIGNUP: 'signup-key-from-test' } });
  expect(plan.secrets.NOTION_CONTACTS_DATA_SOURCE_ID).toBe('contacts-ds-id');
  expect(plan.webhookKeys.signup).toBe('signup-key-from-test');
  for (const handler of Object.values(WEBHOOK_HANDLERS)) {
    expect(plan.webhookKeys[handler.webhook]).toBe(plan.secrets[handler.keySecret]);
    expect(Buffer.from(plan.env[`SECRET_${handler.keySecret}`]!, 'base64').toString()).toBe(plan.webhookKeys[handler.webhook]);
  }
  expect(new Set(Object.values(plan.webhookKeys)).size).toBe(5);
});

test('the flows see the stand-ins through the host gateway, in testing mode', () => {
  const plan = planContainerBoot(standIns);
  expect(plan.flowEnvironment).toEqual({
    testingMode: 'true',
    notionApiUrl: 'http://host.docker.internal:41234',
    resendApiUrl: 'http://host.docker.internal:41235',
  });
});

test('the plan passes the merged-stack preflight against the real compose file', () => {
  const plan = planContainerBoot(standIns);
  const merged = checkMergedStack(plan, readProductCompose());
  expect((merged.networks as Record<string, { external?: boolean }>)['dokploy-network']!.external).toBe(false);
});

test('a compose file requiring a variable the harness does not know fails planning with its name', () => {
  const source = `${readProductCompose()}\n# appended by the test\nx-extra:\n  needs: \${NEW_REQUIRED_VARIABLE:?set it}\n`;
  expect(() => planContainerBoot({ ...standIns, composeSource: source })).toThrow(/NEW_REQUIRED_VARIABLE \(line \d+\) is required by the compose file/);
});

test('describePlan tells the story without a single secret value', () => {
  const plan = planContainerBoot({ ...standIns, runId: 'describe', secrets: { NOTION_TOKEN: 'ntn_plain_token_value' } });
  const text = describePlan(plan).join('\n');
  expect(text).toContain(plan.projectName);
  expect(text).toMatch(/deploy \d+ flows: christmas \(\d+\) → christmas\.handlers \(\d+\) → christmas\.tasks \(\d+\)/);
  expect(text).toMatch(/kestra-1 HTTP GET :8081\/health → 200/);
  expect(text).toContain('http://host.docker.internal:41234');
  expect(text).toContain('SECRET_NOTION_TOKEN=***');
  expect(text).toContain('KESTRA_BASIC_AUTH_PASSWORD=***');
  expect(text).toContain('POSTGRES_PASSWORD=***');
  expect(plan.redactions.length).toBeGreaterThanOrEqual(13);
  for (const secret of plan.redactions) {
    expect(text).not.toContain(secret);
    expect(text).not.toContain(Buffer.from(secret).toString('base64'));
  }
  for (const [name, value] of Object.entries(plan.env)) if (name.startsWith('SECRET_')) expect(text).not.toContain(value);
});
