/**
 * The environment of the deploy gate and the production smoke.
 *
 * The variables below are not (yet) in helpers/config/variables.ts. Until they are, this module
 * validates them itself, with the same VariableDoc shape and the same one-line ConfigError as the
 * shared env module. The switch is automatic: as soon as HARNESS_VARIABLES documents a name, the
 * shared `optionalVar`/`requiredVar` are used for it and the local doc below is ignored — after
 * which these entries can simply be deleted (and `opsVar`/`requiredOpsVar` replaced by the shared
 * functions).
 */
import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';
import { ConfigError, isTrue, optionalVar, requiredVar } from '../config/env.js';
import { HARNESS_VARIABLES, type VariableDoc } from '../config/variables.js';

const url = z.url({ error: 'must be an absolute URL, e.g. https://host' });
const text = z.string().min(1, { error: 'must not be empty' });
const flag = z.enum(['true', 'false', '1', '0'], { error: 'must be true or false' });
const positiveInt = z.string().regex(/^[1-9][0-9]{0,3}$/, { error: 'must be a whole number from 1 to 9999' });

/** Entries to add to HARNESS_VARIABLES (and .env.example). */
export const OPS_VARIABLES: readonly VariableDoc[] = [
  { name: 'DOKPLOY_URL', purpose: 'Base URL of the Dokploy panel (its API is under /api)', example: 'https://dokploy.galatek.dev', neededBy: 'gate (production)', secret: false, schema: url },
  { name: 'DOKPLOY_API_KEY', purpose: 'Dokploy API key (Profile → API/CLI), sent as the x-api-key header', example: 'dokploy_xxx', neededBy: 'gate (production)', secret: true, schema: text },
  { name: 'DOKPLOY_COMPOSE_ID', purpose: 'Id of the Dokploy compose service that runs Kestra (from its URL in the panel)', example: 'a1B2c3D4e5F6g7H8i9J0k', neededBy: 'gate (production)', secret: false, schema: text },
  { name: 'GATE_ALLOW_PRODUCTION', purpose: 'Same as `npm run gate -- --production`: let the gate deploy to production', example: 'false', neededBy: 'gate (optional)', secret: false, schema: flag },
  { name: 'SMOKE_ALERT_WEBHOOK_URL', purpose: 'Webhook POSTed {"text": …} after SMOKE_ALERT_AFTER consecutive failed smoke runs (Slack/Teams/Discord-compatible)', example: 'https://hooks.slack.com/services/T000/B000/XXXX', neededBy: 'smoke:prod (optional)', secret: true, schema: url },
  { name: 'SMOKE_ALERT_AFTER', purpose: 'Consecutive failed smoke runs before the alert webhook is called (default 2)', example: '2', neededBy: 'smoke:prod (optional)', secret: false, schema: positiveInt },
  { name: 'SMOKE_LEDGER_FILE', purpose: 'Email ledger of the smoke runs: what each run expects to be delivered, checked on later runs (default reports/smoke-ledger.json)', example: 'reports/smoke-ledger.json', neededBy: 'smoke:prod (optional)', secret: false, schema: text },
  { name: 'SMOKE_ALERT_STATE_FILE', purpose: 'Where the smoke counts consecutive failed runs (default reports/smoke-alert-state.json)', example: 'reports/smoke-alert-state.json', neededBy: 'smoke:prod (optional)', secret: false, schema: text },
];

export type OpsVariable =
  | 'DOKPLOY_URL' | 'DOKPLOY_API_KEY' | 'DOKPLOY_COMPOSE_ID' | 'GATE_ALLOW_PRODUCTION'
  | 'SMOKE_ALERT_WEBHOOK_URL' | 'SMOKE_ALERT_AFTER' | 'SMOKE_LEDGER_FILE' | 'SMOKE_ALERT_STATE_FILE';

let loaded = false;
function ensureLoaded(): void {
  if (loaded) return;
  loadDotenv({ quiet: true });
  loaded = true;
}

const shared = (name: string) => HARNESS_VARIABLES.some((v) => v.name === name);

function localDoc(name: OpsVariable): VariableDoc {
  const found = OPS_VARIABLES.find((v) => v.name === name);
  if (!found) throw new ConfigError(`${name} is not a gate/smoke variable (see helpers/gate/env.ts)`);
  return found;
}

/** The variable's validated value, or `undefined` when unset or empty. */
export function opsVar(name: OpsVariable, source: NodeJS.ProcessEnv = process.env): string | undefined {
  if (shared(name)) return optionalVar(name, source);
  ensureLoaded();
  const raw = source[name];
  if (raw === undefined || raw === '') return undefined;
  const doc = localDoc(name);
  const parsed = doc.schema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`${name} ${parsed.error.issues[0]?.message ?? 'is invalid'} (got "${doc.secret ? '***' : raw}")`);
  return raw;
}

/** The variable's validated value; a missing one is one line naming who needs it. */
export function requiredOpsVar(name: OpsVariable, source: NodeJS.ProcessEnv = process.env): string {
  if (shared(name)) return requiredVar(name, source);
  const value = opsVar(name, source);
  if (value === undefined) throw new ConfigError(`${name} is not set — needed by ${localDoc(name).neededBy}: ${localDoc(name).purpose}`);
  return value;
}

export function opsFlag(name: OpsVariable, source: NodeJS.ProcessEnv = process.env): boolean {
  return isTrue(opsVar(name, source));
}
