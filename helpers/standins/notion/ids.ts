/** Notion ids are UUIDs, accepted with or without dashes and always answered with dashes. */
import { createHash, randomUUID } from 'node:crypto';

const DASHED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COMPACT = /^[0-9a-f]{32}$/i;

/** The dashed, lower-case form of an id, or undefined when it is not a UUID in either form. */
export function normalizeId(raw: string): string | undefined {
  if (DASHED.test(raw)) return raw.toLowerCase();
  if (COMPACT.test(raw)) {
    const h = raw.toLowerCase();
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  return undefined;
}

export function newId(): string {
  return randomUUID();
}

/** A stable UUID (v4 layout) derived from a seed, so seeded ids are the same in every run. */
export function stableId(seed: string): string {
  const h = createHash('sha256').update(`notion-standin:${seed}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function compactId(id: string): string {
  return id.replace(/-/g, '');
}
