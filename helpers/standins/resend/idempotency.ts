/**
 * Resend's Idempotency-Key: the same key with the same payload answers the first send's id
 * without sending again; the same key with a different payload is a 409. Keys are scoped to the
 * API key and the endpoint, and expire after 24 hours.
 */
import { createHash } from 'node:crypto';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
export const IDEMPOTENCY_KEY_MAX = 256;

interface Remembered {
  fingerprint: string;
  emailId: string;
  expiresAtMs: number;
}

export type IdempotencyDecision = { kind: 'new' } | { kind: 'replay'; emailId: string } | { kind: 'conflict' };

/** A payload's fingerprint: key order does not matter, anything else does. */
export function payloadFingerprint(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(sortKeys(body))).digest('hex');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
  return out;
}

export class IdempotencyStore {
  #byKey = new Map<string, Remembered>();

  decide(scope: string, key: string, fingerprint: string, nowMs: number): IdempotencyDecision {
    const found = this.#byKey.get(`${scope}\u0000${key}`);
    if (!found || found.expiresAtMs <= nowMs) return { kind: 'new' };
    return found.fingerprint === fingerprint ? { kind: 'replay', emailId: found.emailId } : { kind: 'conflict' };
  }

  remember(scope: string, key: string, fingerprint: string, emailId: string, nowMs: number): void {
    this.#byKey.set(`${scope}\u0000${key}`, { fingerprint, emailId, expiresAtMs: nowMs + IDEMPOTENCY_TTL_MS });
  }

  clear(): void {
    this.#byKey.clear();
  }
}
