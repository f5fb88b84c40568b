/**
 * Kestra stand-in: a real HTTP server on 127.0.0.1 that speaks the parts of Kestra 1.x's REST API
 * the harness uses (api.ts) and RUNS the flows of this repository (engine.ts) — offline, in
 * milliseconds, with a virtual clock that fast-forwards scheduled emails. It never replaces the
 * real-Kestra tier: it proves the flows' logic, not that Kestra accepts them.
 *
 *   const kestra = await startKestraStandin({ env: { ...secretEnv({ NOTION_TOKEN: 't' }), ENV_NOTION_API_URL: notion.url } });
 *   await fetch(`${kestra.url}${webhookPath(WEBHOOK_HANDLERS.signup, key)}`, { method: 'POST', body: … });
 *   await kestra.settle();
 *   await kestra.clock.advance({ hours: 120 });     // scheduled children run, in date order
 *   kestra.executions({ flowId: 'send-email' });   // plain Kestra execution JSON
 *   await kestra.stop();
 *
 * Options (all optional):
 *   port (0: a free port) · host ('127.0.0.1')
 *   env          the container's environment: SECRET_<NAME> (base64) and ENV_<NAME>; never process.env
 *   flows        'repository' (default: every flow under kestra/flows), a list of RepositoryFlow or
 *                of YAML sources, or false for none. A flow outside the supported subset fails
 *                startup naming the feature (support.ts).
 *   auth         {username, password} (default KESTRA_STANDIN_DEFAULT_AUTH) or false — webhooks,
 *                /api/v1/configs, /health and /ping are always open, as Kestra's open-urls
 *   clock        'virtual' (default: frozen until advanced) or 'real' (wall time, a timer releases
 *                scheduled executions) · startAt (the clock's start; default now)
 *   retryDelayScale  multiplies task retry waits, which run on the REAL timer (default 1; tests 0.001)
 *   httpTimeoutMs    read timeout of HTTP Request tasks (default 10 000, Kestra's client default)
 *   maxBodyBytes     request body limit (default 10 MiB) → 413
 *   idSeed           makes execution/task-run ids reproducible
 *   settleTimeoutMs  settle() gives up after this long (default 30 000)
 *
 * Test-only endpoints (never under /api, no auth — a path Kestra does not have):
 *   GET  /__standin/clock                 → {mode, now, scheduled: [{id, namespace, flowId, scheduleDate}]}
 *   POST /__standin/clock/advance  {"ms"|"seconds"|"minutes"|"hours"|"days": n} or {"to": ISO}
 *                                         → {now, released: [ids in release order]}
 *   POST /__standin/settle                → {now} once nothing runs (scheduled executions excluded)
 *   GET  /__standin/executions            → {executions: [...]} every execution, oldest first
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { repositoryFlows, type RepositoryFlow } from '../../kestra-model/repository-flows.js';
import { isJsonObject, parseJson, readBody } from '../http/body.js';
import { startHttpServer } from '../http/server.js';
import { createApiHandler, HttpError, sendJsonError, sendKestraJson } from './api.js';
import { StandinClock, type ClockMode } from './clock.js';
import type { ExecutionRecord } from './records.js';
import { KillableEngine } from './kill.js';
import { KestraEnvironment } from './environment.js';
import { FlowStore, FlowValidationError } from './flow-store.js';
import { createIdGenerator } from './ids.js';
import type { ExecutionJson, LogEntryJson, StateType } from './model.js';

export { secretEnv, KestraEnvironment } from './environment.js';
export { SUPPORTED_TASK_TYPES, SUPPORTED_TRIGGER_TYPES, SUPPORTED_INPUT_TYPES, SUPPORTED_TASK_PROPERTIES, unsupportedFeatures } from './support.js';
export type { ExecutionJson, LogEntryJson, StateType, TaskRunJson, WebhookResponseJson, Label } from './model.js';
export { FlowValidationError } from './flow-store.js';

export const KESTRA_STANDIN_VERSION = '1.3.0';
export { KESTRA_STANDIN_DEFAULT_AUTH } from './default-auth.js';
import { KESTRA_STANDIN_DEFAULT_AUTH } from './default-auth.js';
export const KESTRA_STANDIN_MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface KestraStandinOptions {
  port?: number;
  host?: string;
  env?: Readonly<Record<string, string>>;
  flows?: readonly RepositoryFlow[] | readonly string[] | 'repository' | false;
  auth?: { username: string; password: string } | false;
  clock?: ClockMode;
  startAt?: Date;
  retryDelayScale?: number;
  httpTimeoutMs?: number;
  maxBodyBytes?: number;
  idSeed?: string;
  settleTimeoutMs?: number;
}

/** A duration for clock.advance: milliseconds, or named units that add up. */
export type ClockStep = number | { ms?: number; seconds?: number; minutes?: number; hours?: number; days?: number };

export interface ExecutionFilter {
  namespace?: string;
  flowId?: string;
  state?: StateType | readonly StateType[];
  /** Children of this execution (trigger.variables.executionId). */
  parentId?: string;
  label?: { key: string; value: string };
}

