/**
 * Notion schema drift (SPEC §7): every database reachable, holding exactly one data source, whose
 * property names and types equal helpers/spec/notion-model.ts. A renamed property is the most
 * common production failure ("X is not a property that exists"), so findings are per property:
 *
 *   error    Contacts: property Email is missing
 *   error    Contacts: property Segment has type rich_text, expected select
 *   error    Sequence Tracker: database 1f2… has 2 data sources, expected exactly one
 *   warning  Contacts: extra property Foo (rich_text)
 *   error    Sequence Tracker: select Status has no option "sent", which the flows' duplicate checks match on (a fresh or renamed option: add it in Notion)
 *   warning  Sequence Tracker: select Status has no option "failed" (Notion adds it on first write, if the integration may)
 *
 * The environment gives DATA SOURCE ids (NOTION_*_DATA_SOURCE_ID); the data source's
 * `parent.database_id` names the database, whose `data_sources` list is then checked.
 * Calls: GET /v1/data_sources/{id} and GET /v1/databases/{id} through @notionhq/client
 * (API 2025-09-03), so the Notion stand-in and production answer the same code.
 */
import { Client, LogLevel, isNotionClientError } from '@notionhq/client';
import { z } from 'zod';
import { MATCHED_SELECT_OPTIONS, NOTION_DATABASE_KEYS, NOTION_DATABASES, NOTION_VERSION, type NotionDatabase, type NotionDatabaseKey } from '../../spec/index.js';
import { PRODUCTION_NOTION_API_URL } from '../../spec/index.js';

export interface LiveProperty {
  name: string;
  type: string;
  /** Select options, for selects. */
  options?: string[];
}

export interface SchemaFinding {
  database: NotionDatabaseKey;
  severity: 'error' | 'warning';
  message: string;
}

export interface DatabaseReport {
  key: NotionDatabaseKey;
  title: string;
  dataSourceId: string;
  databaseId: string | null;
  dataSources: number | null;
  properties: number | null;
}

export interface NotionSchemaReport {
  databases: DatabaseReport[];
  findings: SchemaFinding[];
}

/** Compares one live data source's properties with the spec's, property by property. */
export function compareSchema(database: NotionDatabase, live: Readonly<Record<string, LiveProperty>>): SchemaFinding[] {
  const findings: SchemaFinding[] = [];
  const at = (severity: SchemaFinding['severity'], message: string) => findings.push({ database: database.key, severity, message: `${database.title}: ${message}` });
  for (const [name, want] of Object.entries(database.properties)) {
    const got = live[name];
    if (!got) {
      const sameType = Object.values(live).filter((p) => p.type === want.type && !(p.name in database.properties)).map((p) => p.name);
      at('error', `property ${name} is missing${sameType.length > 0 ? ` (renamed? extra ${want.type} propert${sameType.length > 1 ? 'ies' : 'y'}: ${sameType.join(', ')})` : ''}`);
      continue;
    }
    if (got.type !== want.type) {
      at('error', `property ${name} has type ${got.type}, expected ${want.type}`);
      continue;
    }
    if (want.type === 'select' && want.options && got.options) {
      const matched = MATCHED_SELECT_OPTIONS.filter((m) => m.database === database.key && m.property === name).flatMap((m) => m.options);
      for (const option of want.options) {
        if (got.options.includes(option)) continue;
        if (matched.includes(option)) at('error', `select ${name} has no option "${option}", which the flows' duplicate checks match on (a fresh or renamed option: add it in Notion)`);
        else at('warning', `select ${name} has no option "${option}" (Notion adds it on first write, if the integration may)`);
      }
    }
  }
  for (const [name, got] of Object.entries(live)) {
    if (!(name in database.properties)) at('warning', `extra property ${name} (${got.type})`);
  }
  return findings;
}

