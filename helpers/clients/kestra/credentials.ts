/**
 * Basic credentials for a Kestra base URL: given explicitly, or as user-info in the URL (then
 * moved out of it). The password and its header token are registered with the redactor.
 */
import { Redactor } from '../redact.js';

export interface BasicCredentials {
  username: string;
  password: string;
}

export function resolveBasicAuth(base: URL, given: BasicCredentials | undefined, redactor: Redactor = new Redactor()): { authorization: string | undefined; redactor: Redactor } {
  const auth = given ?? (base.username ? { username: decodeURIComponent(base.username), password: decodeURIComponent(base.password) } : undefined);
  base.username = '';
  base.password = '';
  if (!auth) return { authorization: undefined, redactor };
  const token = Buffer.from(`${auth.username}:${auth.password}`).toString('base64');
  redactor.add(auth.password);
  redactor.add(token);
  return { authorization: `Basic ${token}`, redactor };
}
