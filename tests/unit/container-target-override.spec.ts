/**
 * The container target's test override, checked without Docker: laid over the REAL
 * docker-compose.kestra.dokploy.yml it swaps the external dokploy-network for a private bridge,
 * turns Traefik routing off, points the flows at the stand-ins through the host gateway, turns
 * testing mode on — and the variable map satisfies every variable the product file reads.
 */
import { test, expect } from '../support/unit-test.js';
import { parseDocument } from 'yaml';
import { composeVariableUses } from '../../helpers/kestra-model/compose-variables.js';
import { PRODUCTION_KESTRA_URL, PRODUCTION_NOTION_API_URL, PRODUCTION_RESEND_API_URL } from '../../helpers/spec/index.js';
import {
  assertComposeEnvironment, composeEnvironmentProblems, composeTestEnvironment, composeTestOverride, containerReachableUrl,
  generateTestPassword, readProductCompose, requiredSecretNames, testSecrets, type ComposeTestSettings,
} from '../../helpers/targets/container/override.js';
import {
  interpolateCompose, interpolateString, mergeComposeForInspection, parseComposeYaml, serviceOf, type ComposeMapping,
} from '../../helpers/targets/container/merge.js';
import { parse as parseYaml } from 'yaml';

const productCompose = readProductCompose();
const secrets = testSecrets(productCompose, { NOTION_TOKEN: 'ntn_standin_token_1234' });

function settings(overrides: Partial<ComposeTestSettings> = {}): ComposeTestSettings {
  return {
    projectName: 'kestra-harness-unit-abc123',
    hostGateway: 'host.docker.internal',
    notionUrl: 'http://127.0.0.1:41234',
    resendUrl: 'http://localhost:41235/',
    secrets,
    basicAuth: { username: 'harness@example.com', password: 'Harness-0123456789ab.Z9' },
    postgresPassword: 'Pg-secret-value-42',
    testingMode: true,
    ...overrides,
  };
}

type Mapping = Record<string, any>;
const overrideYaml = composeTestOverride(settings());
const override = parseYaml(overrideYaml, { logLevel: 'error' }) as Mapping;
const kestraOverride = override.services.kestra as Mapping;
const productionHosts = [PRODUCTION_KESTRA_URL, PRODUCTION_NOTION_API_URL, PRODUCTION_RESEND_API_URL].map((u) => new URL(u).hostname);

test.describe('the override file', () => {
  test('replaces the external dokploy-network with a private, project-named bridge network', () => {
    expect(override.networks['dokploy-network']).toEqual({ external: false, name: 'kestra-harness-unit-abc123-public', driver: 'bridge' });
  });

  test('replaces the whole label set (no Traefik routing) with traefik.enable=false', () => {
    const doc = parseDocument(overrideYaml, { logLevel: 'error' });
    expect((doc.getIn(['services', 'kestra', 'labels'], true) as { tag?: string }).tag).toBe('!override');
    expect(kestraOverride.labels['traefik.enable']).toBe('false');
    expect(Object.keys(kestraOverride.labels).filter((k) => k.startsWith('traefik.'))).toEqual(['traefik.enable']);
  });

  test('points the flows at the stand-ins through the host gateway and turns testing mode on', () => {
    expect(kestraOverride.environment).toEqual({
      ENV_TESTING_MODE: 'true',
      ENV_NOTION_API_URL: 'http://host.docker.internal:41234',
      ENV_RESEND_API_URL: 'http://host.docker.internal:41235',
    });
    expect(kestraOverride.extra_hosts).toEqual(['host.docker.internal:host-gateway']);
  });

  test('publishes Kestra 8080 and 8081 on free host ports, or on the ports asked for', () => {
    expect(kestraOverride.ports).toEqual(['8080', '8081']);
    const fixed = parseYaml(composeTestOverride(settings({ kestraPort: 18080, managementPort: 18081 })), { logLevel: 'error' }) as Mapping;
    expect(fixed.services.kestra.ports).toEqual(['18080:8080', '18081:8081']);
    expect(() => composeTestOverride(settings({ kestraPort: 70_000 }))).toThrow(/kestraPort/);
  });

  test('never contains a production host, nor any secret value', () => {
    for (const host of productionHosts) expect(overrideYaml).not.toContain(host);
    for (const value of [...Object.values(secrets), 'Harness-0123456789ab.Z9', 'Pg-secret-value-42']) {
      expect(overrideYaml).not.toContain(value);
      expect(overrideYaml).not.toContain(Buffer.from(value).toString('base64'));
    }
  });

  test('names the project and only touches the kestra service', () => {
    expect(override.name).toBe('kestra-harness-unit-abc123');
    expect(Object.keys(override.services)).toEqual(['kestra']);
    expect(() => composeTestOverride(settings({ projectName: 'Not Valid' }))).toThrow(/projectName "Not Valid"/);
  });

  test('honours testingMode false and another gateway name', () => {
    const other = parseYaml(composeTestOverride(settings({ testingMode: false, hostGateway: 'gateway.test' })), { logLevel: 'error' }) as Mapping;
    expect(other.services.kestra.environment.ENV_TESTING_MODE).toBe('false');
    expect(other.services.kestra.environment.ENV_NOTION_API_URL).toBe('http://gateway.test:41234');
    expect(other.services.kestra.extra_hosts).toEqual(['gateway.test:host-gateway']);
  });
});

