/**
 * io.kestra.plugin.core.http.Request, as Kestra 1.x runs it (core/.../plugin/core/http/Request.java,
 * AbstractHttp.java, core/.../http/client/HttpClient.java):
 *  - `method` defaults to GET; `body` is sent as given with `contentType` (default
 *    `application/json`) unless `headers` set Content-Type themselves; redirects are followed;
 *  - outputs `uri`, `code`, `headers` (Map<String, List<String>>) and `body` — ALWAYS the raw
 *    text, never parsed (a flow uses `fromJson(outputs.x.body)`);
 *  - a status ≥ 400 fails the attempt with "Failed http request with response code '<N>' and
 *    body:\n<body>" unless `options.allowFailed: true`;
 *  - a connection error or a timeout fails the attempt (a `retry` then applies).
 *
 * Sent with undici's `request` on one keep-alive Agent per process, not node's `fetch`: the flows
 * make ~10 Notion/Resend calls per email and fetch's WHATWG streams and Headers cost about twice
 * the CPU per call. What fetch did is kept: the default `accept: *\/*` and `user-agent: node`,
 * redirects as the Fetch standard follows them (followRedirect below), response headers sorted by
 * name with repeated ones joined by ", " (set-cookie kept as a list, last).
 */
import { Agent, request, type Dispatcher } from 'undici';

export interface HttpTaskRequest {
  uri: string;
  method: string;
  body?: string;
  contentType: string;
  headers: Record<string, string>;
  allowFailed: boolean;
  timeoutMs: number;
  followRedirects: boolean;
  signal?: AbortSignal;
}

export interface HttpTaskOutputs {
  uri: string;
  code: number;
  headers: Record<string, string[]>;
  body: string;
}

export class HttpTaskError extends Error {
  override readonly name = 'HttpTaskError';
}

export async function runHttpRequest(req: HttpTaskRequest): Promise<HttpTaskOutputs> {
  let url: URL;
  try {
    url = new URL(req.uri);
  } catch {
    throw new HttpTaskError(`Illegal uri '${req.uri}': not an absolute URL`);
  }
  const headers: Record<string, string> = { accept: '*/*', 'user-agent': 'node' };
  for (const [name, value] of Object.entries(req.headers)) headers[name.toLowerCase()] = value;
  const hasBody = req.body !== undefined && req.body !== null && !['GET', 'HEAD'].includes(req.method);
  if (hasBody && headers['content-type'] === undefined) headers['content-type'] = req.contentType;

  // One controller per request, fed by the read timeout and the caller's signal (its listener is
  // removed afterwards, so long-lived signals do not collect listeners).
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, req.timeoutMs);
  const onAbort = () => controller.abort();
  if (req.signal?.aborted) controller.abort();
  req.signal?.addEventListener('abort', onAbort, { once: true });
  const where = `${req.method} ${url.origin}${url.pathname}`;
  let response: Dispatcher.ResponseData;
  let body: string;
  try {
    try {
      let hop = { url, method: req.method, headers, body: hasBody ? req.body : undefined };
      for (let redirects = 0; ; redirects++) {
        response = await request(hop.url, {
          method: hop.method as Dispatcher.HttpMethod,
          headers: hop.headers,
          ...(hop.body !== undefined ? { body: hop.body } : {}),
          dispatcher: agent(),
          signal: controller.signal,
        });
        const next = req.followRedirects ? followRedirect(hop, response) : undefined;
        if (!next) break;
        await response.body.dump();
        if (redirects === MAX_REDIRECTS) throw new Error('redirect count exceeded');
        hop = next;
      }
    } catch (error) {
      if (timedOut) throw new HttpTaskError(`Request ${where} timed out after ${req.timeoutMs} ms (read timeout)`);
      if (req.signal?.aborted) throw new HttpTaskError(`Request ${where} aborted`);
      const failure = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
      const cause = failure.cause ?? failure;
      throw new HttpTaskError(`Request ${where} failed: ${cause?.code ?? ''} ${cause?.message ?? failure.message}`.replace(/\s+/g, ' ').trim());
    }
    try {
      body = await response.body.text();
    } catch (error) {
      if (timedOut) throw new HttpTaskError(`Request ${where} timed out after ${req.timeoutMs} ms (read timeout)`);
      throw new HttpTaskError(`Request ${where}: the response body could not be read (${(error as Error).message})`);
    }
  } finally {
    clearTimeout(timer);
    req.signal?.removeEventListener('abort', onAbort);
  }
  const outHeaders: Record<string, string[]> = {};
  let cookies: string[] = [];
  for (const name of Object.keys(response.headers).sort()) {
    const value = response.headers[name];
    if (value === undefined) continue;
    if (name === 'set-cookie') cookies = Array.isArray(value) ? value : [value];
    else outHeaders[name] = [Array.isArray(value) ? value.join(', ') : value];
  }
  if (cookies.length > 0) outHeaders['set-cookie'] = cookies;
  const status = response.statusCode;

  if (status >= 400 && !req.allowFailed) {
    throw new HttpTaskError(`Failed http request with response code '${status}' and body:\n${body}`);
  }
  return { uri: req.uri, code: status, headers: outHeaders, body };
}

let shared: Agent | undefined;
/** Kept-alive connections shared by every stand-in in the process (idle sockets do not hold it open). */
function agent(): Agent {
  return (shared ??= new Agent({ keepAliveTimeout: 4_000 }));
}

const MAX_REDIRECTS = 20;
interface Hop {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/**
 * The next request of a redirect, as fetch's `redirect: 'follow'` makes it (Fetch standard, HTTP-redirect
 * fetch): 301/302 after a POST and 303 (but HEAD) become a GET without body or content headers; 307/308
 * keep method and body; a cross-origin hop drops Authorization. undefined: not a redirect.
 */
function followRedirect(hop: Hop, response: Dispatcher.ResponseData): Hop | undefined {
  const location = response.headers.location;
  if (![301, 302, 303, 307, 308].includes(response.statusCode) || typeof location !== 'string') return undefined;
  const url = new URL(location, hop.url);
  const toGet = ((response.statusCode === 301 || response.statusCode === 302) && hop.method === 'POST') || (response.statusCode === 303 && hop.method !== 'HEAD');
  const headers = { ...hop.headers };
  if (toGet) for (const name of ['content-type', 'content-encoding', 'content-language', 'content-location']) delete headers[name];
  if (url.origin !== hop.url.origin) delete headers.authorization;
  return { url, method: toGet ? 'GET' : hop.method, headers, body: toGet ? undefined : hop.body };
}