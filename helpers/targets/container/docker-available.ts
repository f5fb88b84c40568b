/**
 * Can this machine run the container target? Asked of testcontainers itself
 * (`getContainerRuntimeClient()`: DOCKER_HOST, ~/.testcontainers.properties, the Docker / rootless /
 * Podman sockets), then of the Compose CLI it will drive. Bounded (3 s by default) and cached per
 * process, so every spec can ask. Without an engine the answer is one line of reason to skip with.
 */
import { execFile } from 'node:child_process';
import type { getContainerRuntimeClient } from 'testcontainers';

export interface DockerEngineInfo {
  /** Host the published ports are reached on (usually `localhost`). */
  host: string;
  serverVersion: string;
  operatingSystem: string;
  architecture: string;
  cpus: number;
  memoryBytes: number;
  /** `docker compose version --short`. */
  composeVersion: string;
}

export type DockerAvailability = { ok: true; info: DockerEngineInfo } | { ok: false; reason: string };

export interface DockerAvailabilityOptions {
  /** Per probe (engine, then Compose). Default 3 000. */
  timeoutMs?: number;
  /** Ask again instead of returning the cached answer. */
  refresh?: boolean;
}

/** Compose understands `!override` (used by the test override) from 2.24.4; older ones still boot (see override.ts). */
export const MIN_COMPOSE_VERSION = '2.20.0';

let cached: Promise<DockerAvailability> | undefined;

function firstLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).find(Boolean) ?? text.trim();
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** `2.29.7` ≥ `2.20.0`? (a leading `v` and suffixes like `-desktop.1` are ignored). */
export function versionAtLeast(version: string, minimum: string): boolean {
  const parse = (v: string) => v.replace(/^v/, '').split(/[.+-]/).slice(0, 3).map((n) => Number.parseInt(n, 10) || 0);
  const [a, b] = [parse(version), parse(minimum)];
  for (let i = 0; i < 3; i += 1) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

function composeVersion(timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('docker', ['compose', 'version', '--short'], { timeout: timeoutMs, windowsHide: true }, (error, stdout, stderr) => {
      if (error) reject(new Error(firstLine(String(stderr || error.message))));
      else resolve(String(stdout).trim());
    });
  });
}

async function probe(timeoutMs: number): Promise<DockerAvailability> {
  let client: Awaited<ReturnType<typeof getContainerRuntimeClient>>;
  try {
    // Loaded when first asked: importing testcontainers costs ~0.6 s of CPU, and most processes that
    // import this module (every e2e worker through helpers/targets, verify) run another target.
    const testcontainers = await import('testcontainers');
    client = await withTimeout(testcontainers.getContainerRuntimeClient(), timeoutMs, 'the container engine');
  } catch (error) {
    const why = firstLine((error as Error).message ?? String(error));
    const where = process.env.DOCKER_HOST ? `DOCKER_HOST=${process.env.DOCKER_HOST}` : 'DOCKER_HOST unset, no Docker/Podman socket found';
    return { ok: false, reason: `container target needs a Docker engine: ${why} (${where})` };
  }
  let compose: string;
  try {
    compose = await composeVersion(timeoutMs);
  } catch (error) {
    return { ok: false, reason: `container target needs Docker Compose v2 (\`docker compose\`): ${firstLine((error as Error).message)}` };
  }
  if (!versionAtLeast(compose, MIN_COMPOSE_VERSION)) {
    return { ok: false, reason: `container target needs Docker Compose ≥ ${MIN_COMPOSE_VERSION}, found ${compose}` };
  }
  const engine = client.info.containerRuntime;
  return {
    ok: true,
    info: {
      host: engine.host,
      serverVersion: String(engine.serverVersion),
      operatingSystem: engine.operatingSystem,
      architecture: engine.architecture,
      cpus: engine.cpus,
      memoryBytes: engine.memory,
      composeVersion: compose,
    },
  };
}

/** Whether the container target can run here; never throws. */
export function dockerAvailability(opts: DockerAvailabilityOptions = {}): Promise<DockerAvailability> {
  if (!cached || opts.refresh) cached = probe(opts.timeoutMs ?? 3_000);
  return cached;
}

/** One line for progress output. */
export function describeAvailability(availability: DockerAvailability): string {
  if (!availability.ok) return availability.reason;
  const { info } = availability;
  return `Docker ${info.serverVersion} (${info.operatingSystem}, ${info.cpus} CPUs, ${(info.memoryBytes / 2 ** 30).toFixed(1)} GiB) at ${info.host}, Compose ${info.composeVersion}`;
}
