/**
 * The test override the container target lays over the repository's own
 * `docker-compose.kestra.dokploy.yml` — the file Dokploy deploys stays untouched; only what a
 * throwaway test stack must change is changed here, and every change is explained.
 *
 * How Compose merges an override (`docker compose -f base -f override`, Compose Specification
 * "Merge", https://docs.docker.com/reference/compose-file/merge/, and the implementation in
 * compose-spec/compose-go `override/merge.go`):
 *  - mappings merge key by key, the later file winning — so the top-level network
 *    `dokploy-network: { external: true }` becomes a normal bridge network by redefining the same
 *    key with `external: false` (+ a project-unique `name`): the service keeps its
 *    `networks: [dokploy-network]` reference, which would break if the key were removed;
 *  - `environment` and `labels` are merged by variable/label name, the later file winning
 *    (compose-go turns both into `KEY=value` lists and decodes the last occurrence);
 *  - `ports` / `extra_hosts` sequences are appended (the base has none, so ours are the only ones);
 *  - `!override` (Compose ≥ 2.24.4) replaces a value outright instead of merging it.
 *
 * Traefik: the base carries twelve `traefik.*` labels routing kestra.galatek.dev. The override
 * replaces the whole label set with `!override { traefik.enable: "false", … }`: no Traefik routing
 * label survives. On a Compose too old to know `!override`, the tag is ignored and the mapping is
 * merged key by key instead — `traefik.enable=false` still wins over `true`, so Traefik (if any
 * were watching) ignores the container either way.
 *
 * Secrets never appear in the override: they reach Compose as variables (the `${SECRET_…:?}`
 * references of the base), exactly as Dokploy passes them — see `composeTestEnvironment`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document, type Node as YamlNode } from 'yaml';
import { composeVariableUses } from '../../kestra-model/compose-variables.js';
import { REPOSITORY_ROOT } from '../../kestra-model/repository-flows.js';
import { PRODUCTION_KESTRA_URL, PRODUCTION_NOTION_API_URL, PRODUCTION_RESEND_API_URL } from '../../spec/endpoints.js';

/** The product: what Dokploy deploys, and what the container target boots. */
export const PRODUCT_COMPOSE_FILE = 'docker-compose.kestra.dokploy.yml';
export const KESTRA_SERVICE = 'kestra';
export const POSTGRES_SERVICE = 'postgres';
/** The external network Dokploy's Traefik lives on, which a test host does not have. */
export const PUBLIC_NETWORK = 'dokploy-network';
export const KESTRA_API_PORT = 8080;
export const KESTRA_MANAGEMENT_PORT = 8081;
/** Name the Kestra container uses for the machine running the harness (and its stand-ins). */
export const DEFAULT_HOST_GATEWAY = 'host.docker.internal';
/** Label marking containers of a harness stack, for humans running `docker ps`. */
export const HARNESS_LABEL = 'dev.galatek.kestra-harness.project';
/**
 * Teardown must not wait for the product's 6-minute `stop_grace_period` (sized for production
 * tasks finishing); a test stack has nothing worth waiting for.
 */
export const TEST_STOP_GRACE_PERIOD = '20s';

export class ContainerConfigError extends Error {
  override name = 'ContainerConfigError';
}

export interface BasicAuthCredentials {
  /** An email address (Kestra ≥ 0.24 refuses anything else). */
  username: string;
  password: string;
}

