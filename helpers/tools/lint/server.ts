/**
 * Server mode (`--server <url>`): asks a running Kestra what it thinks of each flow.
 * - `POST /api/v1/{tenant}/flows/validate` (YAML body; the tenant-less `/api/v1/flows/validate`
 *   of older versions is tried on 404) answers a list of ValidateConstraintViolation
 *   `{ flow, namespace, index, constraints, outdated, deprecationPaths, warnings, infos }`.
 * - `GET /api/v1/plugins/schemas/flow` is the JSON Schema (draft 7) of a flow with one definition
 *   per installed plugin class (`properties.type.const` names it); it is cached in
 *   `.cache/kestra-schemas/` for a day.
 * Credentials come from KESTRA_USERNAME / KESTRA_PASSWORD (basic auth). HTTP goes through undici,
 * loaded only in this mode.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KESTRA_TENANT } from '../../spec/endpoints.js';

export interface ValidateViolation {
  flow?: string | null;
  namespace?: string | null;
  index?: number;
  constraints?: string | null;
  outdated?: boolean;
  deprecationPaths?: string[] | null;
  warnings?: string[] | null;
  infos?: string[] | null;
}

export interface PluginSchema {
  type: string;
  properties: Record<string, { default?: unknown } & Record<string, unknown>>;
  required: string[];
}

export interface ServerOptions {
  url: string;
  username?: string;
  password?: string;
  tenant?: string;
  /** Where the flow schema is cached (default `<cwd>/.cache/kestra-schemas`). */
  cacheDir: string;
  /** Max age of a cached schema, in ms (default one day). */
  cacheMaxAgeMs?: number;
  timeoutMs?: number;
}

export class ServerError extends Error {
  override name = 'ServerError';
}

/** The server has no flow schema to check against (e.g. the Kestra stand-in): a notice, not a failure. */
export class SchemaUnavailable extends ServerError {}

type Undici = typeof import('undici');
let undiciModule: Promise<Undici> | undefined;
const loadUndici = (): Promise<Undici> => (undiciModule ??= import('undici'));

export class ServerSession {
  readonly url: string;
  private schemaPromise: Promise<Map<string, PluginSchema>> | undefined;
  private validatePath: string | undefined;

  constructor(readonly opts: ServerOptions) {
    this.url = opts.url.replace(/\/+$/, '');
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    const h: Record<string, string> = { accept: 'application/json', ...extra };
    if (this.opts.username !== undefined && this.opts.password !== undefined) {
      h.authorization = `Basic ${Buffer.from(`${this.opts.username}:${this.opts.password}`).toString('base64')}`;
    }
    return h;
  }

  private async call(method: 'GET' | 'POST', path: string, body?: string, contentType?: string): Promise<{ status: number; text: string }> {
    const { request } = await loadUndici();
    const url = `${this.url}${path}`;
    try {
      const res = await request(url, {
        method,
        headers: this.headers(contentType ? { 'content-type': contentType } : {}),
        body,
        headersTimeout: this.opts.timeoutMs ?? 15_000,
        bodyTimeout: this.opts.timeoutMs ?? 30_000,
      });
      const text = await res.body.text();
      if (res.statusCode === 401 || res.statusCode === 403) {
        throw new ServerError(`${method} ${url}: ${res.statusCode} — set KESTRA_USERNAME and KESTRA_PASSWORD to a Kestra login`);
      }
      return { status: res.statusCode, text };
    } catch (e) {
      if (e instanceof ServerError) throw e;
      const code = (e as { code?: string }).code;
      throw new ServerError(`cannot reach Kestra at ${this.url}: ${code ?? (e as Error).message}`);
    }
  }

