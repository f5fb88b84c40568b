/**
 * The one module that reads the environment. `.env` is loaded quietly (it is optional); each
 * variable is validated on first use, and a bad one is one line naming it and what it must be.
 */
import { config as loadDotenv } from 'dotenv';
import { HARNESS_VARIABLES, type TargetName, type VariableDoc } from './variables.js';

let loaded = false;
function ensureLoaded(): void {
  if (loaded) return;
  loadDotenv({ quiet: true });
  loaded = true;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function doc(name: string): VariableDoc {
  const found = HARNESS_VARIABLES.find((v) => v.name === name);
  if (!found) throw new ConfigError(`${name} is not a harness variable (see helpers/config/variables.ts)`);
  return found;
}

/** The variable's validated value, or `undefined` when unset or empty. */
export function optionalVar(name: string, source: NodeJS.ProcessEnv = process.env): string | undefined {
  ensureLoaded();
  const raw = source[name];
  if (raw === undefined || raw === '') return undefined;
  const parsed = doc(name).schema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`${name} ${parsed.error.issues[0]?.message ?? 'is invalid'} (got "${doc(name).secret ? '***' : raw}")`);
  return raw;
}

/** The variable's validated value; a missing one is an error naming who needs it. */
export function requiredVar(name: string, source: NodeJS.ProcessEnv = process.env): string {
  const value = optionalVar(name, source);
  if (value === undefined) throw new ConfigError(`${name} is not set — needed by ${doc(name).neededBy}; see .env.example`);
  return value;
}

export function isTrue(value: string | undefined): boolean {
  return value === 'true' || value === '1';
}

export function selectedTarget(source: NodeJS.ProcessEnv = process.env): TargetName {
  return (optionalVar('HARNESS_TARGET', source) as TargetName | undefined) ?? 'local';
}

/**
 * Every variable in `names` at once: one ConfigError listing all that are missing (and the first
 * malformed one), so a user fixes their .env in one go rather than one run per variable.
 */
export function requireAll(names: readonly string[], who: string, source: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of names) {
    const value = optionalVar(name, source);
    if (value === undefined) missing.push(name);
    else values[name] = value;
  }
  if (missing.length > 0) throw new ConfigError(`${who} needs ${missing.join(', ')} — not set; see .env.example`);
  return values;
}
