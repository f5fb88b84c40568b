/**
 * The one Kestra version pin (SPEC §8): the tag of the `kestra/kestra` image in the product compose
 * file. What depends on the version (behaviours the stand-in models per release) reads it here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPOSITORY_ROOT } from './repository-flows.js';

export const PRODUCT_COMPOSE_PATH = join(REPOSITORY_ROOT, 'docker-compose.kestra.dokploy.yml');

export interface KestraVersion {
  major: number;
  minor: number;
  patch: number;
  /** As written in the tag, without the leading `v`. */
  text: string;
}

/** `v1.3.16`, `1.3.16`, `1.3.16-full` → {1, 3, 16}; anything else → undefined. */
export function parseKestraTag(tag: string): KestraVersion | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(tag);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), text: tag.replace(/^v/, '') };
}

let cached: KestraVersion | undefined;

/** The pinned version; a compose file without a versioned kestra/kestra image is an error naming it. */
export function pinnedKestraVersion(composePath = PRODUCT_COMPOSE_PATH): KestraVersion {
  if (cached && composePath === PRODUCT_COMPOSE_PATH) return cached;
  const doc = parse(readFileSync(composePath, 'utf8')) as { services?: Record<string, { image?: unknown }> };
  for (const service of Object.values(doc?.services ?? {})) {
    const image = typeof service?.image === 'string' ? service.image : '';
    const m = /^(?:docker\.io\/)?kestra\/kestra:(.+)$/.exec(image);
    const version = m ? parseKestraTag(m[1]!) : undefined;
    if (!version) continue;
    if (composePath === PRODUCT_COMPOSE_PATH) cached = version;
    return version;
  }
  throw new Error(`${composePath}: no kestra/kestra image with a version tag (SPEC §8: one pin)`);
}

/**
 * The status a webhook answers when its `inputs:` cannot be rendered or validated: 409 up to 1.3
 * (the exception reaches the API's error handler as an illegal state), 422 from 1.4 on
 * (kestra-io/kestra#16871: Webhook answers UNPROCESSABLE_ENTITY).
 */
export function webhookInputRefusalStatus(version: KestraVersion): 409 | 422 {
  return version.major > 1 || (version.major === 1 && version.minor >= 4) ? 422 : 409;
}
