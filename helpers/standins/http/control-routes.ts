/**
 * The test-only HTTP endpoints every stand-in serves under `/__standin/`, so a process other than
 * the test (a flow runner, a CLI) can steer it. No authentication, never rate limited, never
 * logged, never faulted — and never a path the real APIs have.
 *
 *   POST   /__standin/faults     body: the stand-in's fault spec as JSON → 201 {id, kind, description, remaining}
 *   GET    /__standin/faults     → 200 {faults: [...pending]}
 *   DELETE /__standin/faults     → 204 (withdraws every pending fault, frees hung responses)
 *   GET    /__standin/requests   → 200 {requests: [...]} (see LoggedRequest)
 *   DELETE /__standin/requests   → 204
 *   POST   /__standin/reset      → 204 (seed data, faults, request log, rate-limit buckets)
 *   GET    /__standin/<extra>/…  → 200 whatever the stand-in's extra inspector returns (e.g. outbox)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isJsonObject, parseJson, readBody } from './body.js';
import type { InjectedFault } from './faults.js';
import type { LoggedRequest } from './request-log.js';
import { sendEmpty, sendJson } from './respond.js';

export const CONTROL_PREFIX = '/__standin/';

export interface ControlSurface {
  /** Validates a JSON fault spec; throws an Error whose message names the bad field. */
  injectFaultFromJson(spec: Record<string, unknown>): InjectedFault;
  pendingFaults(): unknown[];
  clearFaults(): void;
  requests(): LoggedRequest[];
  clearRequests(): void;
  reset(): void;
  /** GET-only inspectors: `extra.outbox(rest)` serves GET /__standin/outbox/<rest>. Throw to answer 404. */
  extra?: Record<string, (rest: string[]) => unknown>;
}

export function isControlPath(pathname: string): boolean {
  return pathname.startsWith(CONTROL_PREFIX);
}

export async function handleControlRequest(req: IncomingMessage, res: ServerResponse, pathname: string, surface: ControlSurface): Promise<void> {
  const [name = '', ...rest] = pathname.slice(CONTROL_PREFIX.length).split('/').filter(Boolean).map(decodeURIComponent);
  const method = req.method ?? 'GET';
  const bad = (status: number, error: string) => sendJson(res, status, { error });

  if (name === 'faults' && rest.length === 0) {
    if (method === 'GET') return void sendJson(res, 200, { faults: surface.pendingFaults() });
    if (method === 'DELETE') {
      surface.clearFaults();
      return void sendEmpty(res, 204);
    }
    if (method === 'POST') {
      const body = await readBody(req, 64 * 1024);
      if (body.kind !== 'ok') return void bad(400, 'fault spec: body missing or larger than 64 KiB');
      const parsed = parseJson(body.text);
      if (!parsed.ok || !isJsonObject(parsed.value)) return void bad(400, 'fault spec: body must be a JSON object, e.g. {"route":"query","kind":503,"times":1}');
      try {
        const fault = surface.injectFaultFromJson(parsed.value);
        return void sendJson(res, 201, { id: fault.id, kind: fault.kind, description: fault.description, remaining: fault.remaining });
      } catch (error) {
        return void bad(400, error instanceof Error ? error.message : String(error));
      }
    }
  }
  if (name === 'requests' && rest.length === 0) {
    if (method === 'GET') return void sendJson(res, 200, { requests: surface.requests() });
    if (method === 'DELETE') {
      surface.clearRequests();
      return void sendEmpty(res, 204);
    }
  }
  if (name === 'reset' && rest.length === 0 && method === 'POST') {
    surface.reset();
    return void sendEmpty(res, 204);
  }
  const inspector = surface.extra?.[name];
  if (inspector && method === 'GET') {
    try {
      return void sendJson(res, 200, inspector(rest));
    } catch (error) {
      return void bad(404, error instanceof Error ? error.message : String(error));
    }
  }
  bad(404, `no test-only endpoint ${method} ${pathname} (see helpers/standins/http/control-routes.ts)`);
}
