/**
 * Ids shaped like Kestra's: `IdUtils.create()` is `FriendlyId.createFriendlyId()`, a random UUID
 * written in base 62 (digits, A–Z, a–z) — at most 22 characters (core/.../utils/IdUtils.java).
 * With a seed the sequence is reproducible (tests that compare ids across runs); without one it is
 * random.
 */
import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * The 128-bit number in base 62, by long division on four 32-bit limbs (plain numbers: a limb
 * plus a remainder shifted up stays below 2^38). Same digits as BigInt division, a fraction of
 * its cost — the engine makes an id for every execution and task run.
 */
function base62(bytes: Uint8Array): string {
  const limbs = [0, 4, 8, 12].map((i) => ((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!) >>> 0);
  let out = '';
  while (limbs[0] !== 0 || limbs[1] !== 0 || limbs[2] !== 0 || limbs[3] !== 0) {
    let rest = 0;
    for (let i = 0; i < 4; i++) {
      const value = rest * 0x1_0000_0000 + limbs[i]!;
      limbs[i] = Math.floor(value / 62);
      rest = value % 62;
    }
    out = ALPHABET[rest] + out;
  }
  return out === '' ? '0' : out;
}

/** Random bytes drawn from a pool refilled 4 KiB at a time (one call into OpenSSL per 256 ids). */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let poolOffset = 0;
function random16(): Buffer {
  if (poolOffset + 16 > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolOffset = 0;
  }
  const bytes = Buffer.from(pool.subarray(poolOffset, poolOffset + 16));
  poolOffset += 16;
  return bytes;
}

export type IdGenerator = () => string;

export function createIdGenerator(seed?: string): IdGenerator {
  let counter = 0;
  return () => {
    const bytes = seed === undefined ? random16() : createHash('sha256').update(`${seed}:${counter++}`).digest().subarray(0, 16);
    // UUID version 4 / variant bits, as a real UUID has them.
    bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
    bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
    return base62(bytes);
  };
}

/** A Kestra-shaped id: 1–22 base-62 characters. */
export const KESTRA_ID_PATTERN = /^[0-9A-Za-z]{1,22}$/;
