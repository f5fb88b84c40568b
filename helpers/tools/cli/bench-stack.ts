/**
 * `npm run bench:stack` — the embedded stack's speed figures (a benchmark, not a timed test):
 *
 *   stack up            startLocalStack() until all three answer (cold: first start in the process,
 *                       flows parsed; warm: later starts) — budget ≤ 1 s
 *   webhook → terminal  POST signup webhook until the handler and its subflows are terminal, median
 *                       and p95 over --runs (default 30) — budget ≤ 50 ms median
 *   5-day sequence      assessment webhook, 4 emails scheduled, clock advanced 120 h, all four sent
 *                       (Resend outbox) and tracked `sent` (Notion) — budget ≤ 1 s
 *
 * Prints a table on stderr and one JSON object on stdout. Exit codes: 0 — measured and every check
 * held (budgets are reported, not enforced); 1 — a run went wrong (an email missing, a FAILED
 * execution): the line says which.
 */
import { validPayload } from '../../scenarios/payloads.js';
import { startLocalStack, type LocalStack } from '../../standins/stack.js';
import { median, percentile } from '../bench/stats.js';

const ASSESSMENT_EMAILS = 4;


/** CPU time (user + system) of this process since `since`, in ms: wall time on a shared machine measures the neighbours too. */
const cpuSince = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
};

async function post(url: string, body: unknown): Promise<number> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await res.arrayBuffer();
  return res.status;
}

function assertHealthy(stack: LocalStack, what: string): void {
  const bad = stack.kestra.executions().filter((e) => !['SUCCESS', 'CREATED'].includes(e.state.current));
  if (bad.length > 0) throw new Error(`${what}: ${bad.length} execution(s) not SUCCESS, first ${bad[0]!.namespace}.${bad[0]!.flowId} ${bad[0]!.state.current}`);
}

async function main(): Promise<void> {
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 30;
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a whole number ≥ 1');

  // 1. stack up, cold then warm
  const startup: number[] = [];
  const startupCpu: number[] = [];
  for (let i = 0; i < 4; i++) {
    const t = performance.now();
    const c = process.cpuUsage();
    const stack = await startLocalStack({ retryDelayScale: 0.001 });
    await Promise.all([stack.kestra.url, stack.notion.url, stack.resend.url].map((u) => fetch(`${u}/__standin/${u === stack.kestra.url ? 'clock' : 'requests'}`).then((r) => r.arrayBuffer())));
    startup.push(performance.now() - t);
    startupCpu.push(cpuSince(c));
    await stack.stop();
  }

  // 2. webhook → terminal
  const stack = await startLocalStack({ retryDelayScale: 0.001, startAt: new Date('2025-12-01T09:00:00Z') });
  const latencies: number[] = [];
  const latencyCpu: number[] = [];
  try {
    for (let i = 0; i < runs + 3; i++) {
      const t = performance.now();
      const c = process.cpuUsage();
      const status = await post(stack.webhooks.signup, validPayload('signup', { email: `lengobaosang+bench-${i}@gmail.com` }));
      if (status !== 200) throw new Error(`signup webhook answered ${status}`);
      await stack.kestra.settle();
      if (i >= 3) {
        latencies.push(performance.now() - t); // 3 warm-up runs
        latencyCpu.push(cpuSince(c));
      }
    }
    assertHealthy(stack, 'webhook → terminal');
  } finally {
    await stack.stop();
  }

  // 3. the full 5-day sequence
  const sequence: number[] = [];
  const sequenceCpu: number[] = [];
  for (let i = 0; i < 5; i++) {
    const s = await startLocalStack({ retryDelayScale: 0.001, startAt: new Date('2025-12-01T09:00:00Z') });
    try {
      const t = performance.now();
      const c = process.cpuUsage();
      const status = await post(s.webhooks.assessment, validPayload('assessment', { email_1_sent_at: '2025-12-01T08:30:00Z' }));
      if (status !== 200) throw new Error(`assessment webhook answered ${status}`);
      await s.kestra.settle();
      await s.kestra.clock.advance({ hours: 120 });
      const sent = s.resend.outbox().length;
      const tracked = s.notion.pages('tracker').filter((p) => p.Status === 'sent' && p['Sent By'] === 'kestra').length;
      sequence.push(performance.now() - t);
      sequenceCpu.push(cpuSince(c));
      if (sent !== ASSESSMENT_EMAILS || tracked !== ASSESSMENT_EMAILS) throw new Error(`5-day sequence: ${sent} sent and ${tracked} tracked, expected ${ASSESSMENT_EMAILS}`);
      assertHealthy(s, '5-day sequence');
    } finally {
      await s.stop();
    }
  }

  const round = (n: number) => Math.round(n * 10) / 10;
  const figures = {
    stackUpMs: { cold: round(startup[0]!), coldCpu: round(startupCpu[0]!), warmMedian: round(median(startup.slice(1))), budget: 1000 },
    webhookToTerminalMs: { median: round(median(latencies)), medianCpu: round(median(latencyCpu)), p95: round(percentile(latencies, 95)), runs, budget: 50 },
    fiveDaySequenceMs: { median: round(median(sequence)), medianCpu: round(median(sequenceCpu)), max: round(Math.max(...sequence)), runs: sequence.length, budget: 1000 },
  };
  const ok = (v: number, budget: number) => (v <= budget ? 'ok' : 'OVER BUDGET');
  process.stderr.write(
    [
      `stack up             cold ${figures.stackUpMs.cold} ms, warm ${figures.stackUpMs.warmMedian} ms (≤ 1000 ms: ${ok(figures.stackUpMs.cold, 1000)})`,
      `webhook → terminal   median ${figures.webhookToTerminalMs.median} ms, p95 ${figures.webhookToTerminalMs.p95} ms over ${runs} runs (≤ 50 ms: ${ok(figures.webhookToTerminalMs.median, 50)})`,
      `5-day sequence       median ${figures.fiveDaySequenceMs.median} ms, max ${figures.fiveDaySequenceMs.max} ms (≤ 1000 ms: ${ok(figures.fiveDaySequenceMs.median, 1000)})`,
      '',
    ].join('\n'),
  );
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:stack: ${(error as Error).message}\n`);
  process.exit(1);
});
