/**
 * The steps the webhook story is made of, shared by the story (webhook-story.ts), the safety
 * specs and the smoke: fire and wait, find what was scheduled (over a settle point), compare a
 * schedule with the spec's. Failures are thrown as plain errors or returned as checks.
 */
import type { Execution, PollTiming } from '../clients/kestra/index.js';
import { WEBHOOK_HANDLERS, type WebhookName } from '../spec/index.js';
import { loadTemplateSeeds } from '../standins/notion/seed.js';
import type { Target } from '../targets/types.js';
import { CheckList, type Check } from './checks.js';
import type { ExpectedSend } from './expectations.js';
import { scheduledSendsOf, type ScheduledSend } from './scheduled-sends.js';

/** How long a handler may take on a target before the spec gives up (a real Kestra is slower). */
export function handlerDeadlineMs(target: Target): number {
  return target.name === 'local' ? 30_000 : 180_000;
}

/**
 * How a handler execution is polled until it ends. The stand-in (local) ends one in milliseconds,
 * in the same process: polled from 10 ms, doubling to 250 ms, instead of sleeping the client's first
 * 100 ms while the answer is already there. A real Kestra keeps the client's 100 ms → 2 s.
 */
export function handlerPolling(target: Target, deadlineMs = handlerDeadlineMs(target)): PollTiming {
  return target.name === 'local' ? { deadlineMs, initialDelayMs: 10, maxDelayMs: 250 } : { deadlineMs };
}

/**
 * Waits for an execution to end. On the stand-in it first waits for the engine's settle point
 * (in-process, nothing runs any more), so one GET reads the end state instead of a poll loop
 * racing the engine — 20 pollers of 20 queued handlers made ~800 GETs per spec. The end state is
 * still read and checked through the API; a settle that gives up only falls back to polling.
 */
export async function waitForEnd(target: Target, executionId: string, timing: PollTiming = handlerPolling(target)): Promise<Execution> {
  await target.clock.settle?.().catch(() => undefined);
  return target.kestra.waitForTerminal(executionId, timing);
}

export interface FiredWebhook {
  status: number;
  execution: Execution;
  /** When Kestra recorded the webhook's arrival (the handler execution's start). */
  arrival: Date;
}

/** Fires a webhook and waits for the handler execution to end. */
export async function fireAndSettle(target: Target, webhook: WebhookName, payload: unknown): Promise<FiredWebhook> {
  const handler = WEBHOOK_HANDLERS[webhook];
  const before = target.clock.now();
  const result = await target.kestra.fireWebhook(handler.namespace, handler.flowId, target.webhookKey(webhook), payload);
  const after = target.clock.now();
  if (!result.execution) throw new Error(`${webhook} webhook answered ${result.status} without an execution`);
  const execution = await waitForEnd(target, result.execution.id);
  const arrival = new Date(execution.state.startDate ?? execution.state.histories[0]?.date ?? before);
  // The arrival Kestra recorded must lie between our send and its answer (a remote clock may drift a little).
  const skewMs = target.name === 'local' ? 0 : 120_000;
  if (arrival.getTime() < before.getTime() - skewMs || arrival.getTime() > after.getTime() + skewMs) {
    throw new Error(`${webhook}: execution ${execution.id} started at ${arrival.toISOString()}, outside the webhook's send (${before.toISOString()}) and answer (${after.toISOString()})`);
  }
  return { status: result.status, execution, arrival };
}

/** On a real Kestra: the list of sends must stay the same this long before it counts as settled. */
const QUIET_PERIOD_MS = 5_000;

/**
 * The send-email executions scheduled under a handler execution (its descendants), read at a settle
 * point: on the stand-in once nothing runs; on a real Kestra once at least `atLeast` are there and
 * the list has not changed for a quiet period (or the deadline passes). So "nothing scheduled" is
 * observed, never assumed because a deadline ran out.
 */
export async function scheduledSendsFor(target: Target, handlerExecutionId: string, atLeast: number): Promise<ScheduledSend[]> {
  const read = async () => scheduledSendsOf(await target.kestra.findChildren(handlerExecutionId, { descendants: true }));
  if (target.clock.settle) {
    await target.clock.settle();
    return read();
  }
  const deadline = Date.now() + 60_000;
  let sends = await read();
  let quietSince = Date.now();
  for (;;) {
    if (sends.length >= atLeast && Date.now() - quietSince >= QUIET_PERIOD_MS) return sends;
    if (Date.now() > deadline) return sends;
    await new Promise((resolve) => setTimeout(resolve, 500));
    const next = await read();
    if (next.map((s) => s.executionId).join() !== sends.map((s) => s.executionId).join()) quietSince = Date.now();
    sends = next;
  }
}

/** The story's name for the settle-point read. */
export const settledSends = scheduledSendsFor;

/** Scheduled sends against the spec's: same emails, templates and recipient, CREATED, at anchor + offset. */
export function scheduleChecks(sends: ScheduledSend[], expected: ExpectedSend[], recipient: string, toleranceMs: number): Check[] {
  const checks = new CheckList();
  checks.equal('scheduled emails (sequence, number, template)', expected.map((e) => [e.sequence, e.emailNumber, e.template]), sends.map((s) => [s.sequence, s.emailNumber, s.template]));
  for (const want of expected) {
    const send = sends.find((s) => s.sequence === want.sequence && s.emailNumber === want.emailNumber);
    if (!send) continue;
    checks.equal(`scheduled #${want.emailNumber}: recipient`, recipient, send.recipient);
    checks.equal(`scheduled #${want.emailNumber}: state`, 'CREATED', send.state);
    checks.near(`scheduled #${want.emailNumber}: scheduleDate = anchor + offset (${want.sendAt.toISOString()})`, want.sendAt.getTime(), send.scheduleDate?.getTime() ?? null, toleranceMs);
  }
  return checks.items;
}

/** The Notion copy of a template (the stand-in's seed), as the flows should fetch it. */
export function notionTemplate(name: string): { subject: string; body: string } {
  const seed = loadTemplateSeeds().find((t) => t['Template Name'] === name);
  if (!seed) throw new Error(`fixtures/notion/templates.json has no template "${name}"`);
  return { subject: seed.Subject, body: seed.Body };
}
