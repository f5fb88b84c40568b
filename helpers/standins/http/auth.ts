/** Reading `Authorization: Bearer <token>` — the scheme is case-insensitive, the token is not. */
import type { IncomingHttpHeaders } from 'node:http';

/** The bearer token, or undefined when the header is missing, empty or not a Bearer credential. */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const value = headers.authorization;
  if (typeof value !== 'string') return undefined;
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(value);
  return match?.[1];
}
