/** The JSON objects Notion answers with (API version 2025-09-03), built from the workspace records. */
import { compactId } from './ids.js';
import { plainOfStored, richTextResponse, storedFromPlain, type StoredRichText } from './rich-text.js';
import { schemaResponse } from './schema.js';
import { propertyValueResponse } from './values.js';
import { BOT_USER_ID, WORKSPACE_PAGE_ID, type DatabaseRecord, type DataSourceRecord, type NotionWorkspace, type PageRecord } from './workspace.js';

const user = () => ({ object: 'user' as const, id: BOT_USER_ID });

function notionUrl(title: string, id: string): string {
  const slug = title.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return `https://www.notion.so/${slug ? `${slug}-` : ''}${compactId(id)}`;
}

export function pageObject(workspace: NotionWorkspace, page: PageRecord) {
  const ds = workspace.dataSources.get(page.dataSourceId)!;
  const properties: Record<string, unknown> = {};
  let title = '';
  for (const property of ds.schema) {
    const value = workspace.valueOf(page, property);
    properties[property.name] = propertyValueResponse(property, value);
    if (property.type === 'title') title = plainOfStored(value as StoredRichText[]);
  }
  return {
    object: 'page' as const,
    id: page.id,
    created_time: page.createdTime,
    last_edited_time: page.lastEditedTime,
    created_by: user(),
    last_edited_by: user(),
    cover: null,
    icon: null,
    parent: { type: 'data_source_id' as const, data_source_id: page.dataSourceId, database_id: page.databaseId },
    in_trash: page.inTrash,
    archived: page.inTrash,
    is_locked: false,
    properties,
    url: notionUrl(title, page.id),
    public_url: null,
  };
}

export function databaseObject(workspace: NotionWorkspace, database: DatabaseRecord) {
  return {
    object: 'database' as const,
    id: database.id,
    title: richTextResponse(storedFromPlain(database.title)),
    description: [],
    parent: { type: 'page_id' as const, page_id: WORKSPACE_PAGE_ID },
    is_inline: false,
    in_trash: false,
    archived: false,
    is_locked: false,
    created_time: database.createdTime,
    last_edited_time: database.createdTime,
    data_sources: database.dataSourceIds.map((id) => ({ id, name: workspace.dataSources.get(id)!.name })),
    icon: null,
    cover: null,
    url: notionUrl(database.title, database.id),
    public_url: null,
  };
}

export function dataSourceObject(dataSource: DataSourceRecord) {
  return {
    object: 'data_source' as const,
    id: dataSource.id,
    title: richTextResponse(storedFromPlain(dataSource.name)),
    description: [],
    parent: { type: 'database_id' as const, database_id: dataSource.databaseId },
    database_parent: { type: 'page_id' as const, page_id: WORKSPACE_PAGE_ID },
    is_inline: false,
    in_trash: false,
    archived: false,
    created_time: dataSource.createdTime,
    last_edited_time: dataSource.createdTime,
    created_by: user(),
    last_edited_by: user(),
    properties: schemaResponse(dataSource.schema),
    icon: null,
    cover: null,
    url: notionUrl(dataSource.name, dataSource.id),
    public_url: null,
  };
}

export function botUserObject(name: string) {
  return {
    object: 'user' as const,
    id: BOT_USER_ID,
    name,
    avatar_url: null,
    type: 'bot' as const,
    bot: { owner: { type: 'workspace' as const, workspace: true as const }, workspace_name: 'Campaign stand-in workspace' },
  };
}
