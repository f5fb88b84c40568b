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
 */

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
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) headers.set(name, value);
  const hasBody = req.body !== undefined && req.body !== null && !['GET', 'HEAD'].includes(req.method);
  if (hasBody && !headers.has('content-type')) headers.set('content-type', req.contentType);

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
  let response: Response;
  let body: string;
  try {
    try {
      response = await fetch(url, {
        method: req.method,
        headers,
        ...(hasBody ? { body: req.body } : {}),
        redirect: req.followRedirects ? 'follow' : 'manual',
        signal: controller.signal,
      });
    } catch (error) {
      if (timedOut) throw new HttpTaskError(`Request ${where} timed out after ${req.timeoutMs} ms (read timeout)`);
      if (req.signal?.aborted) throw new HttpTaskError(`Request ${where} aborted`);
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new HttpTaskError(`Request ${where} failed: ${cause?.code ?? ''} ${cause?.message ?? (error as Error).message}`.replace(/\s+/g, ' ').trim());
    }
    try {
      body = await response.text();
    } catch (error) {
      if (timedOut) throw new HttpTaskError(`Request ${where} timed out after ${req.timeoutMs} ms (read timeout)`);
      throw new HttpTaskError(`Request ${where}: the response body could not be read (${(error as Error).message})`);
    }
  } finally {
    clearTimeout(timer);
    req.signal?.removeEventListener('abort', onAbort);
  }
  const outHeaders: Record<string, string[]> = {};
  response.headers.forEach((value, name) => {
    if (name === 'set-cookie') return;
    outHeaders[name] = [value];
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) outHeaders['set-cookie'] = cookies;

  if (response.status >= 400 && !req.allowFailed) {
    throw new HttpTaskError(`Failed http request with response code '${response.status}' and body:\n${body}`);
  }
  return { uri: req.uri, code: response.status, headers: outHeaders, body };
}
