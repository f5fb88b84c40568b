/**
 * The pinned Kestra's core task properties, kept as data in kestra-core-schema.json (how it was
 * derived, and from which source files, is recorded in that file).
 */
import schema from './kestra-core-schema.json' with { type: 'json' };

interface SchemaFile {
  kestraVersion: string;
  classes: Record<string, { extends: string | null; properties: string[] }>;
}

// Imported (not read from disk) so the linter's esbuild bundle carries it.
const data = schema as SchemaFile;

export const CORE_SCHEMA_VERSION = data.kestraVersion;

const propertiesCache = new Map<string, ReadonlySet<string>>();

/** Every property a core task class accepts (its own and its ancestors'), or undefined for a class not recorded. */
export function corePropertiesOf(canonicalType: string): ReadonlySet<string> | undefined {
  if (!data.classes[canonicalType]) return undefined;
  // built once per class: the rule asks for every task of every flow
  const cached = propertiesCache.get(canonicalType);
  if (cached) return cached;
  const out = new Set<string>();
  const seen = new Set<string>();
  for (let c: string | null = canonicalType; c !== null && !seen.has(c); ) {
    seen.add(c);
    const cls: SchemaFile['classes'][string] | undefined = data.classes[c];
    if (!cls) break;
    for (const p of cls.properties) out.add(p);
    c = cls.extends;
  }
  propertiesCache.set(canonicalType, out);
  return out;
}

/** The task classes the data records (base classes such as Task are not task types). */
export function recordedCoreTasks(): string[] {
  return Object.keys(data.classes).filter((c) => c.startsWith('io.kestra.'));
}
