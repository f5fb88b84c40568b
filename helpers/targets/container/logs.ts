/**
 * Container logs of a Compose project through dockerode, for Allure attachments and for failure
 * messages. Docker multiplexes stdout/stderr of a non-TTY container into frames
 * (`[stream, 0, 0, 0, size₃₂ᵦₑ] payload`); `DockerLogDemuxer` undoes that, chunk by chunk.
 *
 * Two ways in: `fetchServiceLogs` reads everything a container has logged so far (one call), and
 * `ProjectLogFollower` follows every container of the project from the moment it appears — so a
 * Kestra that fails its health check, and is removed by testcontainers on the way out, still
 * leaves its logs behind for the error message.
 */
import type Dockerode from 'dockerode';
import { SecretRedactor } from './redact.js';

const HEADER = 8;

/** Stateful demultiplexer: push raw chunks, read the text. Falls back to raw text for TTY containers. */
export class DockerLogDemuxer {
  #pending: Buffer = Buffer.alloc(0);
  #raw: boolean | undefined;
  readonly #parts: Buffer[] = [];
  #size = 0;
  #dropped = false;

  /** Keeps at most `maxBytes` of the newest output (whole frames). */
  constructor(private readonly maxBytes = Number.POSITIVE_INFINITY) {}

  push(chunk: Buffer | string): void {
    const data = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (this.#raw === undefined && data.length > 0) {
      // A multiplexed stream starts with a header: stream type 0–2 then three zero bytes.
      this.#raw = !(data.length >= 4 && data[0]! <= 2 && data[1] === 0 && data[2] === 0 && data[3] === 0);
    }
    if (this.#raw) {
      this.#keep(data);
      return;
    }
    let buffer = this.#pending.length ? Buffer.concat([this.#pending, data]) : data;
    while (buffer.length >= HEADER) {
      const size = buffer.readUInt32BE(4);
      if (buffer.length < HEADER + size) break;
      this.#keep(buffer.subarray(HEADER, HEADER + size));
      buffer = buffer.subarray(HEADER + size);
    }
    this.#pending = Buffer.from(buffer);
  }

  #keep(part: Buffer): void {
    this.#parts.push(Buffer.from(part));
    this.#size += part.length;
    while (this.#size > this.maxBytes && this.#parts.length > 1) {
      this.#size -= this.#parts.shift()!.length;
      this.#dropped = true;
    }
  }

  text(): string {
    const text = Buffer.concat(this.#parts).toString('utf8');
    return this.#dropped ? `… (earlier output dropped)\n${text}` : text;
  }

  /** Bytes kept (demultiplexed). */
  get size(): number {
    return this.#size;
  }
}

export function demuxDockerLogs(data: Buffer | string): string {
  const demuxer = new DockerLogDemuxer();
  demuxer.push(data);
  return demuxer.text();
}

export const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project';
export const COMPOSE_SERVICE_LABEL = 'com.docker.compose.service';

async function projectContainers(docker: Dockerode, projectName: string): Promise<Dockerode.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: [`${COMPOSE_PROJECT_LABEL}=${projectName}`] } });
}

/** Everything the project's containers of `service` have logged so far, redacted. '' when none. */
export async function fetchServiceLogs(docker: Dockerode, projectName: string, service: string, redactor: SecretRedactor): Promise<string> {
  const containers = (await projectContainers(docker, projectName)).filter((c) => c.Labels[COMPOSE_SERVICE_LABEL] === service);
  const texts: string[] = [];
  for (const info of containers) {
    const raw = await docker.getContainer(info.Id).logs({ stdout: true, stderr: true, follow: false, timestamps: true });
    const text = demuxDockerLogs(raw);
    texts.push(containers.length > 1 ? `=== ${info.Names[0] ?? info.Id} ===\n${text}` : text);
  }
  return redactor.log(texts.join('\n'));
}

export interface FollowedLogs {
  [service: string]: string;
}

/**
 * Follows the logs of every container of a project (polling for new containers every second),
 * keeping at most `maxBytesPerService` per container (the newest part).
 */
export class ProjectLogFollower {
  readonly #streams = new Map<string, { service: string; demuxer: DockerLogDemuxer; stream?: NodeJS.ReadableStream }>();
  readonly #abort = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #polling = false;

  constructor(
    private readonly docker: Dockerode,
    private readonly projectName: string,
    private readonly redactor: SecretRedactor,
    private readonly maxBytesPerService = 2_000_000,
  ) {}

  start(intervalMs = 1_000): this {
    const tick = () => void this.poll();
    tick();
    this.#timer = setInterval(tick, intervalMs);
    this.#timer.unref();
    return this;
  }

  private async poll(): Promise<void> {
    if (this.#polling || this.#abort.signal.aborted) return;
    this.#polling = true;
    try {
      for (const info of await projectContainers(this.docker, this.projectName)) {
        if (this.#streams.has(info.Id)) continue;
        const entry: { service: string; demuxer: DockerLogDemuxer; stream?: NodeJS.ReadableStream } = {
          service: info.Labels[COMPOSE_SERVICE_LABEL] ?? info.Names[0] ?? info.Id,
          demuxer: new DockerLogDemuxer(this.maxBytesPerService),
        };
        this.#streams.set(info.Id, entry);
        try {
          const stream = await this.docker
            .getContainer(info.Id)
            .logs({ stdout: true, stderr: true, follow: true, timestamps: true, abortSignal: this.#abort.signal });
          entry.stream = stream;
          stream.on('data', (chunk: Buffer) => entry.demuxer.push(chunk));
          stream.on('error', () => undefined);
        } catch {
          // The container went away between listing and attaching: nothing to follow.
        }
      }
    } catch {
      // The engine is busy or the project is gone; the next tick tries again.
    } finally {
      this.#polling = false;
    }
  }

  /** What has been collected so far, per service, redacted. */
  collected(): FollowedLogs {
    const out: FollowedLogs = {};
    for (const { service, demuxer } of this.#streams.values()) {
      const text = demuxer.text();
      out[service] = out[service] ? `${out[service]}\n${text}` : text;
    }
    for (const service of Object.keys(out)) out[service] = this.redactor.log(out[service]!);
    return out;
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#abort.abort();
    for (const { stream } of this.#streams.values()) {
      const destroyable = stream as NodeJS.ReadableStream & { destroy?: () => void };
      destroyable?.destroy?.();
    }
  }
}

/** The last `lines` lines of a log, for error messages. */
export function tail(text: string, lines = 40): string {
  const all = text.trimEnd().split('\n');
  return (all.length > lines ? ['…', ...all.slice(-lines)] : all).join('\n');
}