export interface ComposeTestSettings {
  /** Compose project name: prefixes containers, networks and volumes, so stacks never collide. */
  projectName: string;
  /** Host name the containers use for the harness machine. Default `host.docker.internal`. */
  hostGateway?: string;
  /**
   * Base URL of the Notion stand-in. A host-side URL (`http://127.0.0.1:41234`) is rewritten to the
   * host gateway; the stand-in must listen on 0.0.0.0 (not only 127.0.0.1) for a container to reach it.
   */
  notionUrl: string;
  /** Base URL of the Resend stand-in (same rules as `notionUrl`). */
  resendUrl: string;
  /**
   * Flow secrets, PLAIN values, named as flows read them (`NOTION_TOKEN` for `secret('NOTION_TOKEN')`,
   * never `SECRET_NOTION_TOKEN`). They are base64-encoded into `SECRET_<NAME>` variables here.
   */
  secrets: Record<string, string>;
  basicAuth: BasicAuthCredentials;
  /** PostgreSQL password of the throwaway database (only the variable map needs it). */
  postgresPassword?: string;
  /** Minutes instead of hours between emails. Default true. */
  testingMode?: boolean;
  /** Host port to publish Kestra's API (8080) on; default a free port chosen by Docker. */
  kestraPort?: number;
  /** Host port to publish Kestra's management server (8081) on; default a free port chosen by Docker. */
  managementPort?: number;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '0.0.0.0', '[::1]', '[::]', '::1']);
const PRODUCTION_HOSTS = [PRODUCTION_KESTRA_URL, PRODUCTION_NOTION_API_URL, PRODUCTION_RESEND_API_URL].map((u) => new URL(u).hostname);

/**
 * The URL a container must call to reach a server on the harness machine: loopback hosts become
 * the host gateway, the port and path are kept, the trailing slash dropped (flows append `/v1/…`).
 * A production API host is refused — a test stack must never call the real Notion or Resend.
 */
export function containerReachableUrl(url: string, hostGateway = DEFAULT_HOST_GATEWAY, what = 'url'): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ContainerConfigError(`${what} is not a URL (got "${url}")`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ContainerConfigError(`${what} must be http(s) (got ${parsed.protocol})`);
  if (PRODUCTION_HOSTS.includes(parsed.hostname)) {
    throw new ContainerConfigError(`${what} points at production (${parsed.origin}); the container target only talks to stand-ins`);
  }
  if (LOOPBACK_HOSTS.has(parsed.hostname)) parsed.hostname = hostGateway;
  parsed.search = '';
  parsed.hash = '';
  return parsed.toString().replace(/\/+$/, '');
}

function assertProjectName(name: string): void {
  // Compose: lowercase letters, digits, dashes and underscores, starting with a letter or digit.
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(name)) {
    throw new ContainerConfigError(`projectName "${name}" is not a valid Compose project name (lowercase letters, digits, - and _, starting with a letter or digit)`);
  }
}

function assertPort(port: number | undefined, what: string): void {
  if (port === undefined) return;
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new ContainerConfigError(`${what} must be a port number 1–65535 (got ${port})`);
}

/** `"8080"` publishes on a free host port; `"41000:8080"` on a fixed one. */
function portSpec(hostPort: number | undefined, containerPort: number): string {
  return hostPort === undefined ? String(containerPort) : `${hostPort}:${containerPort}`;
}

/** The `ENV_*` values the flows read as `envs.testing_mode`, `envs.notion_api_url`, `envs.resend_api_url`. */
export function flowEnvironment(settings: Pick<ComposeTestSettings, 'hostGateway' | 'notionUrl' | 'resendUrl' | 'testingMode'>): {
  testingMode: string;
  notionApiUrl: string;
  resendApiUrl: string;
} {
  const gateway = settings.hostGateway ?? DEFAULT_HOST_GATEWAY;
  return {
    testingMode: String(settings.testingMode ?? true),
    notionApiUrl: containerReachableUrl(settings.notionUrl, gateway, 'notionUrl'),
    resendApiUrl: containerReachableUrl(settings.resendUrl, gateway, 'resendUrl'),
  };
}

