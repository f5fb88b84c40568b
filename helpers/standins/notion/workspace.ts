/**
 * The stand-in's data: four databases, each holding one data source seeded from the spec's
 * Notion data model (plus, on request, a second data source to prove nothing relies on a
 * database having exactly one), and the pages in them. Ids of databases and data sources are
 * stable across runs, so a deployment can be configured before the stand-in starts.
 */
import { NOTION_DATABASE_KEYS, NOTION_DATABASES, type NotionDatabaseKey } from '../../spec/notion-model.js';
import { notionErrors, NotionError } from './errors.js';
import { newId, stableId } from './ids.js';
import { buildSchema, findProperty, type SchemaProperty } from './schema.js';
import { emptyValue, parsePropertyValue, simpleValueOf, valueFromSimple, type SimpleValue, type StoredValue } from './values.js';

export interface DatabaseRecord {
  key: NotionDatabaseKey;
  id: string;
  title: string;
  dataSourceIds: string[];
  createdTime: string;
}

export interface DataSourceRecord {
  key: NotionDatabaseKey;
  id: string;
  databaseId: string;
  name: string;
  schema: SchemaProperty[];
  createdTime: string;
}

export interface PageRecord {
  id: string;
  dataSourceId: string;
  databaseId: string;
  createdTime: string;
  lastEditedTime: string;
  inTrash: boolean;
  /** By property id. */
  values: Map<string, StoredValue>;
}

/** A page as tests read it: property name → simple value, plus its id and timestamps. */
export type NotionRow = { id: string; createdTime: string; lastEditedTime: string; inTrash: boolean } & Record<string, SimpleValue>;

export interface StandinIds {
  database: string;
  dataSource: string;
}

/** The ids the stand-in gives each database and its data source unless told otherwise. */
export function defaultNotionStandinIds(): Record<NotionDatabaseKey, StandinIds> {
  const out = {} as Record<NotionDatabaseKey, StandinIds>;
  for (const key of NOTION_DATABASE_KEYS) out[key] = { database: stableId(`${key}:database`), dataSource: stableId(`${key}:data_source`) };
  return out;
}

/** The page the four databases live in (their parent). */
export const WORKSPACE_PAGE_ID = stableId('workspace-page');
export const BOT_USER_ID = stableId('bot-user');

/** Notion rounds page and database timestamps down to the minute. */
export function notionTimestamp(date: Date): string {
  const t = new Date(date.getTime());
  t.setUTCSeconds(0, 0);
  return t.toISOString();
}

export interface WorkspaceOptions {
  ids: Record<NotionDatabaseKey, StandinIds>;
  withSecondDataSource: readonly NotionDatabaseKey[];
  /** Data sources whose selects start with no options, as a freshly made one (options appear on first write). */
  withoutSelectOptions?: readonly NotionDatabaseKey[];
  clock: () => Date;
}

export class NotionWorkspace {
  databases = new Map<string, DatabaseRecord>();
  dataSources = new Map<string, DataSourceRecord>();
  pages = new Map<string, PageRecord>();
  readonly #options: WorkspaceOptions;

  constructor(options: WorkspaceOptions) {
    this.#options = options;
    this.clear();
  }

