/**
 * Starts the target the e2e specs run against, by name. The container target's modules (testcontainers,
 * dockerode: ~1 s of module loading per process) are imported only when that target is asked for —
 * every Playwright worker and the runner import this file.
 */
import type { TargetName } from '../config/variables.js';
import { startLocalTarget } from './local.js';
import { startRemoteTarget } from './remote.js';
import type { Target } from './types.js';

export type { Target } from './types.js';

/** Why a target cannot run on this machine (one line), or null when it can. */
export async function targetUnavailableReason(name: TargetName): Promise<string | null> {
  if (name !== 'container') return null;
  const { dockerAvailability } = await import('./container/docker-available.js');
  const docker = await dockerAvailability();
  return docker.ok ? null : `container target skipped: ${docker.reason}`;
}

export async function startTarget(name: TargetName): Promise<Target> {
  switch (name) {
    case 'local':
      return startLocalTarget();
    case 'remote':
      return startRemoteTarget();
    case 'container':
      return (await import('./container-target.js')).startContainerTarget();
  }
}
