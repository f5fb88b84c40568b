/**
 * Records kestra-core-schema.json from a running Kestra of the pinned version, replacing the copy
 * derived by hand from the source (the jvm target, when it can run, is that Kestra):
 *
 *   KESTRA_USERNAME=… KESTRA_PASSWORD=… npx tsx helpers/tools/lint/record-core-schema.ts <url> [kestraVersion]
 *
 * It reads `GET /api/v1/plugins/schemas/flow` (through the server mode's client) and writes, for
 * every core task class the current file records, the properties the server declares (flattened:
 * no `extends`). Exit codes: 0 written, 2 usage or server problem (one line on stderr).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ServerSession, type PluginSchema } from './server.js';
import { recordedCoreTasks } from './kestra-core-schema.js';

export const CORE_SCHEMA_FILE = fileURLToPath(new URL('./kestra-core-schema.json', import.meta.url));

/** The data file's content for these classes from a server's plugin schemas (missing classes are named in `missing`). */
export function coreSchemaFromServer(schemas: Map<string, PluginSchema>, classes: string[], meta: { url: string; kestraVersion: string; recordedAt: string }): { data: unknown; missing: string[] } {
  const missing = classes.filter((c) => !schemas.has(c));
  const recorded = Object.fromEntries(
    classes.filter((c) => schemas.has(c)).map((c) => [c, { extends: null, properties: Object.keys(schemas.get(c)!.properties).sort() }]),
  );
  return {
    missing,
    data: {
      kestraVersion: meta.kestraVersion,
      what: 'The properties Kestra deserializes for each core task class listed here; a task map key outside its list fails the flow with `Unrecognized field`.',
      derivation: `Recorded by helpers/tools/lint/record-core-schema.ts from GET ${meta.url}/api/v1/plugins/schemas/flow on ${meta.recordedAt} (each class's definition, $ref and allOf resolved).`,
      sources: Object.fromEntries(Object.keys(recorded).map((c) => [c, `GET /api/v1/plugins/schemas/flow definitions → ${c}`])),
      classes: recorded,
    },
  };
}

async function main(): Promise<number> {
  const [url, version] = process.argv.slice(2);
  if (!url || url.startsWith('-')) {
    process.stderr.write('usage: npx tsx helpers/tools/lint/record-core-schema.ts <kestra url> [kestraVersion]\n');
    return 2;
  }
  const current = JSON.parse(readFileSync(CORE_SCHEMA_FILE, 'utf8')) as { kestraVersion: string };
  const session = new ServerSession({ url, username: process.env.KESTRA_USERNAME, password: process.env.KESTRA_PASSWORD, cacheDir: '.cache/kestra-schemas', cacheMaxAgeMs: 0 });
  let schemas: Map<string, PluginSchema>;
  try {
    schemas = await session.pluginSchemas();
  } catch (e) {
    process.stderr.write(`record-core-schema: ${(e as Error).message}\n`);
    return 2;
  }
  const { data, missing } = coreSchemaFromServer(schemas, recordedCoreTasks(), { url: session.url, kestraVersion: version ?? current.kestraVersion, recordedAt: new Date().toISOString() });
  if (missing.length > 0) {
    process.stderr.write(`record-core-schema: ${session.url} has no schema for ${missing.join(', ')}\n`);
    return 2;
  }
  writeFileSync(CORE_SCHEMA_FILE, `${JSON.stringify(data, null, 2)}\n`);
  process.stdout.write(`wrote ${CORE_SCHEMA_FILE}\n`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = await main();
