/** Shared fakes for the Kestra client unit tests: a MockAgent-backed Kestra, a fake clock, JSON builders. */
import { MockAgent, type Interceptable } from 'undici';
import { createKestraClient, type KestraClientOptions, type KestraProgressEvent } from '../../helpers/clients/kestra/index.js';

export const ORIGIN = 'http://kestra.test:8080';
export const MGMT_ORIGIN = 'http://kestra.test:8081';
export const USER = 'admin@galatek.dev';
export const PASSWORD = 'S3cret-Pa55word';
export const WEBHOOK_KEY = 'wk_9f8e7d6c5b4a';
export const BASIC = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
export const JSON_HEADERS = { headers: { 'content-type': 'application/json' } };

export interface FakeClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  slept: number[];
}

/** A clock whose sleep returns at once and moves time forward. */
export function fakeClock(start = Date.parse('2025-12-01T10:00:00Z')): FakeClock {
  let t = start;
  const slept: number[] = [];
  return {
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
    slept,
  };
}

export interface MockKestra {
  agent: MockAgent;
  pool: Interceptable;
  mgmt: Interceptable;
  clock: FakeClock;
  events: KestraProgressEvent[];
  calls: () => { method: string; path: string; search: string; fullUrl: string; headers: Record<string, string | string[]> | null | undefined; body: string | null | undefined }[];
  client: ReturnType<typeof createKestraClient>;
}

export function mockKestra(extra: Partial<KestraClientOptions> = {}): MockKestra {
  const agent = new MockAgent({ enableCallHistory: true });
  agent.disableNetConnect();
  const pool = agent.get(ORIGIN);
  const mgmt = agent.get(MGMT_ORIGIN);
  const clock = fakeClock();
  const events: KestraProgressEvent[] = [];
  const client = createKestraClient({
    baseUrl: ORIGIN,
    auth: { username: USER, password: PASSWORD },
    dispatcher: agent,
    sleep: clock.sleep,
    now: clock.now,
    random: () => 1,
    retry: { attempts: 4, baseDelayMs: 100, maxDelayMs: 1_000 },
    onProgress: (e) => events.push(e),
    ...extra,
  });
  const calls = () =>
    (agent.getCallHistory()?.calls() ?? []).map((c) => ({
      method: c.method,
      path: c.path,
      search: new URL(c.fullUrl).search,
      fullUrl: c.fullUrl,
      headers: c.headers,
      body: c.body,
    }));
  return { agent, pool, mgmt, clock, events, calls, client };
}

/** Matches a request path (query ignored) — undici gives the path with its sorted query string. */
export function pathIs(expected: string): (path: string) => boolean {
  return (path) => path.split('?')[0] === expected;
}

export function query(path: string): URLSearchParams {
  return new URL(path, ORIGIN).searchParams;
}

const T0 = '2025-12-01T10:00:00.000Z';

export function state(current: string, history: string[] = [current]) {
  return {
    current,
    histories: history.map((s, i) => ({ state: s, date: new Date(Date.parse(T0) + i * 1000).toISOString() })),
    startDate: T0,
  };
}

export function execution(overrides: Record<string, unknown> = {}) {
  return {
    id: 'exec1',
    namespace: 'christmas.handlers',
    flowId: 'signup-handler',
    flowRevision: 3,
    tenantId: 'main',
    state: state('RUNNING', ['CREATED', 'RUNNING']),
    taskRunList: [
      { id: 'tr1', executionId: 'exec1', namespace: 'christmas.handlers', flowId: 'signup-handler', taskId: 'validate', state: state('SUCCESS'), outputs: { ok: true } },
    ],
    inputs: { email: 'lengobaosang+t1@gmail.com' },
    labels: [{ key: 'system.correlationId', value: 'exec1' }],
    trigger: { id: 'webhook', type: 'io.kestra.plugin.core.trigger.Webhook', variables: { body: {} } },
    deleted: false,
    ...overrides,
  };
}

/** A child created by a Subflow task of `parentId` (ExecutableUtils#subflowExecution). */
export function subflowChild(id: string, parentId: string, scheduleDate: string, extra: Record<string, unknown> = {}) {
  return execution({
    id,
    namespace: 'christmas',
    flowId: 'send-email',
    state: state('CREATED'),
    taskRunList: [],
    scheduleDate,
    trigger: {
      id: 'schedule_email_2',
      type: 'io.kestra.plugin.core.flow.Subflow',
      variables: { executionId: parentId, namespace: 'christmas.handlers', flowId: 'assessment-handler', flowRevision: 1, taskRunId: `tr-${id}`, taskId: 'schedule' },
    },
    ...extra,
  });
}

export function paged<T>(results: T[], total = results.length) {
  return { results, total };
}
