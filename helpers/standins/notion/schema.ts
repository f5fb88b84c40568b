/**
 * A data source's property schema, built from the spec's Notion data model (helpers/spec), with
 * the ids and select options Notion would show. Values are stored by property id, so renaming a
 * property (to simulate schema drift) keeps the data, as in Notion.
 */
import { createHash } from 'node:crypto';
import type { NotionDatabase, NotionPropertyType } from '../../spec/notion-model.js';

export interface SelectOption {
  id: string;
  name: string;
  color: string;
  description: null;
}

export interface SchemaProperty {
  id: string;
  name: string;
  type: NotionPropertyType;
  /** Select options, in display order (selects sort by this order). */
  options: SelectOption[];
}

/** Notion's select colors, assigned round-robin to seeded options. */
const COLORS = ['default', 'gray', 'brown', 'orange', 'yellow', 'green', 'blue', 'purple', 'pink', 'red'] as const;

function shortId(seed: string, length: number): string {
  return createHash('sha256').update(seed).digest('base64url').slice(0, length);
}

export function buildSchema(database: NotionDatabase): SchemaProperty[] {
  return Object.entries(database.properties).map(([name, property]) => {
    // The title property's id is always "title" in Notion; others are short opaque ids.
    const id = property.type === 'title' ? 'title' : shortId(`${database.key}:${name}`, 4);
    const options = (property.options ?? []).map((optionName, i) => newOption(`${database.key}:${name}`, optionName, COLORS[(i + 1) % COLORS.length]!));
    return { id, name, type: property.type, options };
  });
}

export function newOption(scope: string, name: string, color = 'default'): SelectOption {
  return { id: shortId(`${scope}:option:${name}`, 8), name, color, description: null };
}

/** A property by name, or by id (Notion accepts either wherever a property is named). */
export function findProperty(schema: readonly SchemaProperty[], nameOrId: string): SchemaProperty | undefined {
  return schema.find((p) => p.name === nameOrId) ?? schema.find((p) => p.id === nameOrId);
}

/** The schema as the data source object shows it: `{Name: {id, name, description, type, [type]: config}}`. */
export function schemaResponse(schema: readonly SchemaProperty[]) {
  const out: Record<string, Record<string, unknown>> = {};
  for (const p of schema) {
    let config: Record<string, unknown> = {};
    if (p.type === 'select') config = { options: p.options.map((o) => ({ ...o })) };
    if (p.type === 'number') config = { format: 'number' };
    out[p.name] = { id: p.id, name: p.name, description: null, type: p.type, [p.type]: config };
  }
  return out;
}
