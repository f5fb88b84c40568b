/**
 * `npm run bench:lint` — how fast the linter is. Prints figures; asserts nothing (not a timed test).
 *
 * 1. Start-up: bare `node -e 0` against linting this repository through the fast launcher
 *    (`node helpers/tools/lint/launcher.mjs`, a cached esbuild bundle) and through tsx
 *    (`tsx helpers/tools/cli/lint.ts`, the npm script as first written). Target: at most +200 ms.
 * 2. Scale: generated repositories of 250, 500, 1,000 and 2,000 flows (the shapes of this
 *    project's flows: inputs, HTTP requests with Pebble, If/Switch, Subflow calls, webhooks) linted
 *    with the project profile through the launcher. Target: 1,000 flows in at most 3 s, linear.
 *
 * Options: --runs <n> (start-up samples, default 11), --sizes 250,500,1000,2000, --keep (keep the corpus),
 * --json (also print one JSON object of the figures as the last stdout line; `npm run bench` reads it).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from '../bench/stats.js';
import { SEQUENCE_TYPES } from '../../spec/index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const LAUNCHER = join(ROOT, 'helpers/tools/lint/launcher.mjs');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const CLI = join(ROOT, 'helpers/tools/cli/lint.ts');

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const RUNS = Number(option('--runs', '11'));
const SIZES = option('--sizes', '250,500,1000,2000').split(',').map(Number);
const KEEP = process.argv.includes('--keep');
const JSON_OUT = process.argv.includes('--json');

/**
 * A preload that reports the process's own CPU time (user + system, all threads) at exit: wall
 * time on a shared 2-core machine mostly measures the neighbours, CPU time measures the linter.
 */
const CPU_PRELOAD = join(mkdtempSync(join(tmpdir(), 'lint-bench-cpu-')), 'cpu.cjs');
writeFileSync(CPU_PRELOAD, "process.on('exit', () => { const u = process.cpuUsage(); require('fs').writeSync(2, '\\nBENCH_CPU ' + ((u.user + u.system) / 1000) + '\\n'); });\n");

interface Timing {
  ms: number;
  cpu: number;
  code: number | null;
}