  /** Empties every data source and restores the spec's schemas. */
  clear(): void {
    this.databases.clear();
    this.dataSources.clear();
    this.pages.clear();
    const created = notionTimestamp(this.#options.clock());
    for (const key of NOTION_DATABASE_KEYS) {
      const spec = NOTION_DATABASES[key];
      const ids = this.#options.ids[key];
      const database: DatabaseRecord = { key, id: ids.database, title: spec.title, dataSourceIds: [ids.dataSource], createdTime: created };
      this.databases.set(database.id, database);
      const schema = buildSchema(spec);
      if (this.#options.withoutSelectOptions?.includes(key)) for (const p of schema) p.options = [];
      this.dataSources.set(ids.dataSource, { key, id: ids.dataSource, databaseId: database.id, name: spec.title, schema, createdTime: created });
      if (this.#options.withSecondDataSource.includes(key)) {
        const secondId = stableId(`${key}:data_source:second`);
        database.dataSourceIds.push(secondId);
        this.dataSources.set(secondId, { key, id: secondId, databaseId: database.id, name: `${spec.title} (archive)`, schema: buildSchema(spec), createdTime: created });
      }
    }
  }

  /** The data source a key names (the first one of its database). */
  dataSourceFor(key: NotionDatabaseKey): DataSourceRecord {
    const ds = this.dataSources.get(this.#options.ids[key].dataSource);
    if (!ds) throw new Error(`Notion stand-in: no data source for "${key}" (keys: ${NOTION_DATABASE_KEYS.join(', ')})`);
    return ds;
  }

  keyOfDataSource(id: string): NotionDatabaseKey | undefined {
    return this.dataSources.get(id)?.key;
  }

  createPage(dataSource: DataSourceRecord, values: Map<string, StoredValue>): PageRecord {
    const now = notionTimestamp(this.#options.clock());
    const page: PageRecord = { id: newId(), dataSourceId: dataSource.id, databaseId: dataSource.databaseId, createdTime: now, lastEditedTime: now, inTrash: false, values };
    this.pages.set(page.id, page);
    return page;
  }

  touch(page: PageRecord): void {
    page.lastEditedTime = notionTimestamp(this.#options.clock());
  }

  /** Validates `properties` of a request body against the schema; values by property id. */
  parseProperties(dataSource: DataSourceRecord, properties: Record<string, unknown>): Map<string, StoredValue> {
    // A rejected request must not leave behind the select options it would have created.
    const optionCounts = dataSource.schema.map((p) => p.options.length);
    try {
      const out = new Map<string, StoredValue>();
      for (const [nameOrId, raw] of Object.entries(properties)) {
        const property = findProperty(dataSource.schema, nameOrId);
        if (!property) throw notionErrors.unknownProperty(nameOrId);
        out.set(property.id, parsePropertyValue(property, raw, `body.properties.${nameOrId}`, dataSource.key));
      }
      return out;
    } catch (error) {
      dataSource.schema.forEach((p, i) => (p.options.length = optionCounts[i]!));
      throw error;
    }
  }

  /** Inserts a page from simple values (test setup and seed data); names must exist in the schema. */
  insertSimple(key: NotionDatabaseKey, simple: Record<string, SimpleValue>): PageRecord {
    const ds = this.dataSourceFor(key);
    const values = new Map<string, StoredValue>();
    for (const [name, value] of Object.entries(simple)) {
      const property = findProperty(ds.schema, name);
      if (!property) throw new Error(`Notion stand-in: "${name}" is not a property of ${ds.name} (has: ${ds.schema.map((p) => p.name).join(', ')})`);
      try {
        values.set(property.id, valueFromSimple(property, value, key));
      } catch (error) {
        if (error instanceof NotionError) throw new Error(`Notion stand-in: ${ds.name}.${name} = ${JSON.stringify(value)} is invalid — ${error.message}`);
        throw error;
      }
    }
    return this.createPage(ds, values);
  }

  valueOf(page: PageRecord, property: SchemaProperty): StoredValue {
    return page.values.has(property.id) ? page.values.get(property.id)! : emptyValue(property.type);
  }

  rowOf(page: PageRecord): NotionRow {
    const ds = this.dataSources.get(page.dataSourceId)!;
    const row: NotionRow = { id: page.id, createdTime: page.createdTime, lastEditedTime: page.lastEditedTime, inTrash: page.inTrash } as NotionRow;
    for (const property of ds.schema) row[property.name] = simpleValueOf(property, this.valueOf(page, property));
    return row;
  }

  rows(key: NotionDatabaseKey, options: { includeTrashed?: boolean } = {}): NotionRow[] {
    const ds = this.dataSourceFor(key);
    return [...this.pages.values()].filter((p) => p.dataSourceId === ds.id && (options.includeTrashed || !p.inTrash)).map((p) => this.rowOf(p));
  }

  /** Renames a property in place (values are kept), to simulate a drifted production schema. */
  renameProperty(key: NotionDatabaseKey, from: string, to: string): void {
    const ds = this.dataSourceFor(key);
    const property = ds.schema.find((p) => p.name === from);
    if (!property) throw new Error(`Notion stand-in: ${ds.name} has no property "${from}" (has: ${ds.schema.map((p) => p.name).join(', ')})`);
    if (ds.schema.some((p) => p.name === to)) throw new Error(`Notion stand-in: ${ds.name} already has a property "${to}"`);
    property.name = to;
  }
}
