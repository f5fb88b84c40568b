import { startLocalStack } from './helpers/standins/stack.js';
import { createKestraClient } from './helpers/kestra/index.js';
import { NotionReadBack } from './helpers/notion/read-back.js';
import { createKestraAdmin } from './helpers/smoke/kestra-admin.js';
import { notionClient } from './helpers/smoke/notion-schema.js';
import { createResendReadBack } from './helpers/resend/index.js';
import { runSmoke, smokeSummary } from './helpers/smoke/run.js';
import { testIdentityFor } from './helpers/spec/index.js';
import type { Target } from './helpers/targets/types.js';

const stack = await startLocalStack({ retryDelayScale: 0.01 });
const auth = stack.credentials.kestra || undefined;
const kestra = createKestraClient({ baseUrl: stack.kestra.url, auth });
const notion = new NotionReadBack({ token: stack.notion.token, dataSourceIds: { ...stack.notion.dataSourceIds }, baseUrl: stack.notion.url });
const target: Target = {
  name: 'local', timing: 'production', kestra, webhookKey: (w) => stack.webhookKeys[w], notion,
  clock: { now: () => stack.kestra.clock.now(), advance: async (ms) => { await stack.kestra.clock.advance({ ms }); await stack.kestra.settle(); } },
  outbox: null, faults: null, secrets: () => [], describe: async () => ({}), stop: () => stack.stop(),
};
const deps = {
  target, admin: createKestraAdmin({ baseUrl: stack.kestra.url, auth }),
  notionSchema: { client: notionClient({ token: stack.notion.token, baseUrl: stack.notion.url }), dataSourceIds: stack.notion.dataSourceIds },
  resend: createResendReadBack({ apiKey: stack.resend.apiKey, baseUrl: stack.resend.url }),
  log: (l: string) => console.log(l),
};
const file = '/tmp/scratch/ledger.json';
const t0 = Date.now();
const r1 = await runSmoke(deps, { runId: 'smoke-a', email: testIdentityFor('smoke-a'), ledgerFile: file });
console.log(smokeSummary(r1));
await target.clock.advance!(8 * 24 * 3600_000);
const r2 = await runSmoke(deps, { runId: 'smoke-b', email: testIdentityFor('smoke-b'), ledgerFile: file });
console.log(smokeSummary(r2));
console.log('ms', Date.now() - t0);
await stack.stop();
