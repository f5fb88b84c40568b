/**
 * The environment a unit spec hands to a CLI it spawns: the parent's, minus Playwright's worker
 * variables, with every harness variable set to '' — an empty value counts as unset
 * (helpers/config/env.ts) and dotenv never overrides a variable that is set, so neither the
 * developer's shell nor their `.env` reaches the child. The spec adds what it means to set.
 */
import { HARNESS_VARIABLES } from './variables.js';

export function isolatedEnv(extra: NodeJS.ProcessEnv = {}, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) if (!/^(TEST_|PW_|PLAYWRIGHT_)/.test(k)) env[k] = v;
  for (const v of HARNESS_VARIABLES) env[v.name] = '';
  return { ...env, NO_COLOR: '1', FORCE_COLOR: '0', CI: '', ...extra };
}