/** Runs `node [args]` (through tsx's node when `viaTsx`), measuring wall and CPU time. */
function timeRun(args: string[], cwd: string, viaTsx = false): Timing {
  const start = process.hrtime.bigint();
  const env = { ...process.env, NO_COLOR: '1', NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${CPU_PRELOAD}`.trim() };
  const r = viaTsx
    ? spawnSync(TSX, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], env })
    : spawnSync(process.execPath, ['--require', CPU_PRELOAD, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const stderr = r.stderr.toString();
  if (r.status === 2) throw new Error(`${args.join(' ')} failed: ${stderr.trim()}`);
  // tsx runs two node processes (its CLI and the child): add up every report
  const cpu = [...stderr.matchAll(/BENCH_CPU ([\d.]+)/g)].reduce((a, m) => a + Number(m[1]), 0);
  return { ms, cpu, code: r.status };
}

const fmt = (ms: number) => `${ms.toFixed(0).padStart(6)} ms`;

// --- 1. start-up ----------------------------------------------------------------------------
interface StartupFigures {
  runs: number;
  bare: { wallMs: number; cpuMs: number };
  launcher: { wallMs: number; cpuMs: number; bestAddedMs: number };
  tsx: { wallMs: number; cpuMs: number };
}

function startup(): StartupFigures {
  timeRun([LAUNCHER, '--help'], ROOT); // builds the cached bundle and its code cache if stale
  timeRun([LAUNCHER], ROOT);
  const samples: Record<string, Timing[]> = { bare: [], launcher: [], tsx: [] };
  for (let i = 0; i < RUNS; i++) {
    samples.bare!.push(timeRun(['-e', '0'], ROOT));
    samples.launcher!.push(timeRun([LAUNCHER], ROOT));
    samples.tsx!.push(timeRun([CLI], ROOT, true));
  }
  const wall = (k: string) => median(samples[k]!.map((t) => t.ms));
  const cpu = (k: string) => median(samples[k]!.map((t) => t.cpu));
  const best = (k: string) => Math.min(...samples[k]!.map((t) => t.ms));
  console.log(`Start-up, linting this repository (median of ${RUNS}, interleaved; load average ${loadavg()[0]!.toFixed(2)} on ${cpus().length} CPUs):`);
  console.log(`  ${'command'.padEnd(32)} ${'wall'.padStart(9)} ${'cpu'.padStart(9)}   added to bare node (wall median / best wall / cpu)`);
  console.log(`  ${'node -e 0'.padEnd(32)} ${fmt(wall('bare'))} ${fmt(cpu('bare'))}`);
  for (const [name, label] of [['launcher', 'node helpers/tools/lint/launcher.mjs'], ['tsx', 'tsx helpers/tools/cli/lint.ts']] as const) {
    console.log(`  ${label.padEnd(32)} ${fmt(wall(name))} ${fmt(cpu(name))}   +${(wall(name) - wall('bare')).toFixed(0)} / +${(best(name) - best('bare')).toFixed(0)} / +${(cpu(name) - cpu('bare')).toFixed(0)} ms`);
  }
  console.log('');
  return {
    runs: RUNS,
    bare: { wallMs: wall('bare'), cpuMs: cpu('bare') },
    launcher: { wallMs: wall('launcher'), cpuMs: cpu('launcher'), bestAddedMs: best('launcher') - best('bare') },
    tsx: { wallMs: wall('tsx'), cpuMs: cpu('tsx') },
  };
}

// --- 2. generated corpus ----------------------------------------------------------------------
const SEQUENCES = SEQUENCE_TYPES;

function flowYaml(ns: string, id: string, i: number, callees: string[]): string {
  const hasWebhook = i % 5 === 0;
  const calls = callees
    .map(
      (c, k) => `
  - id: call_${k}
    type: io.kestra.plugin.core.flow.Subflow
    namespace: ${ns}
    flowId: ${c}
    inputs:
      email: "{{ inputs.email }}"
      first_name: "{{ inputs.first_name }}"`,
    )
    .join('\n');
  return `# generated flow ${i} (lint benchmark)
id: ${id}
namespace: ${ns}

inputs:
  - id: email
    type: STRING
    validator: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$'
  - id: first_name
    type: STRING
  - id: kind
    type: SELECT
    values: ${JSON.stringify(SEQUENCES)}
    defaults: "${SEQUENCES[i % 4]}"

pluginDefaults:
  - type: io.kestra.plugin.core.http.Request
    values:
      headers:
        Authorization: "Bearer {{ secret('NOTION_TOKEN') }}"
        Notion-Version: "2025-09-03"

tasks:
  - id: find_contact
    type: io.kestra.plugin.core.http.Request
    uri: "{{ envs.notion_api_url }}/v1/data_sources/{{ secret('NOTION_CONTACTS_DATA_SOURCE_ID') }}/query"
    method: POST
    body: "{{ {'filter': {'property': 'Email', 'email': {'equals': inputs.email}}, 'page_size': 1} | toJson }}"

  - id: contact
    type: io.kestra.plugin.core.output.OutputValues
    values:
      found: "{{ fromJson(outputs.find_contact.body).results | length > 0 }}"
      name: "{{ inputs.first_name | trim | capitalize }}"

  - id: when_found
    type: io.kestra.plugin.core.flow.If
    condition: "{{ outputs.contact.values.found == 'true' }}"
    then:
      - id: update_contact
        type: io.kestra.plugin.core.http.Request
        uri: "{{ envs.notion_api_url }}/v1/pages/{{ (fromJson(outputs.find_contact.body).results | first).id }}"
        method: PATCH
        body: "{{ {'properties': {'First Name': {'rich_text': [{'text': {'content': outputs.contact.values.name}}]}}} | toJson }}"
    else:
      - id: create_contact
        type: io.kestra.plugin.core.http.Request
        uri: "{{ envs.notion_api_url }}/v1/pages"
        method: POST
        body: "{{ {'parent': {'data_source_id': secret('NOTION_CONTACTS_DATA_SOURCE_ID')}, 'properties': {'Email': {'email': inputs.email}}} | toJson }}"

  - id: by_kind
    type: io.kestra.plugin.core.flow.Switch
    value: "{{ inputs.kind }}"
    cases:
${SEQUENCES.map((s) => `      "${s}":\n        - id: log_${s.replace(/^5/, 'five_')}\n          type: io.kestra.plugin.core.log.Log\n          message: "{{ inputs.kind }} for {{ inputs.email }} at {{ execution.startDate | date('yyyy-MM-dd') }}"`).join('\n')}
${calls}

  - id: done
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.contact.values.found ? 'updated' : 'created' }} {{ inputs.email }}"
${hasWebhook ? `\ntriggers:\n  - id: webhook\n    type: io.kestra.plugin.core.trigger.Webhook\n    key: "{{ secret('WEBHOOK_KEY_SIGNUP') }}"\n` : ''}`;
}

function generate(dir: string, count: number): void {
  cpSync(join(ROOT, 'fixtures/lint/_repo/docker-compose.kestra.dokploy.yml'), join(dir, 'docker-compose.kestra.dokploy.yml'));
  cpSync(join(ROOT, 'fixtures/lint/_repo/.env.example'), join(dir, '.env.example'));
  const perNamespace = 50;
  for (let i = 0; i < count; i++) {
    const group = Math.floor(i / perNamespace);
    const ns = `bench.group${group}`;
    const folder = join(dir, 'kestra/flows/bench', `group${group}`);
    mkdirSync(folder, { recursive: true });
    const callees = i % perNamespace < perNamespace - 2 ? [`flow-${i + 1}`, `flow-${i + 2}`].filter(() => i % 3 === 0) : [];
    writeFileSync(join(folder, `flow-${i}.yml`), flowYaml(ns, `flow-${i}`, i, callees));
  }
}

function scale(): { n: number; ms: number; cpu: number }[] {
  console.log('Generated corpus, project profile, through the launcher (one process per run, median of 3; cpu = user+system of the process):');
  const rows: { n: number; ms: number; cpu: number }[] = [];
  for (const n of SIZES) {
    const dir = mkdtempSync(join(tmpdir(), `lint-bench-${n}-`));
    try {
      generate(dir, n);
      const times = [0, 1, 2].map(() => timeRun([LAUNCHER], dir));
      const ms = median(times.map((t) => t.ms));
      const cpu = median(times.map((t) => t.cpu));
      rows.push({ n, ms, cpu });
      console.log(`  ${String(n).padStart(5)} flows  wall ${fmt(ms)}  cpu ${fmt(cpu)}  ${(cpu / n).toFixed(2)} cpu-ms/flow${KEEP ? `  (${dir})` : ''}`);
    } finally {
      if (!KEEP) rmSync(dir, { recursive: true, force: true });
    }
  }
  const thousand = rows.find((r) => r.n === 1000);
  if (thousand) console.log(`  1,000 flows: ${(thousand.ms / 1000).toFixed(2)} s wall, ${(thousand.cpu / 1000).toFixed(2)} s cpu (target ≤ 3 s)`);
  if (rows.length >= 2) {
    // least-squares line through (flows, cpu): fixed cost + marginal cost per flow
    const n = rows.length;
    const mx = rows.reduce((a, r) => a + r.n, 0) / n;
    const my = rows.reduce((a, r) => a + r.cpu, 0) / n;
    const slope = rows.reduce((a, r) => a + (r.n - mx) * (r.cpu - my), 0) / rows.reduce((a, r) => a + (r.n - mx) ** 2, 0);
    const fixed = my - slope * mx;
    const worst = Math.max(...rows.map((r) => Math.abs(r.cpu - (fixed + slope * r.n)) / r.cpu));
    console.log(`  linear fit: ${fixed.toFixed(0)} ms + ${slope.toFixed(2)} ms/flow (largest deviation from the line ${(worst * 100).toFixed(0)}%)`);
  }
  return rows;
}

try {
  const figures = { startup: startup(), scale: scale() };
  if (JSON_OUT) console.log(JSON.stringify(figures));
} finally {
  rmSync(dirname(CPU_PRELOAD), { recursive: true, force: true });
}
