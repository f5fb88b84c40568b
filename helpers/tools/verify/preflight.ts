/**
 * Before any spec runs: can the chosen target run at all? One line when it cannot — Docker
 * missing for `container`; for `remote`, every variable it needs that is not set (all at once),
 * then KESTRA_URL answering within seconds — so `verify` exits 2 at once instead of failing
 * every spec one by one.
 */
import type { TargetName } from '../../config/variables.js';
import { ConfigError, requireAll } from '../../config/env.js';

export async function targetPreflight(target: TargetName, env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  try {
    if (target === 'container') {
      // Imported here only: testcontainers costs ~1 s of loading that local and remote runs never need.
      const { dockerAvailability } = await import('../../targets/container/docker-available.js');
      const docker = await dockerAvailability();
      return docker.ok ? null : `the container target cannot run here: ${docker.reason}`;
    }
    if (target === 'remote') {
      // Imported here only, like the container branch: the Kestra and Notion clients (undici, zod)
      // are ~0.4 s of loading in front of every local verify.
      const [{ assertKestraReachable }, { remoteTargetVariables }] = await Promise.all([import('../../config/reachable.js'), import('../../targets/remote.js')]);
      const vars = requireAll(remoteTargetVariables(env), 'the remote target', env);
      await assertKestraReachable(vars.KESTRA_URL!, { username: vars.KESTRA_USERNAME!, password: vars.KESTRA_PASSWORD! });
    }
    return null;
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
}
