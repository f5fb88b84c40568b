/**
 * Everything the container target will do, decided up front as plain data: which files Compose
 * merges, with which variables, what it waits for, which flows it deploys in which order, and how
 * it tears down. `startContainerStack` only executes a plan; the unit tests check plans without
 * Docker, and `describePlan` prints one for dry runs and progress — without a single secret value.
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { flowsByNamespace, REPOSITORY_ROOT, repositoryFlows, type RepositoryFlow } from '../../kestra-model/repository-flows.js';
import { WEBHOOK_HANDLERS } from '../../spec/endpoints.js';
import type { WebhookName } from '../../spec/sequences.js';
import {
  assertComposeEnvironment, composeTestEnvironment, composeTestOverride, ContainerConfigError, DEFAULT_HOST_GATEWAY,
  flowEnvironment, generateTestCredentials, generateTestPassword, KESTRA_API_PORT, KESTRA_MANAGEMENT_PORT, KESTRA_SERVICE,
  POSTGRES_SERVICE, PRODUCT_COMPOSE_FILE, PUBLIC_NETWORK, readProductCompose, testSecrets, type BasicAuthCredentials,
  type ComposeTestSettings,
} from './override.js';

export const PROJECT_PREFIX = 'kestra-harness-';
/** Kestra's compose health check allows 90 s start + 20 × 15 s; a cold JVM + migrations fits in 4 min. */
export const DEFAULT_STARTUP_TIMEOUT_MS = 240_000;
/** `docker compose down -t`: seconds Kestra gets to stop before it is killed. */
export const DEFAULT_TEARDOWN_TIMEOUT_MS = 10_000;
export const OVERRIDE_FILE_NAME = 'compose.test-override.yml';
export const ENV_FILE_NAME = 'compose.test.env';

export interface ContainerBootOptions {
  /** Notion stand-in base URL (host side, e.g. http://127.0.0.1:41234 — it must listen on 0.0.0.0). */
  notionUrl: string;
  /** Resend stand-in base URL (same rules). */
  resendUrl: string;
  /** The harness run this stack belongs to; it names the Compose project. Default: a random id. */
  runId?: string;
  /** Plain secret values by flow name (NOTION_TOKEN, NOTION_CONTACTS_DATA_SOURCE_ID, …); the rest is generated. */
  secrets?: Record<string, string | undefined>;
  credentials?: BasicAuthCredentials;
  postgresPassword?: string;
  hostGateway?: string;
  /** Default true. */
  testingMode?: boolean;
  kestraPort?: number;
  managementPort?: number;
  startupTimeoutMs?: number;
  teardownTimeoutMs?: number;
  /** Where the override file is written. Default `<os tmpdir>/<projectName>`. */
  workDir?: string;
  repositoryRoot?: string;
  /** The product compose source (tests inject it); default read from the repository. */
  composeSource?: string;
  /** The flows to deploy; default every flow under kestra/flows. */
  flows?: RepositoryFlow[];
}

export type WaitPlan =
  | { kind: 'http'; service: string; container: string; path: string; port: number; status: number }
  | { kind: 'healthcheck'; service: string; container: string };

export interface DeployStep {
  namespace: string;
  flows: { id: string; file: string }[];
}

export interface ContainerBootPlan {
  runId: string;
  /** Unique per boot: `kestra-harness-<run id>-<nonce>`. */
  projectName: string;
  repositoryRoot: string;
  workDir: string;
  /** Absolute path of the product compose file. */
  composeFile: string;
  /** Absolute path the override is written to. */
  overrideFile: string;
  /** Absolute path of the variables file handed to Compose (`--env-file`) so the repository's `.env` is never read. */
  envFile: string;
  /** As `DockerComposeEnvironment` takes them: relative to `repositoryRoot` (the product file) or absolute. */
  composeFiles: [string, string];
  overrideYaml: string;
  /** Images of the product's services, in file order (pulled before the boot clock starts). */
  images: { service: string; image: string }[];
  /** The variables Compose interpolates (secrets base64, as Dokploy holds them). */
  env: Record<string, string>;
  credentials: BasicAuthCredentials;
  postgresPassword: string;
  /** Plain secret values by flow name. */
  secrets: Record<string, string>;
  webhookKeys: Record<WebhookName, string>;
  /** What the flows get as envs.* (URLs as the container sees them). */
  flowEnvironment: { testingMode: string; notionApiUrl: string; resendApiUrl: string };
  hostGateway: string;
  services: {
    kestra: { service: string; container: string; apiPort: number; managementPort: number };
    postgres: { service: string; container: string };
  };
  /** Keyed by container name (`<service>-1`), as testcontainers matches them. */
  waitStrategies: Record<string, WaitPlan>;
  startupTimeoutMs: number;
  /** Namespaces in deploy order, each with its flows. */
  deploy: DeployStep[];
  teardown: { removeVolumes: true; timeoutMs: number; removeWorkDir: true };
  /** Every secret value (plain), for redacting logs and messages. */
  redactions: string[];
}

