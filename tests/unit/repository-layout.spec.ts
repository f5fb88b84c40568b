/**
 * The product's files hold together: every flow parses and sits where its namespace and id say,
 * the compose file parses and every variable it reads is documented, and every variable the
 * harness reads is documented too. (The linter adds the Kestra-specific rules.)
 */
import { test, expect } from '../support/unit-test.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repositoryFlows, REPOSITORY_ROOT } from '../../helpers/kestra-model/repository-flows.js';
import { composeVariableUses, documentedVariables } from '../../helpers/kestra-model/compose-variables.js';
import { HARNESS_VARIABLES } from '../../helpers/config/variables.js';
import { WEBHOOK_HANDLERS, NAMESPACES } from '../../helpers/spec/index.js';

const read = (file: string) => readFileSync(join(REPOSITORY_ROOT, file), 'utf8');
const flows = repositoryFlows();

test('the repository holds the flows the design names', () => {
  const ids = flows.map((f) => `${f.namespace}/${f.id}`);
  for (const required of ['christmas/health-check', 'christmas/send-email', 'christmas/schedule-email-sequence']) expect(ids).toContain(required);
  for (const handler of Object.values(WEBHOOK_HANDLERS)) expect(ids).toContain(`${handler.namespace}/${handler.flowId}`);
  expect(flows.filter((f) => f.namespace === NAMESPACES.tasks).length).toBeGreaterThanOrEqual(6);
});

for (const flow of flows) {
  test(`${flow.file}: namespace and id match its folder and file name`, () => {
    expect(flow.namespace, 'namespace').toBe(flow.folderNamespace);
    expect(flow.id, 'id').toBe(flow.fileId);
    expect(Array.isArray(flow.definition.tasks) && flow.definition.tasks.length > 0, 'has tasks').toBe(true);
  });

  test(`${flow.file}: starts with a comment stating its contract`, () => {
    expect(flow.source.startsWith('# Contract — ')).toBe(true);
  });
}

test('the compose file parses and every variable it reads is in .env.example', () => {
  const source = read('docker-compose.kestra.dokploy.yml');
  const compose = parse(source) as { services: Record<string, unknown> };
  expect(Object.keys(compose.services).sort()).toEqual(['kestra', 'postgres']);
  const documented = documentedVariables(read('.env.example'));
  const uses = composeVariableUses(source);
  expect(uses.length).toBeGreaterThan(10);
  const undocumented = uses.filter((u) => !documented.has(u.name)).map((u) => `${u.name} (line ${u.line})`);
  expect(undocumented).toEqual([]);
});

test('every secret the compose file passes to Kestra is required, never defaulted', () => {
  const secrets = composeVariableUses(read('docker-compose.kestra.dokploy.yml')).filter((u) => u.name.startsWith('SECRET_') || u.name.endsWith('PASSWORD'));
  expect(secrets.length).toBeGreaterThan(0);
  expect(secrets.filter((u) => u.kind !== 'required').map((u) => u.name)).toEqual([]);
});

// Kestra's image runs as the non-root user `kestra` (Dockerfile: `USER kestra`), and a fresh named
// volume mounts owned by root, so Kestra could not write to storage or its working directory.
// Kestra's own compose file (https://github.com/kestra-io/kestra/blob/develop/docker-compose.yml)
// runs the service as `user: "root"`; ours does the same.
test('the kestra service runs as root whenever it mounts a named volume (as Kestra\'s own compose file does)', () => {
  const compose = parse(read('docker-compose.kestra.dokploy.yml')) as {
    services: Record<string, { user?: string | number; volumes?: string[] }>;
    volumes?: Record<string, unknown>;
  };
  const kestra = compose.services.kestra!;
  const named = (kestra.volumes ?? []).map((v) => v.split(':')[0]!).filter((source) => source in (compose.volumes ?? {}));
  expect(named.sort()).toEqual(['kestra-storage', 'kestra-tmp']);
  expect(['root', '0', 0]).toContain(kestra.user);
});

test('every variable the harness reads is documented in .env.example', () => {
  const documented = documentedVariables(read('.env.example'));
  expect(HARNESS_VARIABLES.map((v) => v.name).filter((name) => !documented.has(name))).toEqual([]);
});

test('composeVariableUses tells required, defaulted and plain references apart and skips $$', () => {
  const uses = composeVariableUses('a: ${A:?x}\nb: ${B:-y}\nc: $C\nd: $${NOT_ME}\n# e: ${COMMENTED}\n');
  expect(uses).toEqual([
    { name: 'A', kind: 'required', line: 1 },
    { name: 'B', kind: 'defaulted', line: 2 },
    { name: 'C', kind: 'plain', line: 3 },
  ]);
});

test('specs leave nothing in /tmp: temporary folders are made inside a test or hook and removed', () => {
  // A folder made at a spec file's top level is also made when the runner loads the file to list
  // its tests, where no afterAll removes it (this left /tmp/report-redaction-* behind on every run).
  const dir = join(REPOSITORY_ROOT, 'tests/unit');
  const offenders: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(join(dir, file), 'utf8');
    if (/^\S.*mkdtempSync\(/m.test(source)) offenders.push(`${file}: mkdtempSync at the top level`);
    if (/mkdtempSync\(/.test(source) && !/rmSync\(/.test(source)) offenders.push(`${file}: makes a temporary folder and never removes one`);
  }
  expect(offenders).toEqual([]);
});

test('.env.example keeps each group together: the API base URLs follow their comment, nothing in between', () => {
  const lines = read('.env.example').split('\n');
  const at = lines.findIndex((l) => l.startsWith('# API base URLs the flows call'));
  // The comment may run on; the first two variable lines after it are the group's.
  const variables = lines.slice(at + 1).filter((l) => /^#? ?[A-Z][A-Z0-9_]*=/.test(l)).slice(0, 2);
  expect(variables.map((l) => l.replace(/=.*/, ''))).toEqual(['# NOTION_API_URL', '# RESEND_API_URL']);
});
