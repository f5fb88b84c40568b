/**
 * Resend stand-in: a real HTTP server on 127.0.0.1 that speaks Resend's REST API closely enough
 * that the flows (Kestra's HTTP task, a plain HTTP client) run against it unchanged, and that
 * keeps an outbox tests can read instead of anyone's inbox.
 *
 *   const resend = await startResendStandin();
 *   await fetch(`${resend.url}/emails`, { method: 'POST', headers: { authorization: `Bearer ${resend.apiKey}`,
 *     'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(email) });
 *   resend.outbox();  // [{ id, to: [...], subject, tags, idempotencyKey, … }]
 *   await resend.stop();
 *
 * Routes (all need `Authorization: Bearer <api key>`):
 *   POST /emails        send: from (`addr` or `Name <addr>`, on a verified domain), to (string or
 *                       array ≤ 50), subject, html or text; cc/bcc/reply_to, tags, headers,
 *                       attachments, scheduled_at (ISO 8601 only). Idempotency-Key (1–256 chars):
 *                       same payload → same id and no second email; other payload → 409
 *                       invalid_idempotent_request; while the first send with a key is still in
 *                       progress (`sendLatencyMs`), another with that key → 409 concurrent_idempotent_requests.
 *                       → 200 {id}
 *   GET  /emails/{id}   the email object; last_event 'scheduled' until scheduled_at, then
 *                       'delivered' (bounced@/complained@/suppressed@resend.dev simulate theirs)
 *   GET  /emails        the list, newest first
 *   GET  /domains       one verified domain per `verifiedDomains` (default sangletech.com)
 *
 * Errors are Resend's `{statusCode, message, name}`: 401 missing_api_key, 403 invalid_api_key,
 * 401 restricted_api_key (sending-only key on a read route), 422 missing_required_field /
 * validation_error, 403 validation_error (unverified sender domain), 400 invalid_idempotency_key,
 * 409 invalid_idempotent_request, 409 concurrent_idempotent_requests, 404 not_found, 405 method_not_allowed, 429 rate_limit_exceeded
 * (retry-after), 400 malformed JSON or a non-JSON content type and 413 oversized body (Resend
 * documents neither: closest documented shape), 500 internal_server_error. Every authenticated
 * answer carries ratelimit-limit / ratelimit-remaining / ratelimit-reset.
 *
 * Options (all optional): port (0 = free port), host ('127.0.0.1'), apiKey, sendingOnlyKey,
 * rateLimit ({perSecond: 2} per team — every API key shares it — or false), sendLatencyMs (0), clock (created_at, scheduled → delivered,
 * idempotency expiry; rate limiting uses real time), verifiedDomains (['sangletech.com']),
 * maxBodyBytes (40 MB, Resend's email size limit).
 *
 * Test-only endpoints (no auth, not rate limited, not logged — see ../http/control-routes.ts):
 *   POST /__standin/faults {route, kind, times?}   GET|DELETE /__standin/faults
 *   GET|DELETE /__standin/requests    POST /__standin/reset    GET /__standin/outbox → {emails}
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash, randomUUID } from 'node:crypto';
import { bearerToken } from '../http/auth.js';
import { parseJson, readBody } from '../http/body.js';
import { handleControlRequest, isControlPath, type ControlSurface } from '../http/control-routes.js';
import { FAULT_KINDS, FaultInjector, isFaultKind, type FaultKind, type InjectedFault } from '../http/faults.js';
import type { StandinHandle } from '../http/handle.js';
import { TokenBucketLimiter, type RateDecision, type RateLimit } from '../http/rate-limiter.js';
import { RequestLog, safeHeaders, type LoggedRequest } from '../http/request-log.js';
import { sendJson, type Headers } from '../http/respond.js';
import { startHttpServer } from '../http/server.js';
import { resendErrorBody, resendErrors, ResendError } from './errors.js';
import { IDEMPOTENCY_KEY_MAX, IdempotencyStore, payloadFingerprint } from './idempotency.js';
import { emailObject, resendTimestamp, type OutboxEmail } from './outbox.js';
import { matchRoute, RESEND_ROUTES, type ResendRoute } from './routes.js';
import { parseSendRequest } from './send-request.js';

export { RESEND_ROUTES, type ResendRoute } from './routes.js';
export type { OutboxEmail, LastEvent } from './outbox.js';
export type { EmailTag, SendRequest } from './send-request.js';

export const RESEND_STANDIN_DEFAULT_API_KEY = 're_standin_local_key';
export const RESEND_DEFAULT_RATE_LIMIT: Readonly<RateLimit> = { perSecond: 2, burst: 2 };
export const RESEND_MAX_BODY_BYTES = 40_000_000;

export interface ResendStandinOptions {
  port?: number;
  host?: string;
  /** The full-access API key (default {@link RESEND_STANDIN_DEFAULT_API_KEY}). */
  apiKey?: string;
  /** A second key that may only send (reads answer 401 restricted_api_key). */
  sendingOnlyKey?: string;
  /**
   * One token bucket for the whole team (default 2 requests per second), or false for none. Every
   * API key draws on it: "The default maximum rate limit is 2 requests per second per team. This
   * limit applies across all API keys associated with your team." (https://resend.com/docs/api-reference/introduction#rate-limit)
   */
  rateLimit?: RateLimit | false;
  /** How long a send takes before it answers (default 0): the window in which a second request with the same Idempotency-Key gets 409 concurrent_idempotent_requests. */
  sendLatencyMs?: number;
  clock?: () => Date;
  /** Sender domains that are verified (default ['sangletech.com']; resend.dev always is). */
  verifiedDomains?: readonly string[];
  maxBodyBytes?: number;
}

