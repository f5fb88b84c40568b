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

  const timeout = AbortSignal.timeout(req.timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await fetch(url, {
      method: req.method,
      headers,
      ...(hasBody ? { body: req.body } : {}),
      redirect: req.followRedirects ? 'follow' : 'manual',
      signal,
    });
  } catch (error) {
    if (timeout.aborted) throw new HttpTaskError(`Request ${req.method} ${url.origin}${url.pathname} timed out after ${req.timeoutMs} ms (read timeout)`);
    if (req.signal?.aborted) throw new HttpTaskError(`Request ${req.method} ${url.origin}${url.pathname} aborted: the stand-in is stopping`);
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new HttpTaskError(`Request ${req.method} ${url.origin}${url.pathname} failed: ${cause?.code ?? ''} ${cause?.message ?? (error as Error).message}`.replace(/\s+/g, ' ').trim());
  }
  let body: string;
  try {
    body = await response.text();
  } catch (error) {
    throw new HttpTaskError(`Request ${req.method} ${url.origin}${url.pathname}: the response body could not be read (${(error as Error).message})`);
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