test.describe('stand-in URLs as the container sees them', () => {
  test('loopback hosts become the gateway; port and path stay; the trailing slash goes', () => {
    expect(containerReachableUrl('http://127.0.0.1:41234/')).toBe('http://host.docker.internal:41234');
    expect(containerReachableUrl('http://localhost:5000/base/')).toBe('http://host.docker.internal:5000/base');
    expect(containerReachableUrl('http://0.0.0.0:5000')).toBe('http://host.docker.internal:5000');
    expect(containerReachableUrl('http://[::1]:5000')).toBe('http://host.docker.internal:5000');
    expect(containerReachableUrl('http://standin.internal:5000')).toBe('http://standin.internal:5000');
  });

  test('a production API or a non-URL is refused, naming the option', () => {
    expect(() => containerReachableUrl(PRODUCTION_NOTION_API_URL, undefined, 'notionUrl')).toThrow(/notionUrl points at production/);
    expect(() => containerReachableUrl(PRODUCTION_RESEND_API_URL, undefined, 'resendUrl')).toThrow(/resendUrl points at production/);
    expect(() => containerReachableUrl('not a url', undefined, 'notionUrl')).toThrow(/notionUrl is not a URL/);
    expect(() => composeTestOverride(settings({ resendUrl: 'https://api.resend.com' }))).toThrow(/resendUrl/);
  });
});

