/**
 * The `container` target: the repository's own docker-compose.kestra.dokploy.yml, booted by
 * testcontainers with a generated test override (see override.ts for what it changes and why).
 *
 *   const docker = await dockerAvailability();
 *   test.skip(!docker.ok, docker.ok ? '' : docker.reason);
 *   const stack = await startContainerStack({ notionUrl: notion.url, resendUrl: resend.url, runId });
 *   …  target.kestraUrl, target.kestra (logged-in client), target.webhookKeys, await target.containerLogs()
 *   await target.stop();
 */
export {
  startContainerStack, deployRepositoryFlows, checkMergedStack, ContainerStackBootError, ContainerStackUnavailableError,
  type ContainerStack, type ContainerStackOptions, type ContainerLogs, type ContainerHealth, type DeployedNamespace, type FlowDeployer,
} from './start.js';
export { dockerAvailability, describeAvailability, type DockerAvailability, type DockerEngineInfo } from './docker-available.js';
export {
  planContainerBoot, describePlan, composeContainerName, serviceImages, newRunId, PROJECT_PREFIX,
  type ContainerBootOptions, type ContainerBootPlan, type DeployStep, type WaitPlan,
} from './boot-plan.js';
export {
  composeTestOverride, composeTestEnvironment, assertComposeEnvironment, composeEnvironmentProblems, containerReachableUrl,
  requiredSecretNames, testSecrets, generateTestCredentials, ContainerConfigError, PRODUCT_COMPOSE_FILE, DEFAULT_HOST_GATEWAY,
  type ComposeTestSettings, type BasicAuthCredentials, type ComposeVariableProblem,
} from './override.js';
export { mergeComposeForInspection, interpolateCompose, parseComposeYaml, serviceOf, type ComposeMapping } from './merge.js';
export { SecretRedactor, stripAnsi, REDACTED } from './redact.js';
