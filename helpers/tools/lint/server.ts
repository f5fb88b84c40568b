/**
 * Server mode (`--server <url>`): asks a running Kestra what it thinks of each flow, through the
 * project's one Kestra client (helpers/clients/kestra: transport, Basic auth, redaction, tenant
 * route detection), imported only in this mode so plain `npm run lint` starts fast.
 * - `POST /api/v1/{tenant}/flows/validate` (YAML body; the client falls back to the tenant-less
 *   route of older versions) answers a list of ValidateConstraintViolation
 *   `{ flow, namespace, index, constraints, outdated, deprecationPaths, warnings, infos }`.
 * - `GET /api/v1/plugins/schemas/flow` is the JSON Schema (draft 7) of a flow with one definition
 *   per installed plugin class (`properties.type.const` names it); it is cached in
 *   `.cache/kestra-schemas/` for a day.
 * Credentials come from KESTRA_USERNAME / KESTRA_PASSWORD (basic auth).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KestraClient } from '../../clients/kestra/index.js';

export interface ValidateViolation {
  flow?: string | null;
  namespace?: string | null;
  index?: number;
  constraints?: string | null;
  outdated?: boolean | null;
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

let clientModule: Promise<typeof import('../../clients/kestra/index.js')> | undefined;

export class ServerSession {
  readonly url: string;
  private schemaPromise: Promise<Map<string, PluginSchema>> | undefined;
  private clientPromise: Promise<KestraClient> | undefined;

  constructor(readonly opts: ServerOptions) {
    this.url = opts.url.replace(/\/+$/, '');
  }

  private client(): Promise<KestraClient> {
    return (this.clientPromise ??= (clientModule ??= import('../../clients/kestra/index.js')).then(({ createKestraClient }) =>
      createKestraClient({
        baseUrl: this.url,
        ...(this.opts.username !== undefined && this.opts.password !== undefined ? { auth: { username: this.opts.username, password: this.opts.password } } : {}),
        ...(this.opts.tenant ? { tenant: this.opts.tenant } : {}),
        timeoutMs: this.opts.timeoutMs ?? 30_000,
        retry: { attempts: 1 },
      })));
  }

  /** Runs one client call; its errors become one ServerError line (lint exits 2 on them). */
  private async call<T>(fn: (client: KestraClient) => Promise<T>): Promise<T> {
    let client: KestraClient;
    try {
      client = await this.client();
    } catch (e) {
      throw new ServerError(`--server ${this.url}: ${(e as Error).message}`);
    }
    try {
      return await fn(client);
    } catch (e) {
      const err = e as Error & { status?: number; code?: string; method?: string; url?: string };
      if (err.name === 'KestraHttpError' && (err.status === 401 || err.status === 403)) {
        throw new ServerError(`${err.method} ${err.url}: ${err.status} — set KESTRA_USERNAME and KESTRA_PASSWORD to a Kestra login`);
      }
      if (err.name === 'KestraNetworkError') throw new ServerError(`cannot reach Kestra at ${client.baseUrl}: ${err.code ?? err.message}`);
      throw new ServerError(err.message);
    }
  }

  /** Validates one flow source; the server's answer for it. */
  async validate(source: string): Promise<ValidateViolation> {
    return (await this.call((c) => c.validateFlowSource(source))) ?? {};
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
    let schema: unknown;
    try {
      schema = await this.call((c) => c.flowSchema());
    } catch (e) {
      if (e instanceof ServerError && / 404\b/.test(e.message)) {
        throw new SchemaUnavailable(`server-schema not checked: ${this.url} serves no plugin schema (GET /api/v1/plugins/schemas/flow: 404; the stack:local stand-in has none) — the flows were still validated by the server`);
      }
      throw e;
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