  /** Validates one flow source; the server's answer for it. */
  async validate(source: string): Promise<ValidateViolation> {
    const tenant = this.opts.tenant ?? KESTRA_TENANT;
    const paths = this.validatePath ? [this.validatePath] : [`/api/v1/${tenant}/flows/validate`, '/api/v1/flows/validate'];
    for (const path of paths) {
      const res = await this.call('POST', path, source, 'application/x-yaml');
      if (res.status === 404 && path !== paths[paths.length - 1]) continue;
      if (res.status < 200 || res.status >= 300) throw new ServerError(`POST ${this.url}${path}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
      this.validatePath = path;
      let parsed: unknown;
      try {
        parsed = JSON.parse(res.text);
      } catch {
        throw new ServerError(`POST ${this.url}${path}: the answer is not JSON`);
      }
      const list = Array.isArray(parsed) ? parsed : [parsed];
      return (list[0] ?? {}) as ValidateViolation;
    }
    throw new ServerError(`POST ${this.url}/api/v1/flows/validate: not found`);
  }

  /** Plugin schemas by type (cached on disk). */
  pluginSchemas(): Promise<Map<string, PluginSchema>> {
    return (this.schemaPromise ??= this.loadSchemas());
  }

  private cacheFile(): string {
    const key = createHash('sha1').update(this.url).digest('hex').slice(0, 12);
    return join(this.opts.cacheDir, `${key}-flow.json`);
  }

  private async loadSchemas(): Promise<Map<string, PluginSchema>> {
    const file = this.cacheFile();
    const maxAge = this.opts.cacheMaxAgeMs ?? 24 * 3600_000;
    try {
      const cached = JSON.parse(readFileSync(file, 'utf8')) as { url: string; fetchedAt: number; schema: unknown };
      if (cached.url === this.url && Date.now() - cached.fetchedAt < maxAge) return indexFlowSchema(cached.schema);
    } catch {
      // no usable cache
    }
    const res = await this.call('GET', '/api/v1/plugins/schemas/flow');
    if (res.status === 404) throw new SchemaUnavailable(`server-schema not checked: ${this.url} serves no plugin schema (GET /api/v1/plugins/schemas/flow: 404; the stack:local stand-in has none) — the flows were still validated by the server`);
    if (res.status < 200 || res.status >= 300) throw new ServerError(`GET ${this.url}/api/v1/plugins/schemas/flow: HTTP ${res.status}`);
    let schema: unknown;
    try {
      schema = JSON.parse(res.text);
    } catch {
      throw new ServerError(`GET ${this.url}/api/v1/plugins/schemas/flow: the answer is not JSON`);
    }
    try {
      mkdirSync(this.opts.cacheDir, { recursive: true });
      writeFileSync(file, JSON.stringify({ url: this.url, fetchedAt: Date.now(), schema }));
    } catch {
      // a read-only checkout still lints
    }
    return indexFlowSchema(schema);
  }
}

type Json = Record<string, unknown>;

/** Plugin definitions of a flow JSON Schema, by the class their `type` property is pinned to. */
export function indexFlowSchema(schema: unknown): Map<string, PluginSchema> {
  const root = (schema ?? {}) as Json;
  const defs = { ...((root.definitions as Json) ?? {}), ...((root.$defs as Json) ?? {}) } as Record<string, Json>;
  const resolve = (node: Json, depth = 0): { properties: Json; required: string[] } => {
    let properties: Json = { ...((node.properties as Json) ?? {}) };
    let required: string[] = [...((node.required as string[]) ?? [])];
    if (depth > 10) return { properties, required };
    const ref = node.$ref as string | undefined;
    if (ref) {
      const target = defs[ref.replace(/^#\/(definitions|\$defs)\//, '')];
      if (target) {
        const r = resolve(target, depth + 1);
        properties = { ...r.properties, ...properties };
        required = [...r.required, ...required];
      }
    }
    for (const part of (node.allOf as Json[]) ?? []) {
      const r = resolve(part, depth + 1);
      properties = { ...properties, ...r.properties };
      required = [...required, ...r.required];
    }
    return { properties, required };
  };
  const out = new Map<string, PluginSchema>();
  for (const def of Object.values(defs)) {
    const { properties, required } = resolve(def);
    const typeProp = properties.type as Json | undefined;
    const types: string[] = [];
    if (typeProp && typeof typeProp.const === 'string') types.push(typeProp.const);
    if (typeProp && Array.isArray(typeProp.enum)) types.push(...(typeProp.enum as unknown[]).filter((x): x is string => typeof x === 'string'));
    for (const type of types) {
      if (!type.includes('.')) continue;
      const existing = out.get(type);
      if (!existing || Object.keys(properties).length > Object.keys(existing.properties).length) {
        out.set(type, { type, properties: properties as PluginSchema['properties'], required: [...new Set(required)] });
      }
    }
  }
  return out;
}

// --- constraint messages → YAML paths -----------------------------------------------------------

export interface ConstraintMessage {
  /** Model path (`tasks[0].uri`), when the message names one. */
  path: (string | number)[] | undefined;
  message: string;
}

const PATH_PREFIX = /^((?:[A-Za-z_$][\w$-]*(?:\[\d+\])*)(?:\.[A-Za-z_$][\w$-]*(?:\[\d+\])*)*): /;

function parsePath(text: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const seg of text.split('.')) {
    const m = /^([^[]+)((?:\[\d+\])*)$/.exec(seg);
    if (!m) return out;
    out.push(m[1]!);
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

/** Splits Kestra's `constraints` text into messages, each with the path it names (if any). */
export function parseConstraints(text: string): ConstraintMessage[] {
  const out: ConstraintMessage[] = [];
  const pieces = text
    .split(/\n(?! at \[)/)
    .flatMap((line) => line.split(/, (?=(?:[A-Za-z_$][\w$-]*(?:\[\d+\])*)(?:\.[A-Za-z_$][\w$-]*(?:\[\d+\])*)*: )/))
    .map((s) => s.trim())
    .filter(Boolean);
  for (const piece of pieces) {
    // Jackson: "... (through reference chain: io.kestra.core.models.flows.Flow["tasks"]->java.util.ArrayList[0]->...["unknownProp"])"
    const chain = /through reference chain: ([^)]*)\)/.exec(piece);
    if (chain) {
      const path: (string | number)[] = [];
      for (const m of chain[1]!.matchAll(/\["([^"]+)"\]|\[(\d+)\]/g)) path.push(m[1] !== undefined ? m[1] : Number(m[2]));
      out.push({ path, message: piece.replace(/\s*\n?\s*at \[Source:[\s\S]*$/, '').trim() });
      continue;
    }
    const m = PATH_PREFIX.exec(piece);
    if (m && !/^(Invalid Flow|Unable to|Invalid type)$/.test(m[1]!)) {
      out.push({ path: parsePath(m[1]!), message: piece.slice(m[0].length) });
    } else {
      out.push({ path: undefined, message: piece });
    }
  }
  return out;
}
