/**
 * The body keys each route accepts. Notion's validator refuses any other key
 * (`body failed validation: body.filter_properties should be not present, instead was ["ID"].`,
 * seen from the real API in https://github.com/notion-dotnet/notion-sdk-net/issues/541). The lists are
 * the `bodyParams` of @notionhq/client 5.26.0 (build/src/api-endpoints/data-sources.js, pages.js),
 * Notion's own description of each endpoint.
 */
import { isJsonObject } from '../http/body.js';
import { bodyInvalid } from './errors.js';

/** Keyed by the route names of routes.ts (plain strings here: routes.ts imports this module). */
export const BODY_KEYS: Readonly<Record<string, readonly string[]>> = {
  query: ['archived', 'sorts', 'filter', 'start_cursor', 'page_size', 'in_trash', 'result_type'],
  createPage: ['parent', 'properties', 'icon', 'cover', 'content', 'children', 'markdown', 'allow_async', 'template', 'position'],
  updatePage: ['archived', 'properties', 'icon', 'cover', 'is_locked', 'template', 'erase_content', 'in_trash', 'is_archived'],
};

/** Throws Notion's validation_error for the first key the route does not know. */
export function rejectUnknownBodyKeys(route: string, body: unknown): void {
  const allowed = BODY_KEYS[route];
  if (!allowed || !isJsonObject(body)) return;
  const unknown = Object.keys(body).find((k) => !allowed.includes(k));
  if (unknown !== undefined) throw bodyInvalid(`body.${unknown}`, 'not present', body[unknown]);
}
