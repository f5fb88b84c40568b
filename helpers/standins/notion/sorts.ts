/**
 * Data source query sorts: by property or by `created_time`/`last_edited_time`, first sort wins.
 * Empty values go last in either direction and selects sort by option order, as in Notion.
 * Without sorts, pages come in creation order (Notion documents no default order).
 */
import { bodyInvalid, NotionError } from './errors.js';
import { plainOfStored, type StoredRichText } from './rich-text.js';
import { findProperty, type SchemaProperty } from './schema.js';
import { instantOf, type StoredDate } from './values.js';
import type { NotionWorkspace, PageRecord } from './workspace.js';

export type PageComparator = (a: PageRecord, b: PageRecord) => number;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A sortable key for a page, or null when the value is empty. */
type KeyOf = (page: PageRecord) => string | number | null;

export function compileSorts(raw: unknown, workspace: NotionWorkspace, schema: readonly SchemaProperty[]): PageComparator {
  if (raw === undefined) return () => 0;
  if (!Array.isArray(raw)) throw bodyInvalid('body.sorts', 'an array', raw);
  if (raw.length > 100) throw bodyInvalid('body.sorts.length', '≤ `100`', raw.length);
  const comparators = raw.map((sort, i): PageComparator => {
    const at = `body.sorts[${i}]`;
    if (!isObject(sort)) throw bodyInvalid(at, 'an object', sort);
    // `direction` is required (https://developers.notion.com/reference/sort-data-source-entries:
    // "The sort object must contain the following properties: … direction").
    const direction = sort.direction;
    if (direction === undefined) throw bodyInvalid(`${at}.direction`, 'defined', undefined);
    if (direction !== 'ascending' && direction !== 'descending') throw bodyInvalid(`${at}.direction`, '`"ascending"` or `"descending"`', direction);
    let key: KeyOf;
    if (sort.timestamp !== undefined) {
      if (sort.timestamp !== 'created_time' && sort.timestamp !== 'last_edited_time') throw bodyInvalid(`${at}.timestamp`, '`"created_time"` or `"last_edited_time"`', sort.timestamp);
      const which = sort.timestamp;
      key = (p) => Date.parse(which === 'created_time' ? p.createdTime : p.lastEditedTime);
    } else {
      if (typeof sort.property !== 'string') throw bodyInvalid(`${at}.property`, 'a string', sort.property);
      const property = findProperty(schema, sort.property);
      if (!property) throw new NotionError(400, 'validation_error', `Could not find sort property with name or id: ${sort.property}`);
      key = propertyKey(workspace, property);
    }
    const sign = direction === 'ascending' ? 1 : -1;
    return (a, b) => {
      const ka = key(a);
      const kb = key(b);
      if (ka === null || kb === null) return ka === kb ? 0 : ka === null ? 1 : -1;
      return ka < kb ? -sign : ka > kb ? sign : 0;
    };
  });
  return (a, b) => {
    for (const compare of comparators) {
      const c = compare(a, b);
      if (c !== 0) return c;
    }
    return 0;
  };
}

function propertyKey(workspace: NotionWorkspace, property: SchemaProperty): KeyOf {
  const read = (p: PageRecord) => workspace.valueOf(p, property);
  switch (property.type) {
    case 'title':
    case 'rich_text':
      return (p) => {
        const text = plainOfStored(read(p) as StoredRichText[]);
        return text === '' ? null : text.toLowerCase();
      };
    case 'email':
      return (p) => ((read(p) as string | null) || null)?.toLowerCase() ?? null;
    case 'number':
      return (p) => read(p) as number | null;
    case 'checkbox':
      return (p) => (read(p) ? 1 : 0);
    case 'select':
      return (p) => {
        const value = read(p) as { id: string } | null;
        return value === null ? null : property.options.findIndex((o) => o.id === value.id);
      };
    case 'date':
      return (p) => {
        const value = read(p) as StoredDate | null;
        return value === null ? null : instantOf(value.start);
      };
  }
}
