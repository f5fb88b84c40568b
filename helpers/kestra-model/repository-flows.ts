/**
 * The flows this repository holds, read from kestra/flows: folder = namespace, file name = id.
 * Deploying (local stand-in, container target, production gate) always starts from here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const FLOWS_DIR = join(REPOSITORY_ROOT, 'kestra', 'flows');

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

export function readFlowFile(path: string, flowsDir = FLOWS_DIR): RepositoryFlow {
  const rel = relative(flowsDir, path).split(sep);
  const fileName = rel.pop()!;
  const source = readFileSync(path, 'utf8');
  let definition: unknown;
  const cached = parsedSources.get(path);
  if (cached && cached.source === source) definition = structuredClone(cached.definition);
  else {
    try {
      definition = parse(source);
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
