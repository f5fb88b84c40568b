/**
 * A flow's `pluginDefaults`, resolved as Kestra 1.x's PluginDefaultService (core/.../services/
 * PluginDefaultService.java, innerInjectDefault + defaults()) does — one algorithm for the stand-in
 * (which applies them to plain values) and the linter (which reads YAML nodes, for positions):
 *
 * - a default whose `type` is a known alias also applies under its canonical class (addAliases);
 *   the plugin's own `type` is matched as written;
 * - a default matches a plugin when its type equals the plugin's or is a plain string prefix of it
 *   (`pluginType.startsWith(type)`, no dot boundary);
 * - non-forced defaults are applied first, each under the plugin (the plugin's values win, then the
 *   earlier-applied default's); then forced ones over it, in reverse declaration order ("lower win");
 * - defaults are grouped by type in a java.util.HashMap (Collectors.groupingBy), so defaults of
 *   different types are applied in that map's iteration order — reproduced by `javaHashMapOrder`.
 *
 * Values are merged with MapUtils.deepMerge: maps merged, lists concatenated without the second
 * list's elements the first already has, a null never replaces a value.
 * Only `pluginDefaults` is read (getFlowDefaults); the flow-level `forced` flag is honoured (it is
 * ignored only from kestra-io/kestra#15812, after 1.3).
 */
import { javaEquals } from './pebble/values.js';

export interface PluginDefault<V> {
  type: string;
  forced: boolean;
  values: V;
}

/** The defaults that apply to one plugin type, in Kestra's order of application. */
export interface MatchedDefaults<V> {
  /** Applied first, each under the plugin as merged so far. */
  defaults: PluginDefault<V>[];
  /** Applied after, each over the plugin as merged so far (so the last one wins). */
  forced: PluginDefault<V>[];
}

/** java.lang.String#hashCode, as a 32-bit int. */
function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * The iteration order of a java.util.HashMap<String, …> filled with `keys` in this order (default
 * capacity 16, load factor 0.75, doubled as it fills): by bucket (spread hash & (capacity - 1)),
 * insertion order within a bucket.
 */
export function javaHashMapOrder(keys: readonly string[]): string[] {
  const unique = [...new Set(keys)];
  let capacity = 16;
  while (unique.length > capacity * 0.75) capacity *= 2;
  const bucket = (k: string) => {
    const h = javaStringHash(k);
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return unique.map((k, i) => ({ k, i, b: bucket(k) })).sort((a, b) => a.b - b.b || a.i - b.i).map((e) => e.k);
}

function groupedInHashOrder<V>(list: readonly PluginDefault<V>[]): [string, PluginDefault<V>[]][] {
  const groups = new Map<string, PluginDefault<V>[]>();
  for (const d of list) groups.set(d.type, [...(groups.get(d.type) ?? []), d]);
  return javaHashMapOrder([...groups.keys()]).map((type) => [type, groups.get(type)!]);
}

/**
 * Prepares a flow's declared defaults once; the returned function answers, for a plugin type, which
 * of them apply and in what order. `canonical` maps an alias type to its class (identity otherwise).
 */
export function pluginDefaultsMatcher<V>(declared: readonly PluginDefault<V>[], canonical: (type: string) => string): (pluginType: string) => MatchedDefaults<V> {
  const all = [...declared];
  for (const d of declared) {
    const c = canonical(d.type);
    if (c !== d.type) all.push({ ...d, type: c });
  }
  const defaults = groupedInHashOrder(all.filter((d) => !d.forced));
  const forced = groupedInHashOrder(all.filter((d) => d.forced).reverse());
  const matching = (groups: [string, PluginDefault<V>[]][], pluginType: string) =>
    groups.filter(([type]) => pluginType === type || pluginType.startsWith(type)).flatMap(([, list]) => list);
  return (pluginType) => ({ defaults: matching(defaults, pluginType), forced: matching(forced, pluginType) });
}

/**
 * The effective value of one property: a forced default's (the last applied one that sets it), else
 * the plugin's own, else the first applied default's. (Scalar view of the merge; maps also merge.)
 */
export function effectiveValue<V, T>(own: T | undefined, matched: MatchedDefaults<V>, read: (values: V) => T | undefined): T | undefined {
  for (const d of [...matched.forced].reverse()) {
    const v = read(d.values);
    if (v !== undefined) return v;
  }
  if (own !== undefined) return own;
  for (const d of matched.defaults) {
    const v = read(d.values);
    if (v !== undefined) return v;
  }
  return undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** MapUtils.deepMerge(a, b): b wins on scalars, maps merge recursively, lists concatenate (b's elements a already has dropped), a null in b keeps a's value. */
export function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const original = out[key];
    if (value === null || value === undefined) out[key] = original ?? value;
    else if (original === null || original === undefined) out[key] = value;
    else if (isRecord(value) && isRecord(original)) out[key] = deepMerge(original, value);
    else if (Array.isArray(value) && Array.isArray(original)) out[key] = [...original, ...value.filter((v) => !original.some((o) => javaEquals(o, v)))];
    else out[key] = value;
  }
  return out;
}

/**
 * Every map with a string `type` in `node`, children first (recursiveDefaults): the non-forced pass
 * over the whole tree, then the forced pass. Values a default brings in are not revisited by the
 * same pass.
 */
export function applyPluginDefaults(node: unknown, match: (pluginType: string) => MatchedDefaults<Record<string, unknown>>): unknown {
  const pass = (n: unknown, forced: boolean): unknown => {
    if (Array.isArray(n)) return n.map((c) => pass(c, forced));
    if (!isRecord(n)) return n;
    let result: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(n)) result[k] = pass(v, forced);
    if (typeof result.type !== 'string') return result;
    const matched = match(result.type);
    if (forced) for (const d of matched.forced) result = deepMerge(result, d.values);
    else for (const d of matched.defaults) result = deepMerge(d.values, result);
    return result;
  };
  return pass(pass(node, false), true);
}
