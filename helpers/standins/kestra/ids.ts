/**
 * Ids shaped like Kestra's: `IdUtils.create()` is `FriendlyId.createFriendlyId()`, a random UUID
 * written in base 62 (digits, A–Z, a–z) — at most 22 characters (core/.../utils/IdUtils.java).
 * With a seed the sequence is reproducible (tests that compare ids across runs); without one it is
 * random.
 */
import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function base62(bytes: Buffer): string {
  let n = BigInt(`0x${bytes.toString('hex')}`);
  if (n === 0n) return '0';
  let out = '';
  while (n > 0n) {
    out = ALPHABET[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out;
}

export type IdGenerator = () => string;

export function createIdGenerator(seed?: string): IdGenerator {
  let counter = 0;
  return () => {
    const bytes = seed === undefined ? randomBytes(16) : createHash('sha256').update(`${seed}:${counter++}`).digest().subarray(0, 16);
    // UUID version 4 / variant bits, as a real UUID has them.
    bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
    bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
    return base62(bytes);
  };
}

/** A Kestra-shaped id: 1–22 base-62 characters. */
export const KESTRA_ID_PATTERN = /^[0-9A-Za-z]{1,22}$/;