/** Compose v2 names a service's first container `<project>-<service>-1`; testcontainers strips the project. */
export function composeContainerName(service: string, index = 1): string {
  return `${service}-${index}`;
}

/** A run id safe inside a Compose project name (lowercase, digits, dashes; at most 24 characters). */
export function slugRunId(runId: string): string {
  const slug = runId.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 24).replace(/-+$/, '');
  if (!slug) throw new ContainerConfigError(`runId "${runId}" has no letters or digits to name a Compose project with`);
  return slug;
}

export function newRunId(): string {
  return `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
}

/** `services.<name>.image` of a compose source; a service without a pinned image is an error naming it. */
export function serviceImages(composeSource: string): { service: string; image: string }[] {
  const doc = parseYaml(composeSource) as { services?: Record<string, { image?: unknown }> } | null;
  return Object.entries(doc?.services ?? {}).map(([service, definition]) => {
    const image = definition?.image;
    if (typeof image !== 'string' || !image) throw new ContainerConfigError(`${PRODUCT_COMPOSE_FILE}: service ${service} has no image`);
    if (!/:[^/]+$/.test(image) || image.endsWith(':latest')) throw new ContainerConfigError(`${PRODUCT_COMPOSE_FILE}: service ${service} image "${image}" is not pinned to a tag (SPEC §8)`);
    return { service, image };
  });
}

export function planContainerBoot(opts: ContainerBootOptions): ContainerBootPlan {
  const runId = opts.runId ?? newRunId();
  // The nonce keeps two boots of the same run (e.g. two workers) from sharing a project.
  const projectName = `${PROJECT_PREFIX}${slugRunId(runId)}-${randomBytes(3).toString('hex')}`;
  const repositoryRoot = opts.repositoryRoot ?? REPOSITORY_ROOT;
  const workDir = opts.workDir ?? join(tmpdir(), projectName);
  if (!isAbsolute(workDir)) throw new ContainerConfigError(`workDir must be absolute (got "${workDir}")`);
  const composeSource = opts.composeSource ?? readProductCompose(repositoryRoot);
  const hostGateway = opts.hostGateway ?? DEFAULT_HOST_GATEWAY;
  const credentials = opts.credentials ?? generateTestCredentials();
  const postgresPassword = opts.postgresPassword ?? generateTestPassword();
  const secrets = testSecrets(composeSource, opts.secrets);

  const settings: ComposeTestSettings = {
    projectName,
    hostGateway,
    notionUrl: opts.notionUrl,
    resendUrl: opts.resendUrl,
    secrets,
    basicAuth: credentials,
    postgresPassword,
    testingMode: opts.testingMode ?? true,
    ...(opts.kestraPort !== undefined ? { kestraPort: opts.kestraPort } : {}),
    ...(opts.managementPort !== undefined ? { managementPort: opts.managementPort } : {}),
  };
  const env = composeTestEnvironment(settings);
  assertComposeEnvironment(composeSource, env);
  const overrideYaml = composeTestOverride(settings);

  const webhookKeys = Object.fromEntries(
    Object.values(WEBHOOK_HANDLERS).map((handler) => {
      const key = secrets[handler.keySecret];
      if (!key) throw new ContainerConfigError(`no value for secret ${handler.keySecret} (the ${handler.webhook} webhook key)`);
      return [handler.webhook, key];
    }),
  ) as Record<WebhookName, string>;

  const kestraContainer = composeContainerName(KESTRA_SERVICE);
  const postgresContainer = composeContainerName(POSTGRES_SERVICE);
  const groups = flowsByNamespace(opts.flows ?? repositoryFlows());
  const overrideFile = join(workDir, OVERRIDE_FILE_NAME);

  return {
    runId,
    projectName,
    repositoryRoot,
    workDir,
    composeFile: join(repositoryRoot, PRODUCT_COMPOSE_FILE),
    overrideFile,
    envFile: join(workDir, ENV_FILE_NAME),
    composeFiles: [PRODUCT_COMPOSE_FILE, overrideFile],
    overrideYaml,
    images: serviceImages(composeSource),
    env,
    credentials,
    postgresPassword,
    secrets,
    webhookKeys,
    flowEnvironment: flowEnvironment(settings),
    hostGateway,
    services: {
      kestra: { service: KESTRA_SERVICE, container: kestraContainer, apiPort: KESTRA_API_PORT, managementPort: KESTRA_MANAGEMENT_PORT },
      postgres: { service: POSTGRES_SERVICE, container: postgresContainer },
    },
    waitStrategies: {
      [kestraContainer]: { kind: 'http', service: KESTRA_SERVICE, container: kestraContainer, path: '/health', port: KESTRA_MANAGEMENT_PORT, status: 200 },
      [postgresContainer]: { kind: 'healthcheck', service: POSTGRES_SERVICE, container: postgresContainer },
    },
    startupTimeoutMs: opts.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS,
    deploy: [...groups.entries()].map(([namespace, flows]) => ({ namespace, flows: flows.map((f) => ({ id: f.id, file: f.file })) })),
    teardown: { removeVolumes: true, timeoutMs: opts.teardownTimeoutMs ?? DEFAULT_TEARDOWN_TIMEOUT_MS, removeWorkDir: true },
    redactions: [...new Set([credentials.password, postgresPassword, ...Object.values(secrets)])],
  };
}

const NOT_SECRET = new Set(['KESTRA_BASIC_AUTH_USERNAME', 'TESTING_MODE', 'NOTION_API_URL', 'RESEND_API_URL']);

function describeWait(wait: WaitPlan): string {
  return wait.kind === 'http'
    ? `${wait.container} HTTP GET :${wait.port}${wait.path} → ${wait.status}`
    : `${wait.container} Docker health check → healthy`;
}

/** Human-readable lines for dry runs and progress. Secret variables appear as `NAME=***`. */
export function describePlan(plan: ContainerBootPlan): string[] {
  const vars = Object.keys(plan.env)
    .sort()
    .map((name) => `${name}=${NOT_SECRET.has(name) ? plan.env[name] : '***'}`);
  const flowCount = plan.deploy.reduce((n, step) => n + step.flows.length, 0);
  return [
    `container target — Compose project ${plan.projectName} (run ${plan.runId})`,
    `  compose files: ${plan.composeFiles.join(' + ')}`,
    `  images: ${plan.images.map((i) => `${i.service} ${i.image}`).join(', ')}`,
    `  ${PUBLIC_NETWORK}: private bridge network "${plan.projectName}-public" instead of Dokploy's external one; Traefik labels replaced by traefik.enable=false`,
    `  Kestra → stand-ins: Notion ${plan.flowEnvironment.notionApiUrl}, Resend ${plan.flowEnvironment.resendApiUrl} (${plan.hostGateway} = host-gateway)`,
    `  testing mode: ${plan.flowEnvironment.testingMode === 'true' ? 'on (minutes instead of hours)' : 'off'}`,
    `  Kestra login: ${plan.credentials.username} / ***`,
    `  variables (${vars.length}): ${vars.join(', ')}`,
    `  wait (≤ ${Math.round(plan.startupTimeoutMs / 1000)} s): ${Object.values(plan.waitStrategies).map(describeWait).join('; ')}`,
    `  deploy ${flowCount} flows: ${plan.deploy.map((step) => `${step.namespace} (${step.flows.length})`).join(' → ')}`,
    `  teardown: compose down${plan.teardown.removeVolumes ? ' -v (volumes removed)' : ''}, ${Math.round(plan.teardown.timeoutMs / 1000)} s stop timeout; ${plan.workDir} removed`,
  ];
}