test.describe('the variable map', () => {
  const env = composeTestEnvironment(settings());

  test('satisfies every variable the real compose file reads — required or defaulted', () => {
    const uses = composeVariableUses(productCompose);
    expect(uses.filter((u) => u.kind === 'required').length).toBeGreaterThanOrEqual(14);
    for (const use of uses) expect(env[use.name], `${use.name} (line ${use.line})`).toBeTruthy();
    expect(composeEnvironmentProblems(productCompose, env)).toEqual([]);
    expect(() => assertComposeEnvironment(productCompose, env)).not.toThrow();
  });

  test('holds every flow secret base64-encoded, decoding to the plain value', () => {
    const names = requiredSecretNames(productCompose);
    expect(names).toEqual(expect.arrayContaining(['NOTION_TOKEN', 'RESEND_API_KEY', 'WEBHOOK_KEY_SIGNUP', 'NOTION_CONTACTS_DATA_SOURCE_ID']));
    for (const name of names) {
      const encoded = env[`SECRET_${name}`]!;
      expect(encoded, name).toMatch(/^[A-Za-z0-9+/]+=*$/);
      expect(Buffer.from(encoded, 'base64').toString('utf8'), name).toBe(secrets[name]);
    }
    expect(Buffer.from(env.SECRET_NOTION_TOKEN!, 'base64').toString()).toBe('ntn_standin_token_1234');
  });

  test('sets the deployment knobs the product exposes (testing mode, API base URLs) to the test values', () => {
    expect(env).toMatchObject({
      TESTING_MODE: 'true',
      NOTION_API_URL: 'http://host.docker.internal:41234',
      RESEND_API_URL: 'http://host.docker.internal:41235',
      KESTRA_BASIC_AUTH_USERNAME: 'harness@example.com',
      KESTRA_BASIC_AUTH_PASSWORD: 'Harness-0123456789ab.Z9',
      POSTGRES_PASSWORD: 'Pg-secret-value-42',
    });
  });

  test('a missing required variable is one error naming it and its line', () => {
    const { SECRET_RESEND_API_KEY: _dropped, ...incomplete } = env;
    const line = composeVariableUses(productCompose).find((u) => u.name === 'SECRET_RESEND_API_KEY')!.line;
    expect(() => assertComposeEnvironment(productCompose, incomplete)).toThrow(
      new RegExp(`docker-compose\\.kestra\\.dokploy\\.yml: SECRET_RESEND_API_KEY \\(line ${line}\\) is required by the compose file`),
    );
    const { POSTGRES_PASSWORD: _pg, ...noPassword } = env;
    expect(() => assertComposeEnvironment(productCompose, noPassword)).toThrow(/POSTGRES_PASSWORD \(line \d+\) is required/);
  });

  test('a missing defaulted variable is an error too: the shell must not decide where the flows send', () => {
    const { RESEND_API_URL: _dropped, ...incomplete } = env;
    expect(() => assertComposeEnvironment(productCompose, incomplete)).toThrow(/RESEND_API_URL \(line \d+\) is read by the compose file with a default/);
  });

  test('a secret the compose file never passes is flagged; SECRET_-prefixed names are refused', () => {
    expect(() => assertComposeEnvironment(productCompose, { ...env, SECRET_NOTION_TOKN: 'eA==' })).toThrow(/SECRET_NOTION_TOKN is set, but the compose file never passes it/);
    expect(() => composeTestEnvironment(settings({ secrets: { SECRET_NOTION_TOKEN: 'x' } }))).toThrow(/"NOTION_TOKEN" for secret\('NOTION_TOKEN'\)/);
  });

  test('passwords that would break the KESTRA_CONFIGURATION YAML are refused, naming the variable', () => {
    expect(() => composeTestEnvironment(settings({ basicAuth: { username: 'harness@example.com', password: 'a: b #c' } }))).toThrow(/KESTRA_BASIC_AUTH_PASSWORD may only use/);
    expect(() => composeTestEnvironment(settings({ postgresPassword: "'quoted'" }))).toThrow(/POSTGRES_PASSWORD may only use/);
  });

  test('generated passwords meet Kestra\'s basic-auth rules and are YAML-plain', () => {
    for (let i = 0; i < 20; i += 1) {
      const password = generateTestPassword();
      expect(password.length).toBeGreaterThanOrEqual(8);
      expect(password).toMatch(/[A-Z]/);
      expect(password).toMatch(/[a-z]/);
      expect(password).toMatch(/[0-9]/);
      expect(password).toMatch(/[^A-Za-z0-9]/);
      expect(parseYaml(`p: ${password}`)).toEqual({ p: password });
    }
  });
});

test.describe('the merged stack (compose merge rules, imitated)', () => {
  const merged = mergeComposeForInspection(productCompose, overrideYaml);
  const kestra = serviceOf(merged, 'kestra') as Mapping;

  test('dokploy-network is no longer external; kestra still joins it and the internal network', () => {
    expect((merged.networks as Mapping)['dokploy-network']).toEqual({ external: false, name: 'kestra-harness-unit-abc123-public', driver: 'bridge' });
    expect((merged.networks as Mapping)['kestra-internal']).toEqual({ internal: true });
    expect(Object.keys(kestra.networks)).toEqual(['dokploy-network', 'kestra-internal']);
  });

  test('Traefik is disabled and no routing label (nor the production host) survives', () => {
    expect(kestra.labels).toEqual({ 'traefik.enable': 'false', 'dev.galatek.kestra-harness.project': 'kestra-harness-unit-abc123' });
    expect(JSON.stringify(kestra.labels)).not.toContain('galatek.dev');
  });

  test('on a Compose without !override, labels merge by name and traefik.enable=false still wins', () => {
    const old = serviceOf(mergeComposeForInspection(productCompose, overrideYaml, { overrideTags: false }), 'kestra') as Mapping;
    expect(old.labels['traefik.enable']).toBe('false');
    expect(Object.keys(old.labels).length).toBeGreaterThan(2);
  });

  test('environment merges by name: test URLs and testing mode win, the product configuration stays', () => {
    expect(kestra.environment).toMatchObject({
      ENV_TESTING_MODE: 'true',
      ENV_NOTION_API_URL: 'http://host.docker.internal:41234',
      ENV_RESEND_API_URL: 'http://host.docker.internal:41235',
      SECRET_NOTION_TOKEN: expect.stringContaining('${SECRET_NOTION_TOKEN:?'),
    });
    expect(String(kestra.environment.KESTRA_CONFIGURATION)).toContain('basic-auth:');
  });

  test('the product\'s own variable wiring gives the flows the same values the override sets', () => {
    const baseOnly = serviceOf(interpolateCompose(parseComposeYaml(productCompose).value, composeTestEnvironment(settings())), 'kestra') as Mapping;
    for (const name of ['ENV_TESTING_MODE', 'ENV_NOTION_API_URL', 'ENV_RESEND_API_URL']) {
      expect(baseOnly.environment[name], name).toBe(kestra.environment[name]);
    }
  });

  test('once interpolated, KESTRA_CONFIGURATION reads back the test credentials and database password', () => {
    const env = composeTestEnvironment(settings());
    const resolved = serviceOf(interpolateCompose(merged, env), 'kestra') as Mapping;
    const config = parseYaml(resolved.environment.KESTRA_CONFIGURATION) as Mapping;
    expect(config.kestra.server['basic-auth']).toMatchObject({ enabled: true, username: 'harness@example.com', password: 'Harness-0123456789ab.Z9' });
    expect(config.datasources.postgres.password).toBe('Pg-secret-value-42');
    expect(resolved.environment.SECRET_RESEND_API_KEY).toBe(env.SECRET_RESEND_API_KEY);
  });

  test('host gateway, published ports and a short stop grace period are added; resources and the image are the product\'s', () => {
    expect(kestra.extra_hosts).toEqual(['host.docker.internal:host-gateway']);
    expect(kestra.ports).toEqual(['8080', '8081']);
    expect(kestra.expose).toEqual(['8080', '8081']);
    expect(kestra.stop_grace_period).toBe('20s');
    expect(kestra.image).toBe((parseYaml(productCompose) as Mapping).services.kestra.image);
    expect(kestra.deploy).toEqual({ resources: { limits: { memory: '4g' }, reservations: { memory: '4g' } } });
  });

  test('postgres is left exactly as the product defines it', () => {
    const productOnly = mergeComposeForInspection(productCompose, '{}');
    expect(serviceOf(merged, 'postgres')).toEqual(serviceOf(productOnly, 'postgres'));
    expect(Object.keys(serviceOf(merged, 'postgres').networks as Mapping)).toEqual(['kestra-internal']);
  });
});

