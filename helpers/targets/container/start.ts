/**
 * The `container` target: testcontainers boots the repository's own
 * `docker-compose.kestra.dokploy.yml` — what is tested is what Dokploy deploys — merged with the
 * generated test override (override.ts), waits for Kestra's health, deploys the repository's flows
 * through the API, and tears everything down (volumes included).
 *
 *   const stack = await startContainerStack({ notionUrl: notion.url, resendUrl: resend.url, runId });
 *   // target.kestraUrl, target.credentials, target.webhookKeys.signup, await target.containerLogs()
 *   await target.stop();
 *
 * Boot time is reported through `onProgress` (default: console). Without a Docker engine this
 * throws `ContainerStackUnavailableError` carrying the one-line reason specs skip with.
 */
import { readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type Dockerode from 'dockerode';
import { parse as parseYaml } from 'yaml';
import type { StartedDockerComposeEnvironment, WaitStrategy } from 'testcontainers';
import { createKestraClient, type KestraClient } from '../../clients/kestra/index.js';
import type { WebhookName } from '../../spec/sequences.js';
import {
  describePlan, planContainerBoot, type ContainerBootOptions, type ContainerBootPlan, type DeployStep, type WaitPlan,
} from './boot-plan.js';
import { describeAvailability, dockerAvailability } from './docker-available.js';
import { fetchServiceLogs, ProjectLogFollower, tail } from './logs.js';
import { mergeComposeForInspection, serviceOf, interpolateCompose, type ComposeMapping } from './merge.js';
import { ContainerConfigError, PUBLIC_NETWORK, readProductCompose, type BasicAuthCredentials } from './override.js';
import { SecretRedactor } from './redact.js';

export class ContainerStackUnavailableError extends Error {
  override name = 'ContainerStackUnavailableError';
}

export class ContainerStackBootError extends Error {
  override name = 'ContainerStackBootError';
}

export interface ContainerStackOptions extends ContainerBootOptions {
  /** Progress lines (plan, boot time, deploy). Default: console.log. */
  onProgress?: (line: string) => void;
  /** `always` pulls the images even when present. Default `missing`. Pulling happens before the boot clock starts. */
  pull?: 'missing' | 'always';
  /** Deploy the repository's flows once Kestra is healthy. Default true. */
  deployFlows?: boolean;
}

export interface ContainerLogs {
  kestra: string;
  postgres: string;
}

/** The booted compose stack (Kestra + Postgres). Not a Target: container-target.ts wraps it, with the stand-ins, into one. */
export interface ContainerStack {
  readonly name: 'container';
  readonly plan: ContainerBootPlan;
  readonly projectName: string;
  /** Kestra API/UI, e.g. http://localhost:49153 */
  readonly kestraUrl: string;
  /** Kestra management server (health, metrics), e.g. http://localhost:49154 */
  readonly managementUrl: string;
  readonly credentials: BasicAuthCredentials;
  /** Plain webhook keys (the stack holds them base64 as SECRET_WEBHOOK_KEY_*). */
  readonly webhookKeys: Readonly<Record<WebhookName, string>>;
  /** Whether the flows read testing-mode offsets (minutes). */
  readonly testingMode: boolean;
  /** `compose up` until every wait strategy passed. */
  readonly bootMs: number;
  /** A client logged in to this Kestra. */
  readonly kestra: KestraClient;
  /** Namespaces deployed (empty when `deployFlows: false`). */
  readonly deployed: readonly DeployedNamespace[];
  /** Logs of both containers so far (ANSI stripped, secrets redacted), for Allure attachments. */
  containerLogs(): Promise<ContainerLogs>;
  /** Docker's view of each container's own health check (`healthy`, `starting`, `unhealthy`, or `none`). */
  containerHealth(): Promise<ContainerHealth>;
  /** `compose down -v`; idempotent. */
  stop(): Promise<void>;
}

export interface ContainerHealth {
  kestra: string;
  postgres: string;
}

export interface DeployedNamespace {
  namespace: string;
  flows: number;
}

/** What `deployRepositoryFlows` needs of a Kestra client (the harness client fits). */
export interface FlowDeployer {
  deployNamespace(namespace: string, flowsYaml: readonly string[]): Promise<unknown>;
}

/**
 * Deploys the repository's flows namespace by namespace, in plan order, through the Kestra API
 * (the client validates first and never deletes). Sources are read from kestra/flows as planned.
 */
export async function deployRepositoryFlows(
  client: FlowDeployer,
  steps: readonly DeployStep[],
  sources: (file: string) => string,
  onProgress: (line: string) => void = () => undefined,
): Promise<DeployedNamespace[]> {
  const deployed: DeployedNamespace[] = [];
  for (const step of steps) {
    const started = performance.now();
    await client.deployNamespace(step.namespace, step.flows.map((flow) => sources(flow.file)));
    deployed.push({ namespace: step.namespace, flows: step.flows.length });
    onProgress(`container: deployed ${step.namespace} (${step.flows.length} flows) in ${Math.round(performance.now() - started)} ms`);
  }
  return deployed;
}

function toWaitStrategy(Wait: typeof import('testcontainers').Wait, wait: WaitPlan, credentials: BasicAuthCredentials): WaitStrategy {
  if (wait.kind === 'healthcheck') return Wait.forHealthCheck();
  // abortOnContainerExit: a Kestra that exits (bad configuration) fails at once, not after the timeout.
  return Wait.forHttp(wait.path, wait.port, { abortOnContainerExit: true })
    .forStatusCode(wait.status)
    .withBasicCredentials(credentials.username, credentials.password)
    .withReadTimeout(3_000);
}

/**
 * Preflight without Docker: the merged model must have what the plan relies on — a private
 * network, no Traefik routing, the stand-in URLs, and a KESTRA_CONFIGURATION that still parses
 * to the same credentials once Compose has pasted the variables in.
 */
export function checkMergedStack(plan: ContainerBootPlan, composeSource: string): ComposeMapping {
  const merged = interpolateCompose(mergeComposeForInspection(composeSource, plan.overrideYaml), plan.env);
  const network = (merged.networks as ComposeMapping | undefined)?.[PUBLIC_NETWORK] as ComposeMapping | undefined;
  if (!network || network.external !== false) throw new ContainerConfigError(`override: ${PUBLIC_NETWORK} is still external after the merge`);
  const kestra = serviceOf(merged, plan.services.kestra.service);
  const labels = (kestra.labels ?? {}) as Record<string, string | null>;
  if (labels['traefik.enable'] !== 'false') throw new ContainerConfigError('override: traefik.enable is not false after the merge');
  const environment = (kestra.environment ?? {}) as Record<string, string | null>;
  if (environment.ENV_NOTION_API_URL !== plan.flowEnvironment.notionApiUrl || environment.ENV_RESEND_API_URL !== plan.flowEnvironment.resendApiUrl) {
    throw new ContainerConfigError('override: the flows would not see the stand-in URLs after the merge');
  }
  const config = parseYaml(String(environment.KESTRA_CONFIGURATION ?? '')) as {
    datasources?: { postgres?: { password?: unknown } };
    kestra?: { server?: { 'basic-auth'?: { username?: unknown; password?: unknown } } };
  } | null;
  const auth = config?.kestra?.server?.['basic-auth'];
  if (String(auth?.username) !== plan.credentials.username || String(auth?.password) !== plan.credentials.password
    || String(config?.datasources?.postgres?.password) !== plan.postgresPassword) {
    throw new ContainerConfigError('KESTRA_CONFIGURATION no longer reads back the credentials once interpolated (a value with YAML-special characters?)');
  }
  return merged;
}

function urlFor(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export async function startContainerStack(opts: ContainerStackOptions): Promise<ContainerStack> {
  const progress = opts.onProgress ?? ((line: string) => console.log(line));
  const availability = await dockerAvailability();
  if (!availability.ok) throw new ContainerStackUnavailableError(availability.reason);
  progress(`container: ${describeAvailability(availability)}`);

  const composeSource = opts.composeSource ?? readProductCompose(opts.repositoryRoot);
  const plan = planContainerBoot({ ...opts, composeSource });
  checkMergedStack(plan, composeSource);
  for (const line of describePlan(plan)) progress(line);

  const redactor = new SecretRedactor(plan.redactions).addBasicAuth(plan.credentials.username, plan.credentials.password);

  // testcontainers is loaded here, not at the top: specs and tools import this module for its
  // planning and errors, and its import alone costs ~0.6 s of CPU (dockerAvailability loaded it already).
  const { DockerComposeEnvironment, getContainerRuntimeClient, ImageName, PullPolicy, Wait } = await import('testcontainers');
  const client = await getContainerRuntimeClient();
  const docker: Dockerode = client.container.dockerode;
  const cleanupWorkDir = () => rm(plan.workDir, { recursive: true, force: true }).catch(() => undefined);

  // Images first, timed apart: the boot time printed below is Compose + Kestra, not the network.
  for (const { service, image } of plan.images) {
    const name = ImageName.fromString(image);
    const force = opts.pull === 'always';
    if (!force && (await client.image.exists(name))) continue;
    const pullStarted = performance.now();
    progress(`container: pulling ${image} (${service})…`);
    try {
      await client.image.pull(name, { force, platform: undefined });
    } catch (error) {
      throw new ContainerStackBootError(`container target: cannot pull ${image} for service ${service}: ${(error as Error).message ?? String(error)}`, { cause: error });
    }
    progress(`container: pulled ${image} in ${((performance.now() - pullStarted) / 1000).toFixed(1)} s`);
  }

  await mkdir(plan.workDir, { recursive: true, mode: 0o700 });
  await writeFile(plan.overrideFile, plan.overrideYaml, { mode: 0o600 });
  // An env file of our own, so Compose never reads the repository's .env (it may hold production values);
  // the values themselves travel in the process environment (withEnvironment), never on disk.
  await writeFile(plan.envFile, `# ${plan.projectName}: variables are passed through the environment by the harness\n`, { mode: 0o600 });

  let environment = new DockerComposeEnvironment(plan.repositoryRoot, [...plan.composeFiles])
    .withProjectName(plan.projectName)
    .withEnvironmentFile(plan.envFile)
    .withEnvironment(plan.env)
    // Images are present by now (pulled above), so Compose does not pull during the timed boot.
    .withPullPolicy(PullPolicy.defaultPolicy())
    .withStartupTimeout(plan.startupTimeoutMs);
  for (const [container, wait] of Object.entries(plan.waitStrategies)) {
    environment = environment.withWaitStrategy(container, toWaitStrategy(Wait, wait, plan.credentials));
  }

  const follower = new ProjectLogFollower(docker, plan.projectName, redactor).start();
  progress(`container: compose up ${plan.projectName}; waiting for Kestra's health (≤ ${Math.round(plan.startupTimeoutMs / 1000)} s)`);
  const started = performance.now();
  let stack: StartedDockerComposeEnvironment;
  try {
    stack = await environment.up();
  } catch (error) {
    const logs = follower.collected();
    follower.stop();
    await cleanupWorkDir();
    const kestraLog = logs[plan.services.kestra.service];
    throw new ContainerStackBootError(
      `container target: ${plan.projectName} did not come up: ${redactor.log((error as Error).message ?? String(error))}` +
        (kestraLog ? `\n--- last Kestra log lines ---\n${tail(kestraLog)}` : ''),
      { cause: error },
    );
  }
  const bootMs = Math.round(performance.now() - started);
  progress(`container: Kestra healthy — boot time ${(bootMs / 1000).toFixed(1)} s (${plan.projectName})`);

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      follower.stop();
      try {
        await stack.down({ removeVolumes: plan.teardown.removeVolumes, timeout: plan.teardown.timeoutMs });
        progress(`container: ${plan.projectName} torn down (volumes removed)`);
      } finally {
        await cleanupWorkDir();
      }
    })();
    return stopped;
  };

  const containerLogs = async (): Promise<ContainerLogs> => {
    const followed = follower.collected();
    const read = async (service: string) => {
      try {
        return (await fetchServiceLogs(docker, plan.projectName, service, redactor)) || followed[service] || '';
      } catch {
        return followed[service] ?? '';
      }
    };
    return { kestra: await read(plan.services.kestra.service), postgres: await read(plan.services.postgres.service) };
  };

  const containerHealth = async (): Promise<ContainerHealth> => {
    const status = async (container: string) => {
      const inspected = await docker.getContainer(stack.getContainer(container).getId()).inspect();
      return inspected.State.Health?.Status ?? 'none';
    };
    return { kestra: await status(plan.services.kestra.container), postgres: await status(plan.services.postgres.container) };
  };

  try {
    const kestraContainer = stack.getContainer(plan.services.kestra.container);
    const host = kestraContainer.getHost();
    const kestraUrl = urlFor(host, kestraContainer.getMappedPort(plan.services.kestra.apiPort));
    const managementUrl = urlFor(host, kestraContainer.getMappedPort(plan.services.kestra.managementPort));
    const kestra = createKestraClient({ baseUrl: kestraUrl, managementUrl, auth: plan.credentials });

    let deployed: DeployedNamespace[] = [];
    if (opts.deployFlows ?? true) {
      const given = new Map((opts.flows ?? []).map((f) => [f.file, f.source]));
      const source = (file: string) => given.get(file) ?? readFileSync(join(plan.repositoryRoot, file), 'utf8');
      deployed = await deployRepositoryFlows(kestra, plan.deploy, source, progress);
    }

    return {
      name: 'container',
      plan,
      projectName: plan.projectName,
      kestraUrl,
      managementUrl,
      credentials: plan.credentials,
      webhookKeys: plan.webhookKeys,
      testingMode: plan.flowEnvironment.testingMode === 'true',
      bootMs,
      kestra,
      deployed,
      containerLogs,
      containerHealth,
      stop,
    };
  } catch (error) {
    const logs = await containerLogs().catch(() => ({ kestra: '', postgres: '' }));
    await stop().catch(() => undefined);
    throw new ContainerStackBootError(
      `container target: ${plan.projectName} booted but could not be made ready (flow deploy): ${redactor.log((error as Error).message ?? String(error))}` +
        (logs.kestra ? `\n--- last Kestra log lines ---\n${tail(logs.kestra)}` : ''),
      { cause: error },
    );
  }
}
