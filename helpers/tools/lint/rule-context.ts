/**
 * What the rules see: the linted flow and compose files (each parsed once), the repository index
 * (every flow under the same `kestra/flows` root, for rules that follow Subflow calls), the
 * deployment (compose file + `.env.example`) the flows' secrets must come from, and the parsed
 * Pebble templates of each flow.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { SourceFile } from './source.js';
import { FlowModel, flowModelOf } from './flow-model.js';
import { ComposeModel, EnvExample, composeModelOf } from './compose-model.js';
import type { ProfileName } from './vocabulary.js';
import { templatesOf, type FlowTemplate } from './templates.js';

export const DEFAULT_FLOWS_DIR = 'kestra/flows';
export const DEFAULT_COMPOSE_FILE = 'docker-compose.kestra.dokploy.yml';
export const ENV_EXAMPLE_FILE = '.env.example';

export interface FlowFile {
  file: SourceFile;
  flow: FlowModel | undefined;
  /** `…/kestra/flows` above this file, when there is one. */
  flowsRoot: string | undefined;
}

export interface ComposeFile {
  file: SourceFile;
  compose: ComposeModel | undefined;
  envExample: EnvExample | undefined;
  envExamplePath: string;
}

export interface Deployment {
  compose: ComposeModel | undefined;
  composePath: string;
  envExample: EnvExample | undefined;
  envExamplePath: string;
}

export class RepositoryIndex {
  readonly byKey = new Map<string, FlowModel[]>();
  constructor(
    readonly flows: FlowModel[],
    /** True when every flow under the flows root is linted (repository-wide rules may report absences). */
    readonly complete: boolean,
    readonly flowsRoot: string | undefined,
  ) {
    for (const f of flows) {
      const key = f.key;
      if (key === undefined) continue;
      const list = this.byKey.get(key) ?? [];
      list.push(f);
      this.byKey.set(key, list);
    }
  }

  get(namespace: string, id: string): FlowModel | undefined {
    return this.byKey.get(`${namespace}/${id}`)?.[0];
  }
}

export interface LintContext {
  cwd: string;
  profile: ProfileName;
  flows: FlowFile[];
  composeFiles: ComposeFile[];
  repo: RepositoryIndex;
  deployment: Deployment;
  /** The parsed templates of a flow (memoized: each string is parsed once per run). */
  templates(flow: FlowModel): FlowTemplate[];
  /** Set in server mode (`--server`). */
  server?: import('./server.js').ServerSession;
}

export interface LoadResult {
  flows: FlowFile[];
  composeFiles: ComposeFile[];
  /** One line each: paths that could not be linted (exit code 2). */
  fatal: string[];
  /** Every file problems may be reported in (linted files and their .env.example). */
  reportable: Set<string>;
  deployment: Deployment;
  repo: RepositoryIndex;
  /** Flows of the repository (linted or under the flows root) whose YAML does not parse: their content is unknown. */
  unparsable: string[];
  /** Linted compose files whose folder is a project (flows beside it, or the default name) yet has no `.env.example`. */
  envExampleMissing: ComposeFile[];
}

export function isComposeFileName(path: string): boolean {
  const name = basename(path).toLowerCase();
  return /\.ya?ml$/.test(name) && (/^(docker-)?compose([-._].*)?\.ya?ml$/.test(name) || /[-._]compose\.ya?ml$/.test(name));
}

function isYamlFileName(name: string): boolean {
  return /\.ya?ml$/i.test(name);
}

/** Every YAML file under a directory (hidden folders and node_modules skipped), sorted. */
export function yamlFilesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && isYamlFileName(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** The `…/kestra/flows` folder above a path, if any. */
export function flowsRootOf(path: string): string | undefined {
  const marker = `${sep}kestra${sep}flows${sep}`;
  const i = path.lastIndexOf(marker);
  return i < 0 ? undefined : path.slice(0, i + marker.length - 1);
}

function looksBinary(buf: Buffer): boolean {
  const n = Math.min(buf.length, 8000);
  for (let i = 0; i < n; i++) if (buf[i] === 0) return true;
  return false;
}

function describeError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return (e as Error).message ?? String(e);
}

export interface LoadOptions {
  cwd: string;
  /** Paths as given on the command line; empty means the defaults. */
  paths: string[];
  profile: ProfileName;
  /** Default run only: a missing compose file is an error. */
  requireDefaultCompose?: boolean;
}