/** The override file's content (YAML). Holds no secret value. */
export function composeTestOverride(settings: ComposeTestSettings): string {
  assertProjectName(settings.projectName);
  assertPort(settings.kestraPort, 'kestraPort');
  assertPort(settings.managementPort, 'managementPort');
  const gateway = settings.hostGateway ?? DEFAULT_HOST_GATEWAY;
  if (!/^[A-Za-z0-9.-]+$/.test(gateway)) throw new ContainerConfigError(`hostGateway must be a host name (got "${gateway}")`);
  const env = flowEnvironment(settings);

  const doc = new Document({
    name: settings.projectName,
    services: {
      [KESTRA_SERVICE]: {
        environment: {
          ENV_TESTING_MODE: env.testingMode,
          ENV_NOTION_API_URL: env.notionApiUrl,
          ENV_RESEND_API_URL: env.resendApiUrl,
        },
        extra_hosts: [`${gateway}:host-gateway`],
        ports: [portSpec(settings.kestraPort, KESTRA_API_PORT), portSpec(settings.managementPort, KESTRA_MANAGEMENT_PORT)],
        labels: { 'traefik.enable': 'false', [HARNESS_LABEL]: settings.projectName },
        stop_grace_period: TEST_STOP_GRACE_PERIOD,
      },
    },
    networks: {
      [PUBLIC_NETWORK]: { external: false, name: `${settings.projectName}-public`, driver: 'bridge' },
    },
  });
  (doc.getIn(['services', KESTRA_SERVICE, 'labels'], true) as YamlNode).tag = '!override';
  doc.commentBefore = [
    ` Test override for ${PRODUCT_COMPOSE_FILE}, generated by helpers/targets/container/override.ts.`,
    ' Never deploy it: it swaps the external dokploy-network for a private bridge, turns Traefik off,',
    ' publishes Kestra on free host ports, points the flows at local stand-ins and turns testing mode on.',
    ' Secrets are not here: they reach Compose as variables, as in Dokploy.',
  ].join('\n');
  return doc.toString({ lineWidth: 0 });
}

// --- The variable map ------------------------------------------------------------------------

/** Secret names (without the SECRET_ prefix) the compose file requires, in file order. */
export function requiredSecretNames(composeSource: string): string[] {
  const names = composeVariableUses(composeSource)
    .filter((use) => use.kind === 'required' && use.name.startsWith('SECRET_'))
    .map((use) => use.name.slice('SECRET_'.length));
  return [...new Set(names)];
}

function assertSecretName(name: string): void {
  if (name.startsWith('SECRET_')) {
    throw new ContainerConfigError(`secret "${name}": name secrets as flows read them — "${name.slice(7)}" for secret('${name.slice(7)}'); the SECRET_ prefix is added here (SPEC §8)`);
  }
  if (!/^[A-Z][A-Z0-9_]*$/.test(name)) throw new ContainerConfigError(`secret "${name}": names are UPPER_SNAKE_CASE`);
}

export function base64(value: string): string {
  return Buffer.from(value, 'utf8').toString('base64');
}

/**
 * Values interpolated into the KESTRA_CONFIGURATION block (passwords, username) end up inside a
 * YAML document Kestra parses: they must read back as the same plain scalar.
 */
const YAML_PLAIN_SAFE = /^[A-Za-z0-9][A-Za-z0-9._@+-]*$/;

/**
 * Every variable the compose file reads, set explicitly for the test stack. Nothing may be left to
 * the caller's shell: testcontainers hands Compose `process.env` too, and a developer's `.env` can
 * hold production values (a production RESEND_API_URL or SECRET_* would otherwise leak in).
 */
export function composeTestEnvironment(settings: ComposeTestSettings): Record<string, string> {
  const env = flowEnvironment(settings);
  const vars: Record<string, string> = {
    KESTRA_BASIC_AUTH_USERNAME: settings.basicAuth.username,
    KESTRA_BASIC_AUTH_PASSWORD: settings.basicAuth.password,
    TESTING_MODE: env.testingMode,
    NOTION_API_URL: env.notionApiUrl,
    RESEND_API_URL: env.resendApiUrl,
    // Links in the test Kestra's UI point at itself, never at production.
    KESTRA_PUBLIC_URL: `http://localhost:${settings.kestraPort ?? 8080}/`,
  };
  if (settings.postgresPassword !== undefined) vars.POSTGRES_PASSWORD = settings.postgresPassword;
  for (const [name, value] of Object.entries(settings.secrets)) {
    assertSecretName(name);
    vars[`SECRET_${name}`] = base64(value);
  }
  for (const name of ['KESTRA_BASIC_AUTH_USERNAME', 'KESTRA_BASIC_AUTH_PASSWORD', 'POSTGRES_PASSWORD'] as const) {
    const value = vars[name];
    if (value !== undefined && !YAML_PLAIN_SAFE.test(value)) {
      throw new ContainerConfigError(`${name} may only use letters, digits and . _ @ + - (the compose file pastes it into the KESTRA_CONFIGURATION YAML)`);
    }
  }
  return vars;
}

