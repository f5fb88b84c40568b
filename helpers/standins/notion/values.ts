/**
 * Page property values: validating what a request writes (with Notion's error wording), the
 * response shape Notion answers, and the simple form tests read (`pages('contacts')`).
 */
import type { NotionPropertyType } from '../../spec/notion-model.js';
import { bodyInvalid, notionErrors, NotionError } from './errors.js';
import { newOption, type SchemaProperty } from './schema.js';
import { parseRichTextArray, plainOfStored, richTextResponse, storedFromPlain, type StoredRichText } from './rich-text.js';

export interface StoredDate {
  start: string;
  end: string | null;
  time_zone: string | null;
}

export type StoredValue = StoredRichText[] | string | number | boolean | null | StoredDate | { id: string; name: string; color: string };

/** What tests read and write: text as one string, select by name, date by its start. */
export type SimpleValue = string | number | boolean | null;

/** Every property type key Notion knows, to tell "wrong type" from "malformed value". */
const NOTION_VALUE_KEYS = [
  'title', 'rich_text', 'number', 'select', 'multi_select', 'status', 'date', 'people', 'files', 'checkbox', 'url',
  'email', 'phone_number', 'relation', 'formula', 'rollup', 'created_time', 'created_by', 'last_edited_time', 'last_edited_by',
  'unique_id', 'verification', 'button', 'place',
];

const EMAIL_LIMIT = 200;
const OPTION_NAME_LIMIT = 100;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function emptyValue(type: NotionPropertyType): StoredValue {
  if (type === 'title' || type === 'rich_text') return [];
  if (type === 'checkbox') return false;
  return null;
}

/**
 * Validates one property value from a create/update body. `path` is e.g. `body.properties.Email`.
 * A select name not yet among the options creates the option, as Notion does.
 */
export function parsePropertyValue(property: SchemaProperty, raw: unknown, path: string, scope: string): StoredValue {
  if (!isObject(raw)) throw bodyInvalid(path, 'an object', raw);
  const { type } = property;
  if (raw.type !== undefined && raw.type !== type) throw notionErrors.propertyTypeMismatch(property.name, type);
  if (!(type in raw)) {
    if (Object.keys(raw).some((k) => NOTION_VALUE_KEYS.includes(k))) throw notionErrors.propertyTypeMismatch(property.name, type);
    throw bodyInvalid(`${path}.${type}`, 'defined', undefined);
  }
  const value = raw[type];
  const at = `${path}.${type}`;
  switch (type) {
    case 'title':
    case 'rich_text':
      return parseRichTextArray(value, at);
    case 'email':
      if (value === null) return null;
      if (typeof value !== 'string') throw bodyInvalid(at, 'a string or `null`', value);
      if (value.length > EMAIL_LIMIT) throw bodyInvalid(`${at}.length`, `≤ \`${EMAIL_LIMIT}\``, value.length);
      return value;
    case 'number':
      if (value === null) return null;
      if (typeof value !== 'number' || !Number.isFinite(value)) throw bodyInvalid(at, 'a number or `null`', value);
      return value;
    case 'checkbox':
      if (typeof value !== 'boolean') throw bodyInvalid(at, 'a boolean', value);
      return value;
    case 'select':
      return parseSelect(property, value, at, scope);
    case 'date':
      return parseDateValue(value, at);
  }
}