/** Reads and parses the files to lint; paths that cannot be linted become one-line fatal messages. */
export function loadInputs(opts: LoadOptions): LoadResult {
  const cwd = resolve(opts.cwd);
  const fatal: string[] = [];
  const cache = new Map<string, SourceFile | null>();
  const rel = (p: string): string => relative(cwd, p) || '.';

  const read = (path: string, explicit: boolean): SourceFile | null => {
    if (cache.has(path)) return cache.get(path)!;
    let result: SourceFile | null = null;
    try {
      const buf = readFileSync(path);
      if (looksBinary(buf)) {
        if (explicit) fatal.push(`${rel(path)}: binary file, not YAML`);
      } else {
        result = new SourceFile(path, buf.toString('utf8').replace(/^\uFEFF/, ''));
      }
    } catch (e) {
      if (explicit) fatal.push(`${rel(path)}: cannot read: ${describeError(e)}`);
    }
    cache.set(path, result);
    return result;
  };

  const flowPaths: string[] = [];
  const composePaths: string[] = [];
  const addFile = (p: string): void => {
    if (isComposeFileName(p)) {
      if (opts.profile === 'project') composePaths.push(p);
    } else flowPaths.push(p);
  };

  const defaults = opts.paths.length === 0;
  const targets = defaults
    ? [DEFAULT_FLOWS_DIR, ...(opts.profile === 'project' ? [DEFAULT_COMPOSE_FILE] : [])]
    : opts.paths;
  for (const target of targets) {
    const abs = resolve(cwd, target);
    let st: import('node:fs').Stats;
    try {
      st = statSync(abs);
    } catch (e) {
      const what = defaults && target === DEFAULT_COMPOSE_FILE ? 'compose file not found' : defaults ? 'flows folder not found' : describeError(e);
      fatal.push(`${rel(abs)}: ${what}`);
      continue;
    }
    if (st.isDirectory()) {
      let files: string[];
      try {
        readdirSync(abs);
        files = yamlFilesUnder(abs);
      } catch (e) {
        fatal.push(`${rel(abs)}: cannot read: ${describeError(e)}`);
        continue;
      }
      const flows = files.filter((f) => !isComposeFileName(f));
      if (flows.length === 0 && files.length === 0) {
        fatal.push(`${rel(abs)}: no flows found (no .yml or .yaml files in this folder)`);
        continue;
      }
      files.forEach(addFile);
    } else if (st.isFile()) {
      addFile(abs);
    } else {
      fatal.push(`${rel(abs)}: not a regular file or folder`);
    }
  }

  const unique = (xs: string[]): string[] => [...new Set(xs)];
  const flows: FlowFile[] = [];
  const unparsable = new Set<string>();
  for (const p of unique(flowPaths)) {
    const file = read(p, true);
    if (!file) continue;
    if (file.syntaxErrors.length > 0) unparsable.add(p);
    flows.push({ file, flow: flowModelOf(file), flowsRoot: flowsRootOf(p) });
  }

  const composeFiles: ComposeFile[] = [];
  for (const p of unique(composePaths)) {
    const file = read(p, true);
    if (!file) continue;
    const envExamplePath = join(dirname(p), ENV_EXAMPLE_FILE);
    composeFiles.push({ file, compose: composeModelOf(file), envExample: EnvExample.read(envExamplePath), envExamplePath });
  }

  // The repository: every flow under the linted files' flows root(s), parsed once.
  const roots = unique(flows.map((f) => f.flowsRoot).filter((r): r is string => r !== undefined));
  const lintedPaths = new Set(flows.map((f) => f.file.path));
  const models = new Map<string, FlowModel>();
  for (const f of flows) if (f.flow) models.set(f.file.path, f.flow);
  let complete = true;
  for (const root of roots) {
    for (const p of yamlFilesUnder(root)) {
      if (isComposeFileName(p)) continue;
      if (!lintedPaths.has(p)) complete = false;
      if (models.has(p)) continue;
      const file = read(p, false);
      if (file && file.syntaxErrors.length > 0) unparsable.add(p);
      const model = file ? flowModelOf(file) : undefined;
      if (model) models.set(p, model);
    }
  }
  if (roots.length === 0) complete = defaults;
  const repo = new RepositoryIndex([...models.values()], complete && roots.length <= 1, roots[0]);

  // The deployment the flows' secrets come from: the linted compose file, else the default one
  // at the project root (the folder holding kestra/flows), else in the working directory.
  const projectRoot = roots[0] ? dirname(dirname(roots[0])) : cwd;
  const linted = composeFiles[0];
  let deployment: Deployment;
  if (linted) {
    deployment = { compose: linted.compose, composePath: linted.file.path, envExample: linted.envExample, envExamplePath: linted.envExamplePath };
  } else {
    const composePath = join(projectRoot, DEFAULT_COMPOSE_FILE);
    const file = read(composePath, false);
    const envExamplePath = join(projectRoot, ENV_EXAMPLE_FILE);
    deployment = { compose: file ? composeModelOf(file) : undefined, composePath, envExample: EnvExample.read(envExamplePath), envExamplePath };
  }

  const reportable = new Set<string>([...flows.map((f) => f.file.path), ...composeFiles.map((c) => c.file.path)]);
  for (const c of composeFiles) reportable.add(c.envExamplePath);
  // Problems in the deployment files found through the flows (unused secrets) belong to the
  // compose file's lint; they are only reported when that file is linted too.
  const envExampleMissing = composeFiles.filter((c) => !c.envExample && isProjectCompose(c.file.path));
  return { flows, composeFiles, fatal, reportable, deployment, repo, unparsable: [...unparsable].sort(), envExampleMissing };
}

/**
 * Should this compose file have a `.env.example` beside it? Yes when it is the project's compose
 * file (the default name, or `kestra/flows` beside it). A lone compose file elsewhere (a rule
 * example, a scratch file) has no known `.env.example`: the checks that need one are skipped.
 */
export function isProjectCompose(path: string): boolean {
  return basename(path) === DEFAULT_COMPOSE_FILE || existsSync(join(dirname(path), DEFAULT_FLOWS_DIR));
}

export function createContext(cwd: string, profile: ProfileName, loaded: LoadResult): LintContext {
  const memo = new Map<FlowModel, FlowTemplate[]>();
  return {
    cwd: resolve(cwd),
    profile,
    flows: loaded.flows,
    composeFiles: loaded.composeFiles,
    repo: loaded.repo,
    deployment: loaded.deployment,
    templates(flow: FlowModel): FlowTemplate[] {
      let t = memo.get(flow);
      if (!t) {
        t = templatesOf(flow);
        memo.set(flow, t);
      }
      return t;
    },
  };
}
