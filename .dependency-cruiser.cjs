/**
 * The architecture of the harness, checked by dependency-cruiser (`npm run check:layers`, part of
 * `npm test`). Each folder of helpers/ plays one role, and imports run one way, from the tools
 * down to the contract:
 *
 *   spec, config  ←  kestra-model  ←  clients | standins  ←  targets  ←  scenarios  ←  tools
 *                                                                   ←  tests/support  ←  tests
 *
 *   helpers/spec/          the contract: SPEC.md as data, the only source of business facts
 *   helpers/config/        the harness's environment variables (names, docs, parsing)
 *   helpers/kestra-model/  what Kestra is, shared by the linter and the stand-in: catalog, Pebble,
 *                          the repository's flow files, the compose file's ${VAR} syntax
 *   helpers/clients/       one module per real service (Kestra, Notion, Resend, Dokploy), redaction
 *   helpers/standins/      local HTTP servers that speak those services' APIs, and the stack of them
 *   helpers/targets/       where a run happens (local, container, remote): one Target type
 *   helpers/scenarios/     the behaviour under test told once (webhook story, funnel journey,
 *                          expectations from the spec), for specs, verify and smoke
 *   helpers/tools/         the commands: lint, gate, smoke, report, verify, cli entry points
 *   tests/support/         Playwright fixtures and fakes shared by the specs
 *
 * A rule below names what a layer must NOT import; the message says why.
 */
// dependency-cruiser parses TypeScript through the `typescript` package's JavaScript API. TypeScript 7
// (the native compiler, used for the typecheck as `typescript-native`) has no such API, and with it
// the check silently cruised only the .js/.mjs files (14 modules instead of ~400): refuse to run instead.
if (typeof require('typescript').createSourceFile !== 'function') {
  throw new Error(`.dependency-cruiser.cjs: the installed "typescript" (${require('typescript').version}) has no JavaScript API; the layer check needs TypeScript 5.x as "typescript"`);
}

const layer = (name) => `^helpers/${name}/`;
const allBut = (...allowed) => `^helpers/(?!(${allowed.join('|')})/)`;

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle makes modules impossible to read, test or load on their own.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'spec-is-the-bottom',
      severity: 'error',
      comment: 'The contract states business facts only; it knows nothing of Kestra, services or tools.',
      from: { path: layer('spec') },
      to: { path: allBut('spec') },
    },
    {
      name: 'config-is-the-bottom',
      severity: 'error',
      comment: 'The harness variables are read by every layer, so they import only the contract.',
      from: { path: layer('config') },
      to: { path: allBut('config', 'spec') },
    },
    {
      name: 'kestra-model-knows-only-the-contract',
      severity: 'error',
      comment: 'What Kestra is (catalog, Pebble, flow files) is shared by linter and stand-in; it must not depend on either, nor on any client.',
      from: { path: layer('kestra-model') },
      to: { path: allBut('kestra-model', 'spec', 'config') },
    },
    {
      name: 'clients-talk-to-real-services-only',
      severity: 'error',
      comment: 'A client speaks to the real service; it never reaches into a stand-in, a target, a scenario or a tool.',
      from: { path: layer('clients') },
      to: { path: allBut('clients', 'kestra-model', 'spec', 'config') },
    },
    {
      name: 'standins-imitate-without-clients',
      severity: 'error',
      comment: 'A stand-in implements the API from the model of the service; using the harness client would let both drift together.',
      from: { path: layer('standins') },
      to: { path: allBut('standins', 'kestra-model', 'spec', 'config') },
    },
    {
      name: 'targets-wire-clients-and-standins',
      severity: 'error',
      comment: 'A target decides where a run happens; what is run (scenarios) and who runs it (tools) sit above it.',
      from: { path: layer('targets') },
      to: { path: allBut('targets', 'clients', 'standins', 'kestra-model', 'spec', 'config') },
    },
    {
      name: 'scenarios-below-tools',
      severity: 'error',
      comment: 'Scenarios are told once and asserted on by specs, verify and smoke; they must not depend on those tools.',
      from: { path: layer('scenarios') },
      to: { path: allBut('scenarios', 'targets', 'clients', 'standins', 'kestra-model', 'spec', 'config') },
    },
    {
      name: 'scenarios-without-playwright',
      severity: 'error',
      comment: 'A scenario returns structured results (records and checks); verify and the smoke run it outside any test runner, so it must not import Playwright Test (expect, test, TestInfo). Specs assert with tests/support/checks.ts. Driving a browser is a client library: the funnel drivers use playwright-core.',
      from: { path: layer('scenarios') },
      to: { path: '(^|/)node_modules/(@playwright/test|playwright)/' },
    },
    {
      name: 'helpers-never-import-tests',
      severity: 'error',
      comment: 'The library stands on its own; tests (and their support) sit on top of it.',
      from: { path: '^helpers/' },
      to: { path: '^tests/' },
    },
    {
      name: 'support-is-not-a-spec',
      severity: 'error',
      comment: 'tests/support is shared by the specs; it must not import a spec file.',
      from: { path: '^tests/support/' },
      to: { path: '\\.spec\\.ts$' },
    },
    {
      name: 'unit-specs-use-the-browserless-test',
      severity: 'error',
      comment: "A unit spec takes test and expect from tests/support/unit-test.ts: @playwright/test's own test sets up its browser fixtures around every test (about 22 ms of CPU each, half the unit run). Driving Chromium from a unit spec: import chromium from playwright-core.",
      from: { path: '^tests/unit/' },
      to: { path: '(^|/)node_modules/@playwright/test/' },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing breaks at run time.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // node_modules is not excluded (only not followed): the rules that forbid a package need its modules in the graph.
    exclude: { path: '^(reports|test-results|\\.cache)/' },
    // Type-only imports are dependencies too: a cycle or a layer breach through types is still one.
    tsPreCompilationDeps: true,
    // No tsConfig: tsconfig.json declares no `paths` or `baseUrl`, so it would change no resolution,
    // and dependency-cruiser would route every resolve through its tsconfig-paths plugin (same graph
    // without it: 406 modules, 1,693 dependencies). Add it back with the first `paths` entry.
    // `module` as a fallback main field: some packages (@allurereport/core) declare only `exports` and `module`.
    enhancedResolveOptions: { extensions: ['.ts', '.mts', '.js', '.mjs', '.d.mts', '.json'], mainFields: ['main', 'module'] },
  },
};