export interface DeployedFlowSummary {
  namespace: string;
  id: string;
  revision: number;
}

export interface KestraStandin {
  /** Base URL, no trailing slash: point the harness's Kestra client here. */
  readonly url: string;
  /** The Basic credentials the API wants, or false when auth is off. */
  readonly auth: { username: string; password: string } | false;
  readonly clock: {
    readonly mode: ClockMode;
    now(): Date;
    /** Moves time forward, running what falls due in date order; the released execution ids. */
    advance(step: ClockStep): Promise<string[]>;
    advanceTo(date: Date | string): Promise<string[]>;
  };
  /** Executions as the API serves them, oldest first, optionally filtered. */
  executions(filter?: ExecutionFilter): ExecutionJson[];
  execution(id: string): ExecutionJson | undefined;
  /** Logs of one execution, oldest first. */
  logs(executionId: string): LogEntryJson[];
  /** Resolves when nothing runs (executions waiting for their scheduleDate excluded). */
  settle(): Promise<void>;
  /** Deploys (creates or updates) one flow from YAML; throws FlowValidationError naming every problem. */
  deploy(yaml: string): DeployedFlowSummary;
  flows(): DeployedFlowSummary[];
  /** Starts an execution directly (no webhook): inputs are read against the flow's inputs. */
  run(namespace: string, flowId: string, inputs?: Record<string, unknown>): ExecutionJson;
  /** Engine bugs caught (each FAILED its execution) and HTTP handler crashes: both should stay empty. */
  crashes(): unknown[];
  stop(): Promise<void>;
}

export function stepToMs(step: ClockStep): number {
  if (typeof step === 'number') return step;
  return (step.ms ?? 0) + (step.seconds ?? 0) * 1000 + (step.minutes ?? 0) * 60_000 + (step.hours ?? 0) * 3_600_000 + (step.days ?? 0) * 86_400_000;
}

function matches(e: ExecutionRecord, f: ExecutionFilter): boolean {
  if (f.namespace !== undefined && e.flow.namespace !== f.namespace) return false;
  if (f.flowId !== undefined && e.flow.id !== f.flowId) return false;
  if (f.state !== undefined) {
    const states: readonly StateType[] = typeof f.state === 'string' ? [f.state as StateType] : (f.state as readonly StateType[]);
    if (!states.includes(e.state.current)) return false;
  }
  if (f.parentId !== undefined && e.parentExecutionId !== f.parentId) return false;
  if (f.label && !e.labels.some((l) => l.key === f.label!.key && l.value === f.label!.value)) return false;
  return true;
}

const ADVANCE_KEYS = ['ms', 'seconds', 'minutes', 'hours', 'days', 'to'] as const;

