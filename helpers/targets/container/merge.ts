/**
 * A small, pure imitation of what `docker compose -f base -f override config` computes, for the
 * attributes the test override touches — so the unit tests (and the boot preflight) can check the
 * merged result without Docker. Rules, from the Compose Specification "Merge"
 * (https://docs.docker.com/reference/compose-file/merge/) and compose-go `override/merge.go`:
 *  - mappings: merged key by key, the override winning on conflicts;
 *  - sequences: appended (`dns`, `ports`, …); `extra_hosts` appended without duplicates;
 *  - `environment`, `labels`: merged by name, the override winning (compose-go's `mergeToSequence`
 *    then label/env decoding keeps the last `KEY=value`); represented here as mappings;
 *  - `command`, `entrypoint`, `healthcheck.test`: replaced;
 *  - service `networks`: list or mapping, merged as a mapping;
 *  - `!reset` removes the attribute, `!override` replaces it (Compose ≥ 2.24.4). With
 *    `{ overrideTags: false }` the tags are ignored, as an older Compose would, and plain merging applies.
 * Interpolation follows the spec's forms (parsed by kestra-model/compose-variables.ts), applied to
 * parsed string values (as Compose does), not to text.
 */
import { replaceVariableReferences } from '../../kestra-model/compose-variables.js';
import { isMap, isPair, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';

export type ComposeValue = string | number | boolean | null | ComposeValue[] | { [key: string]: ComposeValue };
export type ComposeMapping = { [key: string]: ComposeValue };

export interface ParsedCompose {
  value: ComposeMapping;
  /** Dotted paths carrying `!override` / `!reset` (e.g. `services.kestra.labels`). */
  overridePaths: Set<string>;
  resetPaths: Set<string>;
}

export class ComposeInspectionError extends Error {
  override name = 'ComposeInspectionError';
}

function keyText(node: unknown): string {
  return isScalar(node) ? String(node.value) : String(node);
}

function collectTags(node: unknown, path: string[], parsed: ParsedCompose): void {
  if (!node || typeof node !== 'object') return;
  const tag = (node as YamlNode).tag;
  const dotted = path.join('.');
  if (tag === '!override') parsed.overridePaths.add(dotted);
  if (tag === '!reset') parsed.resetPaths.add(dotted);
  if (isMap(node)) {
    for (const pair of node.items) if (isPair(pair)) collectTags(pair.value, [...path, keyText(pair.key)], parsed);
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => collectTags(item, [...path, String(index)], parsed));
  }
}

/** Parses a compose document, remembering where `!override` / `!reset` tags sit. */
export function parseComposeYaml(source: string, file = 'compose file'): ParsedCompose {
  const doc = parseDocument(source, { logLevel: 'error' });
  if (doc.errors.length > 0) throw new ComposeInspectionError(`${file}: not valid YAML — ${doc.errors[0]!.message.split('\n')[0]}`);
  const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ComposeInspectionError(`${file}: a compose file is a mapping`);
  const parsed: ParsedCompose = { value: value as ComposeMapping, overridePaths: new Set(), resetPaths: new Set() };
  collectTags(doc.contents, [], parsed);
  return parsed;
}

// --- Interpolation ---------------------------------------------------------------------------

export function interpolateString(text: string, vars: Record<string, string | undefined>, where = 'value'): string {
  return replaceVariableReferences(text, ({ name, operator, argument }) => {
    const value = vars[name];
    const unset = value === undefined;
    const empty = unset || value === '';
    switch (operator) {
      case ':-': return empty ? argument ?? '' : value!;
      case '-': return unset ? argument ?? '' : value!;
      case ':?': if (empty) throw new ComposeInspectionError(`${where}: required variable ${name} is missing a value: ${argument ?? ''}`); return value!;
      case '?': if (unset) throw new ComposeInspectionError(`${where}: required variable ${name} is missing a value: ${argument ?? ''}`); return value!;
      case ':+': return empty ? '' : argument ?? '';
      case '+': return unset ? '' : argument ?? '';
      default: return value ?? '';
    }
  });
}

/** Interpolates every string (values and keys) of a parsed compose tree. */
export function interpolateCompose<T extends ComposeValue>(value: T, vars: Record<string, string | undefined>, path = ''): T {
  if (typeof value === 'string') return interpolateString(value, vars, path || 'value') as T;
  if (Array.isArray(value)) return value.map((item, i) => interpolateCompose(item, vars, `${path}[${i}]`)) as T;
  if (value && typeof value === 'object') {
    const out: ComposeMapping = {};
    for (const [key, item] of Object.entries(value)) out[interpolateString(key, vars, path)] = interpolateCompose(item, vars, path ? `${path}.${key}` : key);
    return out as T;
  }
  return value;
}

// --- Merge -----------------------------------------------------------------------------------

