/**
 * The gate's and the smoke's variables, read through the shared env module (helpers/config),
 * which documents and validates them like every other harness variable.
 */
import { isTrue, optionalVar, requiredVar } from '../../config/env.js';

export type OpsVariable =
  | 'DOKPLOY_URL' | 'DOKPLOY_API_KEY' | 'DOKPLOY_COMPOSE_ID' | 'GATE_ALLOW_PRODUCTION'
  | 'SMOKE_ALERT_WEBHOOK_URL' | 'SMOKE_ALERT_AFTER' | 'SMOKE_LEDGER_FILE' | 'SMOKE_ALERT_STATE_FILE';

export const opsVar = (name: OpsVariable, source: NodeJS.ProcessEnv = process.env): string | undefined => optionalVar(name, source);
export const requiredOpsVar = (name: OpsVariable, source: NodeJS.ProcessEnv = process.env): string => requiredVar(name, source);
export const opsFlag = (name: OpsVariable, source: NodeJS.ProcessEnv = process.env): boolean => isTrue(optionalVar(name, source));
