/**
 * The flows this repository holds, read from kestra/flows: folder = namespace, file name = id.
 * Deploying (local stand-in, container target, production gate) always starts from here.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { yamlParser } from './yaml-parser.js';

export const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const FLOWS_DIR = join(REPOSITORY_ROOT, 'kestra', 'flows');
/** Parsed flow documents as JSON, by hash of (yaml version, source): git-ignored, safe to delete. */
const PARSE_CACHE_DIR = join(REPOSITORY_ROOT, '.cache', 'flow-yaml');

export interface RepositoryFlow {
  /** Path relative to the repository root, with forward slashes. */
  file: string;
  /** Namespace implied by the folder. */
  folderNamespace: string;
  /** Id implied by the file name. */
  fileId: string;
  namespace: string;
  id: string;
  source: string;
  /** The parsed document (plain JSON-like data). */
  definition: Record<string, unknown>;
}

export class FlowFileError extends Error {
  override name = 'FlowFileError';
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return yamlFiles(path);
      return /\.ya?ml$/.test(name) ? [path] : [];
    });
}

/**
 * The last parse of each file, reused while its text is unchanged: a Playwright worker reads the
 * flows for every stack it starts and for the report's environment (YAML parsing was ~0.5 s of
 * each). Callers get their own copy of the definition.
 */
const parsedSources = new Map<string, { source: string; definition: unknown }>();

let yamlVersion: string | undefined;

/**
 * YAML.parse of a flow file, through a disk cache shared by processes: every Playwright worker and
 * CLI parses the same dozen files, and the YAML parser, cold in each new process, took 0.4–1.5 s
 * of a worker's CPU for them. Only a document that survives a JSON round trip unchanged is cached;
 * invalid YAML throws as before and is never cached. A cache that cannot be written is skipped.
 */
function parseWithDiskCache(source: string): unknown {
  yamlVersion ??= String((createRequire(import.meta.url)('yaml/package.json') as { version: string }).version);
  const file = join(PARSE_CACHE_DIR, `${createHash('sha256').update(`yaml ${yamlVersion}\0${source}`).digest('hex')}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // not cached yet (or unreadable): parse
  }
  const definition = yamlParser().parse(source);
  const json = JSON.stringify(definition);
  if (json !== undefined && isDeepStrictEqual(JSON.parse(json), definition)) {
    try {
      mkdirSync(PARSE_CACHE_DIR, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, json);
      renameSync(tmp, file);
    } catch {
      // a read-only checkout parses every time
    }
  }
  return definition;
}

export function readFlowFile(path: string, flowsDir = FLOWS_DIR): RepositoryFlow {
  const rel = relative(flowsDir, path).split(sep);
  const fileName = rel.pop()!;
  const source = readFileSync(path, 'utf8');
  let definition: unknown;
  const cached = parsedSources.get(path);
  if (cached && cached.source === source) definition = structuredClone(cached.definition);
  else {
    try {
      definition = parseWithDiskCache(source);
    } catch (error) {
      throw new FlowFileError(`${relative(REPOSITORY_ROOT, path)}: not valid YAML — ${(error as Error).message.split('\n')[0]}`);
    }
    parsedSources.set(path, { source, definition: structuredClone(definition) });
  }
  if (!definition || typeof definition !== 'object' || Array.isArray(definition)) {
    throw new FlowFileError(`${relative(REPOSITORY_ROOT, path)}: a flow must be a YAML mapping`);
  }
  const doc = definition as Record<string, unknown>;
  return {
    file: relative(REPOSITORY_ROOT, path).split(sep).join('/'),
    folderNamespace: rel.join('.'),
    fileId: fileName.replace(/\.ya?ml$/, ''),
    namespace: String(doc.namespace ?? ''),
    id: String(doc.id ?? ''),
    source,
    definition: doc,
  };
}

/** Every flow under kestra/flows, sorted by path. */
export function repositoryFlows(flowsDir = FLOWS_DIR): RepositoryFlow[] {
  return yamlFiles(flowsDir).map((path) => readFlowFile(path, flowsDir));
}

/** Flows grouped by namespace, in a stable order (for per-namespace deploys). */
export function flowsByNamespace(flows: RepositoryFlow[] = repositoryFlows()): Map<string, RepositoryFlow[]> {
  const groups = new Map<string, RepositoryFlow[]>();
  for (const flow of flows) groups.set(flow.namespace, [...(groups.get(flow.namespace) ?? []), flow]);
  return new Map([...groups.entries()].sort(([a], [b]) => a.localeCompare(b)));
}