export interface ResendCall {
  route: ResendRoute;
  method: string;
  path: string;
  body?: unknown;
  idempotencyKey?: string;
}

export interface ResendFaultSpec {
  route: ResendRoute | '*' | ((call: ResendCall) => boolean);
  kind: FaultKind;
  /** How many matching calls fail (default 1). */
  times?: number;
}

export interface ResendStandin extends StandinHandle<ResendFaultSpec> {
  readonly apiKey: string;
  /** Every accepted email, oldest first (an idempotent replay adds nothing). */
  outbox(): OutboxEmail[];
  email(id: string): OutboxEmail | undefined;
}

const LOGGED_HEADERS = ['idempotency-key', 'content-type', 'user-agent'];
/** The rate limiter's bucket name: the stand-in serves one team. */
const TEAM = 'team';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function startResendStandin(options: ResendStandinOptions = {}): Promise<ResendStandin> {
  const apiKey = options.apiKey ?? RESEND_STANDIN_DEFAULT_API_KEY;
  const clock = options.clock ?? (() => new Date());
  const verifiedDomains = options.verifiedDomains ?? ['sangletech.com'];
  const maxBodyBytes = options.maxBodyBytes ?? RESEND_MAX_BODY_BYTES;
  const rateLimit = options.rateLimit === false ? undefined : (options.rateLimit ?? RESEND_DEFAULT_RATE_LIMIT);
  const limiter = rateLimit ? new TokenBucketLimiter(rateLimit) : undefined;
  const domainsCreatedAt = clock().toISOString();

  let outbox: OutboxEmail[] = [];
  const idempotency = new IdempotencyStore();
  const sendLatencyMs = options.sendLatencyMs ?? 0;
  /** Idempotency keys whose first send has not answered yet. */
  const inFlight = new Set<string>();
  const faults = new FaultInjector<ResendCall>();
  const log = new RequestLog();
  const entries = new WeakMap<ServerResponse, LoggedRequest>();

  const reply = (res: ServerResponse, status: number, body: unknown, headers: Headers = {}) => {
    const entry = entries.get(res);
    if (entry) entry.status = status;
    sendJson(res, status, body, headers);
  };
  const replyError = (res: ServerResponse, error: ResendError, headers: Headers = {}) => {
    const entry = entries.get(res);
    if (entry) entry.error = error.errorName;
    reply(res, error.statusCode, resendErrorBody(error), headers);
  };
  const rateHeaders = (d: RateDecision): Headers => ({ 'ratelimit-limit': d.limit, 'ratelimit-remaining': d.remaining, 'ratelimit-reset': d.resetSeconds });

  const injectFault = (spec: ResendFaultSpec): InjectedFault => {
    const { route } = spec;
    if (typeof route === 'string' && route !== '*' && !(RESEND_ROUTES as readonly string[]).includes(route)) {
      throw new Error(`Resend stand-in fault: route must be one of ${RESEND_ROUTES.join(', ')}, '*' or a function (got "${route}")`);
    }
    const matches = typeof route === 'function' ? route : (call: ResendCall) => route === '*' || call.route === route;
    return faults.add({ kind: spec.kind, times: spec.times, matches, description: `${spec.kind} on ${typeof route === 'function' ? 'matching calls' : route}` });
  };

  const send = async (req: IncomingMessage, body: unknown, scope: string, requestHeaders: Record<string, string>) => {
    const key = req.headers['idempotency-key'];
    const idempotencyKey = typeof key === 'string' ? key : undefined;
    const request = parseSendRequest(body, verifiedDomains);
    const fingerprint = idempotencyKey === undefined ? '' : payloadFingerprint(body);
    const inFlightKey = `${scope}\u0000${idempotencyKey}`;
    if (idempotencyKey !== undefined) {
      if (inFlight.has(inFlightKey)) throw resendErrors.concurrentIdempotentRequests();
      const decision = idempotency.decide(scope, idempotencyKey, fingerprint, clock().getTime());
      if (decision.kind === 'conflict') throw resendErrors.idempotencyConflict();
      if (decision.kind === 'replay') return { id: decision.emailId };
    }
    if (sendLatencyMs > 0) {
      if (idempotencyKey !== undefined) inFlight.add(inFlightKey);
      try {
        await new Promise((resolve) => setTimeout(resolve, sendLatencyMs));
      } finally {
        inFlight.delete(inFlightKey);
      }
    }
    const now = clock();
    const email: OutboxEmail = { ...request, id: randomUUID(), createdAt: now.toISOString(), idempotencyKey: idempotencyKey ?? null, requestHeaders };
    outbox.push(email);
    if (idempotencyKey !== undefined) idempotency.remember(scope, idempotencyKey, fingerprint, email.id, now.getTime());
    return { id: email.id };
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const method = req.method ?? 'GET';
    const requestHeaders = safeHeaders(req.headers, LOGGED_HEADERS);
    const entry = log.start(method, url.pathname + url.search, requestHeaders);
    entries.set(res, entry);
    let headers: Headers = {};
    try {
      const presented = bearerToken(req.headers);
      const access = presented === undefined ? 'missing' : presented === apiKey ? 'full' : presented === options.sendingOnlyKey ? 'sending' : 'invalid';
      entry.auth = access === 'full' || access === 'sending' ? 'valid' : access;
      if (access === 'missing') throw resendErrors.missingApiKey();
      if (access === 'invalid') throw resendErrors.invalidApiKey();

      if (limiter && rateLimit) {
        // One bucket per team: every key of the team shares it.
        const decision = limiter.take(TEAM);
        headers = rateHeaders(decision);
        if (!decision.allowed) return void replyError(res, resendErrors.rateLimited(rateLimit.perSecond), { ...headers, 'retry-after': decision.retryAfterSeconds });
      }

      const matched = matchRoute(method, url.pathname);
      if (matched.kind === 'not_found') throw resendErrors.routeNotFound();
      if (matched.kind === 'method_not_allowed') throw resendErrors.methodNotAllowed();
      entry.route = matched.route;
      if (access === 'sending' && matched.route !== 'sendEmail') throw resendErrors.restrictedApiKey();

      let body: unknown;
      if (matched.route === 'sendEmail') {
        const key = req.headers['idempotency-key'];
        if (typeof key === 'string' && (key.length < 1 || key.length > IDEMPOTENCY_KEY_MAX)) throw resendErrors.invalidIdempotencyKey();
        const read = await readBody(req, maxBodyBytes);
        if (read.kind === 'aborted') return;
        if (read.kind === 'too_large') throw resendErrors.bodyTooLarge(maxBodyBytes);
        const contentType = req.headers['content-type'];
        if (!/^application\/json\b/i.test(contentType ?? '')) throw resendErrors.wrongContentType(contentType);
        const parsed = parseJson(read.text);
        if (!parsed.ok) throw resendErrors.invalidJson();
        body = parsed.value;
        entry.body = body;
      }

      const idempotencyKey = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : undefined;
      const fault = faults.take({ route: matched.route, method, path: url.pathname, body, idempotencyKey });
      if (fault !== undefined) {
        entry.fault = fault;
        if (fault === 429) return void replyError(res, resendErrors.rateLimited(rateLimit ? rateLimit.perSecond : 2), { ...headers, 'retry-after': 1 });
        if (fault === 500) throw resendErrors.internal();
        if (fault === 503) throw resendErrors.unavailable();
        if (fault === 'hang') return void faults.hold(res);
        if (fault === 'reset') return void res.socket?.destroy();
        if (fault === 'throw') throw new Error(`injected fault: the ${matched.route} handler throws`);
      }

      let result: unknown;
      switch (matched.route) {
        case 'sendEmail':
          result = await send(req, body, presented!, requestHeaders);
          break;
        case 'retrieveEmail': {
          const id = matched.id ?? '';
          if (!UUID.test(id)) throw resendErrors.invalidId();
          const email = outbox.find((e) => e.id === id.toLowerCase());
          if (!email) throw resendErrors.emailNotFound();
          result = emailObject(email, clock());
          break;
        }
        case 'listEmails':
          result = { object: 'list', has_more: false, data: [...outbox].reverse().map((e) => emailObject(e, clock())) };
          break;
        case 'listDomains':
          result = {
            object: 'list',
            has_more: false,
            data: verifiedDomains.map((name) => ({
              id: stableDomainId(name),
              name,
              status: 'verified',
              created_at: resendTimestamp(domainsCreatedAt),
              region: 'us-east-1',
              capabilities: { sending: 'enabled', receiving: 'disabled' },
            })),
          };
          break;
      }
      if (fault === 'lose-response') return void res.socket?.destroy();
      reply(res, 200, result, headers);
    } catch (error) {
      if (error instanceof ResendError) return void replyError(res, error, headers);
      throw error; // the crash guard answers 500 and records it
    }
  };

  const reset = () => {
    outbox = [];
    idempotency.clear();
    faults.clear();
    log.clear();
    limiter?.reset();
  };

  const control: ControlSurface = {
    injectFaultFromJson: (spec) => {
      if (typeof spec.route !== 'string') throw new Error(`Resend stand-in fault: "route" must be a string: one of ${RESEND_ROUTES.join(', ')} or '*'`);
      if (!isFaultKind(spec.kind)) throw new Error(`Resend stand-in fault: "kind" must be one of ${FAULT_KINDS.map((k) => JSON.stringify(k)).join(', ')} (got ${JSON.stringify(spec.kind)})`);
      if (spec.times !== undefined && typeof spec.times !== 'number') throw new Error('Resend stand-in fault: "times" must be a number');
      return injectFault({ route: spec.route as ResendRoute | '*', kind: spec.kind, times: spec.times as number | undefined });
    },
    pendingFaults: () => faults.pending(),
    clearFaults: () => faults.clear(),
    requests: () => log.all(),
    clearRequests: () => log.clear(),
    reset,
    extra: { outbox: () => ({ emails: outbox.map((e) => structuredClone(e)) }) },
  };

  const server = await startHttpServer({
    name: 'Resend stand-in',
    port: options.port,
    host: options.host,
    handle: async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://standin.invalid');
      if (isControlPath(url.pathname)) return handleControlRequest(req, res, url.pathname, control);
      return handleApi(req, res, url);
    },
    onCrash: (res) => replyError(res, resendErrors.internal()),
  });

  return {
    url: server.url,
    apiKey,
    stop: () => {
      faults.releaseHeld();
      return server.stop();
    },
    reset,
    injectFault,
    clearFaults: () => faults.clear(),
    requests: () => log.all(),
    crashes: () => server.crashes(),
    outbox: () => outbox.map((e) => structuredClone(e)),
    email: (id) => {
      const found = outbox.find((e) => e.id === id.toLowerCase());
      return found ? structuredClone(found) : undefined;
    },
  };
}

/** A stable UUID-shaped id per domain name, so the health check sees the same domain every run. */
function stableDomainId(name: string): string {
  const h = createHash('sha256').update(`resend-standin:domain:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
