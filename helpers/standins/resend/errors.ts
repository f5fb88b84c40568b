/**
 * Resend's error responses: `{statusCode, message, name}`. Names, statuses and messages follow
 * https://resend.com/docs/api-reference/errors and messages seen from the live API; the few the
 * docs do not cover are marked where they are made.
 */

export type ResendErrorName =
  | 'missing_api_key'
  | 'invalid_api_key'
  | 'restricted_api_key'
  | 'validation_error'
  | 'missing_required_field'
  | 'invalid_idempotency_key'
  | 'invalid_idempotent_request'
  | 'concurrent_idempotent_requests'
  | 'invalid_attachment'
  | 'invalid_parameter'
  | 'not_found'
  | 'method_not_allowed'
  | 'rate_limit_exceeded'
  | 'internal_server_error'
  | 'application_error';

export class ResendError extends Error {
  override name = 'ResendError';
  constructor(
    readonly statusCode: number,
    readonly errorName: ResendErrorName,
    message: string,
  ) {
    super(message);
  }
}

export interface ResendErrorBody {
  statusCode: number;
  message: string;
  name: ResendErrorName;
}

export function resendErrorBody(error: ResendError): ResendErrorBody {
  return { statusCode: error.statusCode, message: error.message, name: error.errorName };
}

const ADDRESS_FORMAT = 'The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.';

export const resendErrors = {
  missingApiKey: () => new ResendError(401, 'missing_api_key', 'Missing API key in the authorization header.'),
  /** As documented. The live API has also been recorded answering 401 validation_error "API key is invalid": treat both as a bad key. */
  invalidApiKey: () => new ResendError(403, 'invalid_api_key', 'API key is invalid.'),
  restrictedApiKey: () => new ResendError(401, 'restricted_api_key', 'This API key is restricted to only send emails.'),
  missingField: (field: string) => new ResendError(422, 'missing_required_field', `Missing \`${field}\` field.`),
  /** Not in the docs: the live API has been seen to refuse a send with no body, like a missing field. */
  missingContent: () => new ResendError(422, 'missing_required_field', 'Missing `html` or `text` field.'),
  invalidAddress: (field: string) => new ResendError(422, 'validation_error', `Invalid \`${field}\` field. ${ADDRESS_FORMAT}`),
  invalidField: (field: string, why: string) => new ResendError(422, 'validation_error', `Invalid \`${field}\` field. ${why}`),
  unverifiedDomain: (domain: string) =>
    new ResendError(403, 'validation_error', `The ${domain} domain is not verified. Please, add and verify your domain on https://resend.com/domains`),
  invalidIdempotencyKey: () => new ResendError(400, 'invalid_idempotency_key', 'The key must be between 1-256 chars.'),
  idempotencyConflict: () => new ResendError(409, 'invalid_idempotent_request', 'Same idempotency key used with a different request payload.'),
  concurrentIdempotentRequests: () =>
    new ResendError(409, 'concurrent_idempotent_requests', 'Same idempotency key used while original request is still in progress.'),
  invalidAttachment: () => new ResendError(422, 'invalid_attachment', 'Attachment must have either a `content` or `path`.'),
  invalidId: () => new ResendError(422, 'invalid_parameter', 'The `id` must be a valid UUID.'),
  emailNotFound: () => new ResendError(404, 'not_found', 'Email not found'),
  routeNotFound: () => new ResendError(404, 'not_found', 'The requested endpoint does not exist.'),
  methodNotAllowed: () => new ResendError(405, 'method_not_allowed', 'Method is not allowed for the requested path.'),
  rateLimited: (perSecond: number) =>
    new ResendError(429, 'rate_limit_exceeded', `Too many requests. You can only make ${perSecond} requests per second. See rate limit response headers for more information. Or contact support to increase rate limit.`),
  /** Not in the docs (no documented name for these): the closest documented shape. */
  invalidJson: () => new ResendError(400, 'validation_error', 'Invalid JSON: the request body could not be parsed.'),
  wrongContentType: (got: string | undefined) =>
    new ResendError(400, 'validation_error', `Invalid \`Content-Type\` header: expected \`application/json\`, got \`${got ?? '(none)'}\`.`),
  bodyTooLarge: (limitBytes: number) => new ResendError(413, 'validation_error', `Request body too large: the limit is ${Math.round(limitBytes / 1_000_000)}MB.`),
  internal: () => new ResendError(500, 'internal_server_error', 'An unexpected error occurred.'),
  unavailable: () => new ResendError(503, 'application_error', 'Service unavailable. Try the request again later.'),
};
