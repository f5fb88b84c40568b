/**
 * Alerting for the nightly smoke: a webhook (SMOKE_ALERT_WEBHOOK_URL) is called only after N
 * consecutive failed runs (SMOKE_ALERT_AFTER, default 2) — one flaky night does not page anyone.
 * A small state file counts the streak; a passing run resets it. One alert per streak: when the
 * count reaches N (if that POST fails, the next failed run tries again).
 *
 * The POST body is `{"text": "…"}` (what Slack, Mattermost, Discord-compatible and most chat
 * webhooks accept). The URL is a secret: errors show its origin only.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { request, type Dispatcher } from 'undici';
import { z } from 'zod';

export const DEFAULT_ALERT_AFTER = 2;

const StateSchema = z.object({
  consecutiveFailures: z.number().int().nonnegative(),
  lastRunId: z.string().optional(),
  lastRunAt: z.string().optional(),
  lastOk: z.boolean().optional(),
  /** Set once the current streak has been alerted. */
  alertedAt: z.string().optional(),
});
export type AlertState = z.output<typeof StateSchema>;

export function initialAlertState(): AlertState {
  return { consecutiveFailures: 0 };
}

/** The state after one run. */
export function nextAlertState(state: AlertState, run: { ok: boolean; runId: string; at: Date }): AlertState {
  if (run.ok) return { consecutiveFailures: 0, lastRunId: run.runId, lastRunAt: run.at.toISOString(), lastOk: true };
  return { ...state, consecutiveFailures: state.consecutiveFailures + 1, lastRunId: run.runId, lastRunAt: run.at.toISOString(), lastOk: false };
}

export function shouldAlert(state: AlertState, after: number): boolean {
  return state.lastOk === false && state.consecutiveFailures >= after && !state.alertedAt;
}

export function markAlerted(state: AlertState, at: Date): AlertState {
  return { ...state, alertedAt: at.toISOString() };
}

export function readAlertState(file: string): AlertState {
  if (!existsSync(file)) return initialAlertState();
  try {
    const parsed = StateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : initialAlertState();
  } catch {
    // A damaged counter must not stop the smoke: start counting again.
    return initialAlertState();
  }
}

export function writeAlertState(file: string, state: AlertState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, file);
}

export class AlertError extends Error {
  override name = 'AlertError';
}

export async function postAlert(url: string, text: string, options: { dispatcher?: Dispatcher; timeoutMs?: number } = {}): Promise<void> {
  const target = new URL(url);
  const shown = `${target.origin}/…`;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 15_000);
  timer.unref?.();
  try {
    const res = await request(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'kestra-campaign-harness' },
      body: JSON.stringify({ text }),
      signal: controller.signal,
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    });
    await res.body.text();
    if (res.statusCode < 200 || res.statusCode >= 300) throw new AlertError(`alert webhook ${shown} answered HTTP ${res.statusCode}`);
  } catch (err) {
    if (err instanceof AlertError) throw err;
    throw new AlertError(`alert webhook ${shown} failed: ${controller.signal.aborted ? 'timeout' : ((err as { code?: string }).code ?? (err as Error).message)}`);
  } finally {
    clearTimeout(timer);
  }
}

export interface AlertingInput {
  stateFile: string;
  /** No URL: the streak is still counted, nothing is posted. */
  url: string | undefined;
  after: number;
  ok: boolean;
  runId: string;
  at: Date;
  /** The alert text (used only when an alert is due). */
  text: (state: AlertState) => string;
  dispatcher?: Dispatcher;
}

export interface AlertingOutcome {
  state: AlertState;
  alerted: boolean;
  /** Why an alert that was due could not be sent. */
  error?: string;
}

/** Updates the streak, posts the alert when it is due, saves the state. */
export async function handleAlerting(input: AlertingInput): Promise<AlertingOutcome> {
  let state = nextAlertState(readAlertState(input.stateFile), { ok: input.ok, runId: input.runId, at: input.at });
  let alerted = false;
  let error: string | undefined;
  if (input.url && shouldAlert(state, input.after)) {
    try {
      await postAlert(input.url, input.text(state), input.dispatcher ? { dispatcher: input.dispatcher } : {});
      state = markAlerted(state, input.at);
      alerted = true;
    } catch (err) {
      error = (err as Error).message;
    }
  }
  writeAlertState(input.stateFile, state);
  return { state, alerted, ...(error ? { error } : {}) };
}
