/**
 * HTTP Request (io.kestra.plugin.core.http.Request): properties rendered, then sent by http-task.ts.
 */
import { isDouble, isMap, javaToString } from '../../../kestra-model/pebble/values.js';
import { runHttpRequest } from '../http-task.js';
import { renderDeep, renderString, renderText } from '../render.js';
import { parseDuration } from '../time.js';
import type { TaskContext } from './context.js';

export const HTTP_REQUEST_TYPE = 'io.kestra.plugin.core.http.Request';

export async function runRequest(ctx: TaskContext, signal: AbortSignal): Promise<Record<string, unknown>> {
  const props = ctx.task.props;
  const renderScope = ctx.render();
  const options = isMap(props.options) ? props.options : {};
  const headers: Record<string, string> = {};
  const renderedHeaders = renderDeep(props.headers ?? {}, renderScope);
  if (isMap(renderedHeaders)) {
    for (const [name, value] of Object.entries(renderedHeaders)) headers[name] = Array.isArray(value) ? value.map((v) => javaToString(v)).join(', ') : javaToString(value);
  }
  const readTimeout = options.readTimeout === undefined ? undefined : parseDuration(renderText(options.readTimeout, renderScope));
  const outputs = await runHttpRequest({
    uri: renderText(props.uri, renderScope),
    method: renderText(props.method ?? 'GET', renderScope).toUpperCase(),
    ...(props.body !== undefined && props.body !== null ? { body: typeof props.body === 'string' ? renderString(props.body, renderScope) : javaJson(renderDeep(props.body, renderScope)) } : {}),
    contentType: renderText(props.contentType ?? 'application/json', renderScope),
    headers,
    allowFailed: options.allowFailed === true,
    followRedirects: options.followRedirects !== false,
    timeoutMs: readTimeout ?? ctx.host.httpTimeoutMs,
    signal,
  });
  ctx.log('DEBUG', `Request '${outputs.uri}' answered ${outputs.code}`);
  return { ...outputs };
}

/** A non-string HTTP body property is sent as Kestra's JSON of it. */
function javaJson(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value, (_k, v: unknown) => (isDouble(v) ? Number(v) : v));
}