export interface ComposeVariableProblem {
  name: string;
  line: number;
  problem: 'missing-required' | 'missing-defaulted' | 'missing-plain' | 'unused-secret';
}

/** What is wrong between a compose file and a variable map (empty: nothing). */
export function composeEnvironmentProblems(composeSource: string, vars: Record<string, string>): ComposeVariableProblem[] {
  const uses = composeVariableUses(composeSource);
  const problems: ComposeVariableProblem[] = [];
  const seen = new Set<string>();
  for (const use of uses) {
    if (seen.has(use.name)) continue;
    seen.add(use.name);
    const value = vars[use.name];
    if (value === undefined || value === '') problems.push({ name: use.name, line: use.line, problem: `missing-${use.kind}` });
  }
  for (const name of Object.keys(vars)) {
    if (name.startsWith('SECRET_') && !seen.has(name)) problems.push({ name, line: 0, problem: 'unused-secret' });
  }
  return problems;
}

const PROBLEM_TEXT: Record<ComposeVariableProblem['problem'], string> = {
  'missing-required': 'required by the compose file (${VAR:?}) but not set',
  'missing-defaulted': 'read by the compose file with a default, but not set — the caller\'s shell or .env would decide it',
  'missing-plain': 'read by the compose file but not set',
  'unused-secret': 'set, but the compose file never passes it to Kestra (misspelt secret name?)',
};

/**
 * Throws one error naming every problem, e.g.
 * `docker-compose.kestra.dokploy.yml: SECRET_RESEND_API_KEY (line 84) is required by the compose file (${VAR:?}) but not set`.
 */
export function assertComposeEnvironment(composeSource: string, vars: Record<string, string>, file = PRODUCT_COMPOSE_FILE): void {
  const problems = composeEnvironmentProblems(composeSource, vars);
  if (problems.length === 0) return;
  const described = problems.map((p) => `${p.name}${p.line ? ` (line ${p.line})` : ''} is ${PROBLEM_TEXT[p.problem]}`);
  throw new ContainerConfigError(`${file}: ${described.join('; ')}`);
}

// --- Test values -----------------------------------------------------------------------------

function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** A plausible throwaway value for each secret the compose file requires. */
export function generateTestSecret(name: string): string {
  if (name === 'NOTION_TOKEN') return `ntn_test_${hex(16)}`;
  if (name === 'RESEND_API_KEY') return `re_test_${hex(16)}`;
  if (name.endsWith('_DATA_SOURCE_ID')) return randomUUID();
  if (name.startsWith('WEBHOOK_KEY_')) return `whk_${hex(16)}`;
  return `test_${name.toLowerCase()}_${hex(8)}`;
}

/** Test secrets for every required name, `given` values winning (e.g. the Notion stand-in's data source ids). */
export function testSecrets(composeSource: string, given: Record<string, string | undefined> = {}): Record<string, string> {
  const secrets: Record<string, string> = {};
  for (const name of requiredSecretNames(composeSource)) secrets[name] = given[name] ?? generateTestSecret(name);
  for (const [name, value] of Object.entries(given)) if (value !== undefined) secrets[name] = value;
  return secrets;
}

/** A password Kestra's basic-auth rules accept (≥ 8 chars, upper, lower, digit, symbol) and YAML keeps as-is. */
export function generateTestPassword(): string {
  return `Harness-${hex(12)}.Z9`;
}

export function generateTestCredentials(): BasicAuthCredentials {
  return { username: 'harness@example.com', password: generateTestPassword() };
}

/** The product compose file as it is in the repository. */
export function readProductCompose(repositoryRoot = REPOSITORY_ROOT): string {
  return readFileSync(join(repositoryRoot, PRODUCT_COMPOSE_FILE), 'utf8');
}
