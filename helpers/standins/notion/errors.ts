/**
 * Notion's error responses: every error body is exactly
 * `{object: 'error', status, code, message, request_id}`. Codes and messages follow
 * https://developers.notion.com/reference/status-codes; where the docs show no message the
 * wording is the closest one seen in real responses (noted beside it).
 */

export type NotionErrorCode =
  | 'invalid_json'
  | 'invalid_request_url'
  | 'invalid_request'
  | 'validation_error'
  | 'missing_version'
  | 'unauthorized'
  | 'restricted_resource'
  | 'object_not_found'
  | 'conflict_error'
  | 'rate_limited'
  | 'internal_server_error'
  | 'service_unavailable';

/** Thrown by handlers for an expected error answer; anything else thrown is a crash (500). */
export class NotionError extends Error {
  override name = 'NotionError';
  constructor(
    readonly status: number,
    readonly code: NotionErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface NotionErrorBody {
  object: 'error';
  status: number;
  code: NotionErrorCode;
  message: string;
  request_id: string;
}

export function notionErrorBody(error: NotionError, requestId: string): NotionErrorBody {
  return { object: 'error', status: error.status, code: error.code, message: error.message, request_id: requestId };
}

/** How Notion's validator prints the offending value: JSON in backticks, `undefined` when absent. */
export function shown(value: unknown): string {
  if (value === undefined) return '`undefined`';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return `\`${text.length > 120 ? `${text.slice(0, 117)}...` : text}\``;
}

/** `body failed validation: <path> should be <expected>, instead was <value>.` — Notion's validator wording. */
export function bodyInvalid(path: string, expected: string, value: unknown): NotionError {
  return new NotionError(400, 'validation_error', `body failed validation: ${path} should be ${expected}, instead was ${shown(value)}.`);
}

const SHARED_HINT = 'Make sure the relevant pages and databases are shared with your integration.';

export const notionErrors = {
  unauthorized: () => new NotionError(401, 'unauthorized', 'API token is invalid.'),
  missingVersion: () =>
    new NotionError(400, 'missing_version', 'Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.'),
  /** The stand-in speaks one version only (SPEC §7); Notion itself would accept older ones. */
  unsupportedVersion: (got: string, supported: string) =>
    new NotionError(400, 'validation_error', `Notion-Version header failed validation: Notion-Version header should be \`"${supported}"\` (the only version this stand-in speaks), instead was ${shown(got)}.`),
  invalidJson: () => new NotionError(400, 'invalid_json', 'Error parsing JSON body.'),
  invalidUrl: () => new NotionError(400, 'invalid_request_url', 'Invalid request URL.'),
  /** Notion documents only "400 validation_error" for size limits; a body past 500KB was seen answered 413. */
  bodyTooLarge: (limitBytes: number) =>
    new NotionError(413, 'validation_error', `Request body too large: the limit is ${Math.round(limitBytes / 1000)}KB.`),
  rateLimited: () => new NotionError(429, 'rate_limited', 'You have been rate limited. Please try again in a few minutes.'),
  internal: () => new NotionError(500, 'internal_server_error', 'Unexpected error occurred.'),
  unavailable: () =>
    new NotionError(503, 'service_unavailable', 'Notion is unavailable, please try again later. This can occur when the time to respond to a request takes longer than 60 seconds, the maximum request timeout.'),
  notFound: (object: 'page' | 'database' | 'data_source', id: string) =>
    new NotionError(404, 'object_not_found', `Could not find ${object} with ID: ${id}. ${SHARED_HINT}`),
  pathIdInvalid: (param: string, value: string) =>
    new NotionError(400, 'validation_error', `path failed validation: path.${param} should be a valid uuid, instead was ${shown(value)}.`),
  unknownProperty: (name: string) => new NotionError(400, 'validation_error', `${name} is not a property that exists.`),
  propertyTypeMismatch: (name: string, type: string) => new NotionError(400, 'validation_error', `${name} is expected to be ${type}.`),
  archivedPage: () => new NotionError(400, 'validation_error', "Can't edit block that is archived. You must unarchive the block before editing."),
};
