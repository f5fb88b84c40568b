/**
 * Is a Kestra at KESTRA_URL, and does it take our credentials? Two bounded GETs before anything
 * runs, so a wrong URL is one line in seconds instead of every spec failing one by one:
 *  - `GET /api/v1/configs` (open even with basic auth on) must answer 200 with Kestra's JSON
 *    (`version`) — a proxy's 404 or an HTML page is "not a Kestra";
 *  - `GET /api/v1/main/flows/search?size=1` must not be 401/403 (any other answer is left to the specs).
 */
import { ConfigError } from './env.js';

export const REACHABILITY_TIMEOUT_MS = 5_000;

async function get(url: URL, headers: Record<string, string>, timeoutMs: number, baseUrl: string): Promise<{ status: number; body: string }> {
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    return { status: res.status, body: await res.text() };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string; message?: string } };
    const why = e.name === 'TimeoutError' ? `no answer in ${timeoutMs / 1000} s` : (e.cause?.code ?? e.cause?.message ?? e.message);
    throw new ConfigError(`KESTRA_URL ${baseUrl} is unreachable (GET ${url.pathname}: ${why})`);
  }
}

export async function assertKestraReachable(baseUrl: string, auth: { username: string; password: string }, timeoutMs = REACHABILITY_TIMEOUT_MS): Promise<void> {
  const at = (path: string) => new URL(path, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  const configs = await get(at('api/v1/configs'), {}, timeoutMs, baseUrl);
  let version: unknown;
  try {
    version = (JSON.parse(configs.body) as { version?: unknown }).version;
  } catch {
    /* not JSON: reported below */
  }
  if (configs.status !== 200 || typeof version !== 'string') {
    throw new ConfigError(`KESTRA_URL ${baseUrl} does not answer as a Kestra (GET /api/v1/configs: ${configs.status}${configs.status === 200 ? ', no version in the body' : ''})`);
  }
  const authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  const search = await get(at('api/v1/main/flows/search?size=1'), { authorization }, timeoutMs, baseUrl);
  if (search.status === 401 || search.status === 403) throw new ConfigError(`KESTRA_USERNAME / KESTRA_PASSWORD refused by ${baseUrl} (GET /api/v1/main/flows/search: ${search.status})`);
}