const DataSourceSchema = z.looseObject({
  id: z.string(),
  parent: z.looseObject({ database_id: z.string().optional() }).optional(),
  properties: z.record(
    z.string(),
    z.looseObject({
      name: z.string().optional(),
      type: z.string(),
      select: z.looseObject({ options: z.array(z.looseObject({ name: z.string() })).optional() }).nullish(),
    }),
  ),
});

const DatabaseSchema = z.looseObject({
  id: z.string(),
  data_sources: z.array(z.looseObject({ id: z.string() })),
});

function notionProblem(err: unknown): string {
  if (isNotionClientError(err)) return `${err.code}: ${err.message.split('\n')[0]}`;
  return (err as Error).message.split('\n')[0] ?? String(err);
}

export interface NotionSchemaCheckOptions {
  token: string;
  dataSourceIds: Readonly<Record<NotionDatabaseKey, string>>;
  /** Default Notion's production API. */
  baseUrl?: string;
  timeoutMs?: number;
}

export function notionClient(options: Pick<NotionSchemaCheckOptions, 'token' | 'baseUrl' | 'timeoutMs'>): Client {
  return new Client({
    auth: options.token,
    baseUrl: options.baseUrl ?? PRODUCTION_NOTION_API_URL,
    notionVersion: NOTION_VERSION,
    // Failures come back as errors the harness reports in one line; the client's own multi-line warn is noise.
    logLevel: LogLevel.ERROR,
    timeoutMs: options.timeoutMs ?? 15_000,
    retry: { maxRetries: 3, initialRetryDelayMs: 400, maxRetryDelayMs: 8_000 },
  });
}

export async function checkNotionSchemas(client: Client, dataSourceIds: Readonly<Record<NotionDatabaseKey, string>>): Promise<NotionSchemaReport> {
  const report: NotionSchemaReport = { databases: [], findings: [] };
  for (const key of NOTION_DATABASE_KEYS) {
    const spec = NOTION_DATABASES[key];
    const dataSourceId = dataSourceIds[key];
    const entry: DatabaseReport = { key, title: spec.title, dataSourceId, databaseId: null, dataSources: null, properties: null };
    report.databases.push(entry);
    const error = (message: string) => report.findings.push({ database: key, severity: 'error', message: `${spec.title}: ${message}` });

    let dataSource: z.output<typeof DataSourceSchema>;
    try {
      const parsed = DataSourceSchema.safeParse(await client.dataSources.retrieve({ data_source_id: dataSourceId }));
      if (!parsed.success) {
        error(`data source ${dataSourceId} answered an unexpected shape (${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message})`);
        continue;
      }
      dataSource = parsed.data;
    } catch (err) {
      error(`data source ${dataSourceId} is not reachable — ${notionProblem(err)} (check ${spec.dataSourceSecret} and that the database is shared with the integration)`);
      continue;
    }

    const databaseId = dataSource.parent?.database_id ?? null;
    entry.databaseId = databaseId;
    if (!databaseId) {
      error(`data source ${dataSourceId} names no parent database`);
    } else {
      try {
        const parsed = DatabaseSchema.safeParse(await client.databases.retrieve({ database_id: databaseId }));
        if (!parsed.success) error(`database ${databaseId} answered an unexpected shape (${parsed.error.issues[0]?.message})`);
        else {
          entry.dataSources = parsed.data.data_sources.length;
          if (entry.dataSources !== 1) {
            error(`database ${databaseId} has ${entry.dataSources} data sources, expected exactly one (a second data source breaks database-parented writes)`);
          }
        }
      } catch (err) {
        error(`database ${databaseId} is not reachable — ${notionProblem(err)}`);
      }
    }

    const live: Record<string, LiveProperty> = {};
    for (const [name, p] of Object.entries(dataSource.properties)) {
      const options = p.type === 'select' ? p.select?.options?.map((o) => o.name) : undefined;
      live[p.name ?? name] = { name: p.name ?? name, type: p.type, ...(options ? { options } : {}) };
    }
    entry.properties = Object.keys(live).length;
    report.findings.push(...compareSchema(spec, live));
  }
  return report;
}