export async function startKestraStandin(options: KestraStandinOptions = {}): Promise<KestraStandin> {
  const auth = options.auth === undefined ? { ...KESTRA_STANDIN_DEFAULT_AUTH } : options.auth;
  const retryDelayScale = options.retryDelayScale ?? 1;
  if (!(retryDelayScale >= 0) || !Number.isFinite(retryDelayScale)) throw new Error(`Kestra stand-in: retryDelayScale must be a number ≥ 0 (got ${String(options.retryDelayScale)})`);
  const clock = new StandinClock(options.clock ?? 'virtual', options.startAt);
  let baseUrl = '';
  const engine = new KillableEngine({
    env: new KestraEnvironment(options.env ?? {}),
    clock,
    newId: createIdGenerator(options.idSeed),
    retryDelayScale,
    httpTimeoutMs: options.httpTimeoutMs ?? 10_000,
    uiBaseUrl: () => baseUrl,
    settleTimeoutMs: options.settleTimeoutMs ?? 30_000,
  });

  // Deploy first: a flow the stand-in cannot run fails startup, before any port is taken.
  const sources: { label: string; source: string; parsedYaml?: { document: unknown } }[] =
    options.flows === false
      ? []
      : options.flows === undefined || options.flows === 'repository'
        ? // read and parsed together just now: the definition is the source's
          repositoryFlows().map((f) => ({ label: f.file, source: f.source, parsedYaml: { document: f.definition } }))
        : options.flows.map((f, i) => (typeof f === 'string' ? { label: `flow #${i}`, source: f } : { label: f.file, source: f.source }));
  for (const { label, source, parsedYaml } of sources) {
    try {
      engine.flows.create(source, parsedYaml);
    } catch (error) {
      if (error instanceof FlowValidationError) throw new FlowValidationError(error.violations.map((v) => ({ ...v, path: `${label}: ${v.path}` })));
      throw error;
    }
  }

  const control = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    if (!url.pathname.startsWith('/__standin/')) return false;
    const method = req.method ?? 'GET';
    const route = url.pathname.slice('/__standin/'.length).replace(/\/+$/, '');
    const bad = (status: number, error: string) => sendKestraJson(res, status, { error });
    if (route === 'clock' && method === 'GET') {
      sendKestraJson(res, 200, {
        mode: clock.mode,
        now: clock.now().toISOString(),
        scheduled: engine.scheduled().map((e) => ({ id: e.id, namespace: e.flow.namespace, flowId: e.flow.id, scheduleDate: e.scheduleDate!.toISOString() })),
      });
      return true;
    }
    if (route === 'clock/advance' && method === 'POST') {
      const body = await readBody(req, 64 * 1024);
      if (body.kind !== 'ok') return (bad(400, 'clock/advance: body missing or larger than 64 KiB'), true);
      const parsed = parseJson(body.text || '{}');
      if (!parsed.ok || !isJsonObject(parsed.value)) return (bad(400, 'clock/advance: body must be a JSON object, e.g. {"hours": 24} or {"to": "2025-12-06T10:30:00Z"}'), true);
      const spec = parsed.value;
      const keys = Object.keys(spec);
      if (keys.length !== 1 || !(ADVANCE_KEYS as readonly string[]).includes(keys[0]!)) {
        return (bad(400, `clock/advance: give exactly one of ${ADVANCE_KEYS.join(', ')} (got ${keys.join(', ') || 'none'})`), true);
      }
      const key = keys[0] as (typeof ADVANCE_KEYS)[number];
      let released: string[];
      try {
        if (key === 'to') {
          const to = typeof spec.to === 'string' ? new Date(spec.to) : new Date(Number.NaN);
          if (Number.isNaN(to.getTime())) return (bad(400, `clock/advance: "to" must be an ISO-8601 date-time (got ${JSON.stringify(spec.to)})`), true);
          released = await engine.advanceTo(to);
        } else {
          const n = spec[key];
          if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) return (bad(400, `clock/advance: "${key}" must be a number ≥ 0 (got ${JSON.stringify(n)})`), true);
          released = await engine.advance(stepToMs({ [key]: n }));
        }
      } catch (error) {
        return (bad(500, `clock/advance: ${(error as Error).message}`), true);
      }
      sendKestraJson(res, 200, { now: clock.now().toISOString(), released });
      return true;
    }
    if (route === 'settle' && method === 'POST') {
      try {
        await engine.settle();
      } catch (error) {
        return (bad(504, (error as Error).message), true);
      }
      sendKestraJson(res, 200, { now: clock.now().toISOString() });
      return true;
    }
    if (route === 'executions' && method === 'GET') {
      const now = clock.now();
      sendKestraJson(res, 200, { executions: engine.executions().map((e) => e.toJson(now)) });
      return true;
    }
    bad(404, `no test-only endpoint ${method} ${url.pathname} (see helpers/standins/kestra/index.ts)`);
    return true;
  };

  const handle = createApiHandler({
    engine,
    auth,
    maxBodyBytes: options.maxBodyBytes ?? KESTRA_STANDIN_MAX_BODY_BYTES,
    version: KESTRA_STANDIN_VERSION,
    control,
  });
  const server = await startHttpServer({
    name: 'Kestra stand-in',
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.host !== undefined ? { host: options.host } : {}),
    handle,
    onCrash: (res, error) =>
      sendJsonError(res, { url: '/' } as IncomingMessage, new HttpError(500, `Internal server error: ${error instanceof Error ? error.message : String(error)}`)),
  });
  baseUrl = server.url;

  const summary = (f: { namespace: string; id: string; revision: number }): DeployedFlowSummary => ({ namespace: f.namespace, id: f.id, revision: f.revision });
  return {
    url: server.url,
    auth,
    clock: {
      mode: clock.mode,
      now: () => clock.now(),
      advance: (step) => engine.advance(stepToMs(step)),
      advanceTo: (date) => engine.advanceTo(new Date(date)),
    },
    executions: (filter = {}) => {
      const now = clock.now();
      return engine.executions().filter((e) => matches(e, filter)).map((e) => e.toJson(now));
    },
    execution: (id) => engine.execution(id)?.toJson(clock.now()),
    logs: (id) => [...(engine.execution(id)?.logs ?? [])],
    settle: () => engine.settle(),
    deploy: (yaml) => {
      const parsed = engine.flows.get(...idOf(yaml));
      return summary(parsed ? engine.flows.update(parsed.namespace, parsed.id, yaml) : engine.flows.create(yaml));
    },
    flows: () => engine.flows.list().map(summary),
    run: (namespace, flowId, inputs = {}) => engine.startExecution(namespace, flowId, inputs).toJson(clock.now()),
    crashes: () => [...engine.crashes(), ...server.crashes()],
    stop: async () => {
      engine.stop();
      await server.stop();
    },
  };
}

/** (namespace, id) of a YAML flow, for deploy's create-or-update choice ('' when unreadable: create reports it). */
function idOf(yaml: string): [string, string] {
  try {
    const flow = FlowStore.parse(yaml);
    return [flow.namespace, flow.id];
  } catch {
    return ['', ''];
  }
}
