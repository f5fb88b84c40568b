/**
 * Production safety for the funnel (issue §5).
 *
 * 1. Driving a site that is not on loopback (or a target marked `production`) needs an explicit
 *    opt-in: `--allow-production` or FUNNEL_ALLOW_PRODUCTION=true. Otherwise: one refusal line.
 * 2. Every address the journey will type goes through the shared recipient guard
 *    (`assertAllowedRecipient`, helpers/spec/identity.ts) BEFORE the browser is driven at all. The
 *    only exception is a value with no `@` — it is not an address, no mail system can deliver to it
 *    (the invalid-email case types such a value to see the page's error).
 */
import { assertAllowedRecipient } from '../../spec/index.js';
import { isTrue, optionalVar } from '../../config/env.js';

export const PRODUCTION_OPT_IN_ENV = 'FUNNEL_ALLOW_PRODUCTION';
export const PRODUCTION_OPT_IN_FLAG = '--allow-production';

export class ProductionRefusedError extends Error {
  override name = 'ProductionRefusedError';
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Whether a URL points at this machine (the fixture site, a local dev server). */
export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname.toLowerCase();
  return LOOPBACK_HOSTS.has(host) || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function productionOptedIn(opts: { flag?: boolean; env?: NodeJS.ProcessEnv } = {}): boolean {
  return opts.flag === true || isTrue(optionalVar(PRODUCTION_OPT_IN_ENV, opts.env ?? process.env));
}

/**
 * Throws a one-line ProductionRefusedError unless the site is local or production was opted into.
 * `targetIsProduction` (from selectors.json) makes even a loopback URL count as production.
 */
export function assertSiteAllowed(url: string, opts: { allowProductionFlag?: boolean; env?: NodeJS.ProcessEnv; targetIsProduction?: boolean } = {}): void {
  let production: boolean;
  try {
    production = opts.targetIsProduction === true || !isLoopbackUrl(url);
  } catch {
    throw new ProductionRefusedError(`funnel: "${url}" is not a URL`);
  }
  if (production && !productionOptedIn({ flag: opts.allowProductionFlag, env: opts.env })) {
    throw new ProductionRefusedError(
      `funnel: refusing to drive ${url} — it is a production site; pass ${PRODUCTION_OPT_IN_FLAG} or set ${PRODUCTION_OPT_IN_ENV}=true to drive it`,
    );
  }
}

/**
 * The recipient guard for what the journey types into an email field. A value containing `@` must
 * be an allowed recipient (SPEC §9); a value without `@` is not an address and may be typed.
 */
export function assertTypableEmail(value: string, context: string): void {
  if (!value.includes('@')) return;
  assertAllowedRecipient(value, context);
}