test.describe('the merge imitation follows the documented Compose rules', () => {
  const base = parseComposeYaml(`
services:
  app:
    image: app:1
    command: ["echo", "foo"]
    environment: [FOO=original, BAR=original]
    labels: { a: "1", b: "2" }
    dns: [1.1.1.1]
    ports: ["8080:80"]
    networks: [front]
`).value as ComposeMapping;

  test('mappings merge by key, sequences append, command is replaced, environment merges by name', () => {
    const merged = serviceOf(mergeComposeForInspection(base, `
services:
  app:
    command: ["echo", "bar"]
    environment: [BAR=local, BAZ=local]
    dns: [8.8.8.8]
    networks: { back: {} }
`), 'app');
    expect(merged.command).toEqual(['echo', 'bar']);
    expect(merged.environment).toEqual({ FOO: 'original', BAR: 'local', BAZ: 'local' });
    expect(merged.dns).toEqual(['1.1.1.1', '8.8.8.8']);
    expect(merged.networks).toEqual({ front: null, back: {} });
  });

  test('!reset removes an attribute, !override replaces it', () => {
    const merged = serviceOf(mergeComposeForInspection(base, `
services:
  app:
    ports: !reset []
    labels: !override { c: "3" }
`), 'app');
    expect(merged.ports).toBeUndefined();
    expect(merged.labels).toEqual({ c: '3' });
  });

  test('interpolation: defaults, required, $$ escapes', () => {
    expect(interpolateString('${A:-x} ${B-y} ${C} $$D $E', { A: '', B: '', C: 'c', E: 'e' })).toBe('x  c $D e');
    expect(() => interpolateString('${NEEDED:?set NEEDED in Dokploy}', {}, 'services.kestra.environment.X')).toThrow(/NEEDED is missing a value: set NEEDED in Dokploy/);
  });

  // Compose spec, Interpolation: `${VAR:+alt}` is alt when VAR is set and non-empty, `${VAR+alt}` when set.
  // https://github.com/compose-spec/compose-spec/blob/main/spec.md#interpolation
  test('alternative values: ${VAR:+alt} and ${VAR+alt}, on both sides of set / empty / unset', () => {
    expect(interpolateString('[${A:+a}][${B:+b}][${C:+c}]', { A: 'x', B: '' })).toBe('[a][][]');
    expect(interpolateString('[${A+a}][${B+b}][${C+c}]', { A: 'x', B: '' })).toBe('[a][b][]');
  });
});