function parseSelect(property: SchemaProperty, value: unknown, at: string, scope: string): StoredValue {
  if (value === null) return null;
  if (!isObject(value)) throw bodyInvalid(at, 'an object or `null`', value);
  if (value.id !== undefined) {
    if (typeof value.id !== 'string') throw bodyInvalid(`${at}.id`, 'a string', value.id);
    const byId = property.options.find((o) => o.id === value.id);
    // Wording not confirmed against Notion: it rejects an unknown option id with a validation_error.
    if (!byId) throw new NotionError(400, 'validation_error', `Select option with id ${value.id} does not exist for property ${property.name}.`);
    return { id: byId.id, name: byId.name, color: byId.color };
  }
  if (typeof value.name !== 'string') throw bodyInvalid(`${at}.name`, 'a string', value.name);
  const name = value.name;
  if (name.length > OPTION_NAME_LIMIT) throw bodyInvalid(`${at}.name.length`, `≤ \`${OPTION_NAME_LIMIT}\``, name.length);
  // Notion refuses commas in select option names (they separate options in its UI).
  if (name.includes(',')) throw new NotionError(400, 'validation_error', `Invalid select option, commas not allowed: ${name}`);
  let option = property.options.find((o) => o.name === name);
  if (!option) {
    // Notion creates an option the schema does not have yet (enumerated lists are not enforced).
    option = newOption(`${scope}:${property.name}`, name);
    property.options.push(option);
  }
  return { id: option.id, name: option.name, color: option.color };
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i;

function validCalendarDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * Normalises an ISO 8601 date the way Notion answers it: a date stays `YYYY-MM-DD`; a date-time
 * gets milliseconds and a `±HH:MM` offset (`Z` becomes `+00:00`; no offset means UTC unless a
 * time_zone goes with it). Undefined when it is not a valid ISO 8601 date.
 */
export function normalizeNotionDate(raw: string, withTimeZone = false): string | undefined {
  const dateOnly = DATE_ONLY.exec(raw);
  if (dateOnly) return validCalendarDate(+dateOnly[1]!, +dateOnly[2]!, +dateOnly[3]!) ? raw : undefined;
  const m = DATE_TIME.exec(raw);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = '00', frac = '', zone] = m;
  if (!validCalendarDate(+y!, +mo!, +d!) || +h! > 23 || +mi! > 59 || +s > 59) return undefined;
  let offset = '';
  if (zone === undefined) offset = withTimeZone ? '' : '+00:00';
  else if (zone.toUpperCase() === 'Z') offset = '+00:00';
  else {
    const digits = zone.replace(':', '');
    if (+digits.slice(1, 3) > 14 || +digits.slice(3, 5) > 59) return undefined;
    offset = `${digits.slice(0, 3)}:${digits.slice(3, 5)}`;
  }
  return `${y}-${mo}-${d}T${h}:${mi}:${s}.${(frac + '000').slice(0, 3)}${offset}`;
}

/** The instant a stored date stands for (a bare date or local time is read as UTC). */
export function instantOf(date: string): number {
  if (DATE_ONLY.test(date)) return Date.parse(`${date}T00:00:00Z`);
  return Date.parse(/(Z|[+-]\d{2}:\d{2})$/i.test(date) ? date : `${date}Z`);
}

export function isDateOnly(date: string): boolean {
  return DATE_ONLY.test(date);
}

function parseDateValue(value: unknown, at: string): StoredValue {
  if (value === null) return null;
  if (!isObject(value)) throw bodyInvalid(at, 'an object or `null`', value);
  const timeZone = value.time_zone;
  if (timeZone !== undefined && timeZone !== null && typeof timeZone !== 'string') throw bodyInvalid(`${at}.time_zone`, 'a string or `null`', timeZone);
  const withZone = typeof timeZone === 'string';
  const start = typeof value.start === 'string' ? normalizeNotionDate(value.start, withZone) : undefined;
  if (start === undefined) throw bodyInvalid(`${at}.start`, 'a valid ISO 8601 date string', value.start);
  let end: string | null = null;
  if (value.end !== undefined && value.end !== null) {
    const normalized = typeof value.end === 'string' ? normalizeNotionDate(value.end, withZone) : undefined;
    if (normalized === undefined) throw bodyInvalid(`${at}.end`, 'a valid ISO 8601 date string', value.end);
    end = normalized;
  }
  return { start, end, time_zone: withZone ? timeZone : null };
}

/** The value as a page object shows it: `{id, type, [type]: value}`. */
export function propertyValueResponse(property: SchemaProperty, value: StoredValue) {
  let shownValue: unknown = value;
  if (property.type === 'title' || property.type === 'rich_text') shownValue = richTextResponse(value as StoredRichText[]);
  else if (property.type === 'date' && value !== null) shownValue = { ...(value as StoredDate) };
  else if (property.type === 'select' && value !== null) shownValue = { ...(value as object) };
  return { id: property.id, type: property.type, [property.type]: shownValue };
}

export function simpleValueOf(property: SchemaProperty, value: StoredValue): SimpleValue {
  switch (property.type) {
    case 'title':
    case 'rich_text':
      return plainOfStored(value as StoredRichText[]);
    case 'select':
      return value === null ? null : (value as { name: string }).name;
    case 'date':
      return value === null ? null : (value as StoredDate).start;
    default:
      return value as SimpleValue;
  }
}

/** For seeding and test inserts: the stored value for a simple one, through the same validation. */
export function valueFromSimple(property: SchemaProperty, simple: SimpleValue, scope: string): StoredValue {
  const path = `properties.${property.name}`;
  switch (property.type) {
    case 'title':
    case 'rich_text':
      return storedFromPlain(simple === null ? '' : String(simple));
    case 'select':
      return parsePropertyValue(property, { select: simple === null ? null : { name: String(simple) } }, path, scope);
    case 'date':
      return parsePropertyValue(property, { date: simple === null ? null : { start: String(simple) } }, path, scope);
    default:
      return parsePropertyValue(property, { [property.type]: simple }, path, scope);
  }
}