function isMapping(value: ComposeValue | undefined): value is ComposeMapping {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** `["A=1", "B"]` or `{A: 1}` → `{A: "1", B: null}`, the later entry winning. */
export function toNamedMapping(value: ComposeValue | undefined): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (Array.isArray(value)) {
    for (const entry of value) {
      const text = String(entry);
      const eq = text.indexOf('=');
      if (eq === -1) out[text] = null;
      else out[text.slice(0, eq)] = text.slice(eq + 1);
    }
  } else if (isMapping(value)) {
    for (const [k, v] of Object.entries(value)) out[k] = v === null ? null : String(v);
  }
  return out;
}

function toNetworkMapping(value: ComposeValue | undefined): ComposeMapping {
  if (Array.isArray(value)) return Object.fromEntries(value.map((name) => [String(name), null]));
  return isMapping(value) ? { ...value } : {};
}

function hostsList(value: ComposeValue | undefined): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (isMapping(value)) return Object.entries(value).map(([host, ip]) => `${host}:${String(ip)}`);
  return [];
}

const REPLACED = [/^services\.[^.]+\.command$/, /^services\.[^.]+\.entrypoint$/, /^services\.[^.]+\.healthcheck\.test$/];
const BY_NAME = [/^services\.[^.]+\.environment$/, /^services\.[^.]+\.labels$/];

function mergeAt(base: ComposeValue | undefined, over: ComposeValue, path: string, tags: ParsedCompose | undefined): ComposeValue | undefined {
  if (tags?.resetPaths.has(path)) return undefined;
  if (tags?.overridePaths.has(path)) return structuredClone(over);
  if (base === undefined) return normalise(structuredClone(over), path);
  if (REPLACED.some((re) => re.test(path))) return structuredClone(over);
  if (BY_NAME.some((re) => re.test(path))) return { ...toNamedMapping(base), ...toNamedMapping(over) };
  if (/^services\.[^.]+\.networks$/.test(path)) return mergeMappings(toNetworkMapping(base), toNetworkMapping(over), path, tags);
  if (/^services\.[^.]+\.extra_hosts$/.test(path)) {
    const merged = hostsList(base);
    for (const host of hostsList(over)) if (!merged.includes(host)) merged.push(host);
    return merged;
  }
  if (over === null) return base;
  if (isMapping(base)) {
    if (!isMapping(over)) throw new ComposeInspectionError(`cannot override ${path}: mapping vs ${Array.isArray(over) ? 'sequence' : 'scalar'}`);
    return mergeMappings(base, over, path, tags);
  }
  if (Array.isArray(base)) {
    if (!Array.isArray(over)) throw new ComposeInspectionError(`cannot override ${path}: sequence vs ${isMapping(over) ? 'mapping' : 'scalar'}`);
    return [...base, ...structuredClone(over)];
  }
  return over;
}

/** Brings by-name attributes to their mapping form, so merged and unmerged services read alike. */
function normalise(value: ComposeValue, path: string): ComposeValue {
  if (BY_NAME.some((re) => re.test(path))) return toNamedMapping(value);
  if (/^services\.[^.]+\.networks$/.test(path)) return toNetworkMapping(value);
  if (isMapping(value)) {
    const out: ComposeMapping = {};
    for (const [k, v] of Object.entries(value)) out[k] = normalise(v, path ? `${path}.${k}` : k);
    return out;
  }
  return value;
}

function mergeMappings(base: ComposeMapping, over: ComposeMapping, path: string, tags: ParsedCompose | undefined): ComposeMapping {
  const out: ComposeMapping = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const next = path ? `${path}.${key}` : key;
    const merged = mergeAt(base[key], value, next, tags);
    if (merged === undefined) delete out[key];
    else out[key] = merged;
  }
  return out;
}

export interface MergeOptions {
  /** Honour `!override` / `!reset` (Compose ≥ 2.24.4). Default true; false mimics an older Compose. */
  overrideTags?: boolean;
}

/**
 * The merged model of `base` then `override`, as Compose would build it for the attributes the
 * test override uses. Accepts sources (strings) or already parsed trees.
 */
export function mergeComposeForInspection(base: string | ComposeMapping, override: string | ParsedCompose, opts: MergeOptions = {}): ComposeMapping {
  const baseTree = typeof base === 'string' ? parseComposeYaml(base, 'base compose file').value : base;
  const over = typeof override === 'string' ? parseComposeYaml(override, 'override') : override;
  const tags = opts.overrideTags === false ? undefined : over;
  return mergeMappings(normalise(structuredClone(baseTree), '') as ComposeMapping, over.value, '', tags);
}

/** A service of a merged model (throws naming the service when it is missing). */
export function serviceOf(model: ComposeMapping, service: string): ComposeMapping {
  const services = model.services;
  const found = isMapping(services) ? services[service] : undefined;
  if (!isMapping(found)) throw new ComposeInspectionError(`the merged compose model has no service "${service}"`);
  return found;
}
