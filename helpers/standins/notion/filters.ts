/**
 * Data source query filters (https://developers.notion.com/reference/filter-data-source-entries):
 * property filters for the types the campaign uses, timestamp filters, and `and`/`or` compounds
 * (nested). A filter is validated while it is compiled, so a malformed one is a 400 naming the
 * offending path before anything is read.
 */
import { bodyInvalid, NotionError } from './errors.js';
import { plainOfStored, type StoredRichText } from './rich-text.js';
import { findProperty, type SchemaProperty } from './schema.js';
import { instantOf, isDateOnly, normalizeNotionDate, type StoredDate } from './values.js';
import type { NotionWorkspace, PageRecord } from './workspace.js';

export type PagePredicate = (page: PageRecord) => boolean;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Filter keys a property of each type accepts. Title and rich text filters are interchangeable (Notion's own examples use `rich_text` on a title). */
const FILTER_KEYS_FOR: Record<SchemaProperty['type'], readonly string[]> = {
  title: ['title', 'rich_text'],
  rich_text: ['rich_text', 'title'],
  email: ['email'],
  select: ['select'],
  number: ['number'],
  checkbox: ['checkbox'],
  date: ['date'],
};
const ALL_FILTER_KEYS = [
  'title', 'rich_text', 'url', 'email', 'phone_number', 'number', 'checkbox', 'select', 'multi_select', 'status', 'date',
  'people', 'files', 'relation', 'formula', 'rollup', 'unique_id', 'created_time', 'last_edited_time', 'created_by', 'last_edited_by', 'verification',
];

/**
 * Compound filters nest at most two levels deep: `{and: [{or: [property filters]}]}` is the deepest
 * shape (https://developers.notion.com/reference/filter-data-source-entries, "Nesting is supported up
 * to two levels deep"; @notionhq/client 5.26 GroupFilterOperatorArray types the same limit).
 */
export const MAX_COMPOUND_DEPTH = 2;

export function compileFilter(raw: unknown, workspace: NotionWorkspace, schema: readonly SchemaProperty[], path = 'body.filter', depth = 0): PagePredicate {
  if (!isObject(raw)) throw bodyInvalid(path, 'an object', raw);
  if ('and' in raw || 'or' in raw) {
    const op = 'and' in raw ? 'and' : 'or';
    const list = raw[op];
    // Notion's validator wording for a key its schema has no room for at this depth.
    if (depth >= MAX_COMPOUND_DEPTH) throw bodyInvalid(`${path}.${op}`, 'not present', list);
    if (!Array.isArray(list)) throw bodyInvalid(`${path}.${op}`, 'an array', list);
    if (list.length > 100) throw bodyInvalid(`${path}.${op}.length`, '≤ `100`', list.length);
    const parts = list.map((f, i) => compileFilter(f, workspace, schema, `${path}.${op}[${i}]`, depth + 1));
    return op === 'and' ? (p) => parts.every((f) => f(p)) : (p) => parts.some((f) => f(p));
  }
  if ('timestamp' in raw) {
    const which = raw.timestamp;
    if (which !== 'created_time' && which !== 'last_edited_time') throw bodyInvalid(`${path}.timestamp`, '`"created_time"` or `"last_edited_time"`', which);
    const test = dateCondition(raw[which], `${path}.${which}`);
    return (page) => test(which === 'created_time' ? page.createdTime : page.lastEditedTime);
  }
  if (typeof raw.property !== 'string') throw bodyInvalid(`${path}.property`, 'a string', raw.property);
  const property = findProperty(schema, raw.property);
  if (!property) throw new NotionError(400, 'validation_error', `Could not find property with name or id: ${raw.property}`);
  const given = ALL_FILTER_KEYS.filter((k) => k in raw);
  const accepted = FILTER_KEYS_FOR[property.type];
  const key = given.find((k) => accepted.includes(k));
  if (!key) {
    // Wording seen from Notion for a filter of the wrong type; not in its docs.
    if (given[0]) throw new NotionError(400, 'validation_error', `database property ${property.type} does not match filter ${given[0]}`);
    throw bodyInvalid(`${path}.${property.type}`, 'defined', undefined);
  }
  const at = `${path}.${key}`;
  const condition = raw[key];
  const read = (page: PageRecord) => workspace.valueOf(page, property);
  switch (property.type) {
    case 'title':
    case 'rich_text': {
      const test = textCondition(condition, at);
      return (page) => test(plainOfStored(read(page) as StoredRichText[]));
    }
    case 'email': {
      const test = textCondition(condition, at);
      return (page) => test((read(page) as string | null) ?? '');
    }
    case 'select': {
      const test = selectCondition(condition, at, property);
      return (page) => test((read(page) as { name: string } | null)?.name ?? null);
    }
    case 'number': {
      const test = numberCondition(condition, at);
      return (page) => test(read(page) as number | null);
    }
    case 'checkbox': {
      const test = checkboxCondition(condition, at);
      return (page) => test(read(page) as boolean);
    }
    case 'date': {
      const test = dateCondition(condition, at);
      return (page) => test((read(page) as StoredDate | null)?.start ?? null);
    }
  }
}

/** The single operator of a condition object, e.g. `{equals: 'x'}` → ['equals', 'x']. */
function operatorOf(condition: unknown, at: string, allowed: readonly string[]): [string, unknown] {
  if (!isObject(condition)) throw bodyInvalid(at, 'an object', condition);
  const keys = Object.keys(condition);
  const op = keys[0];
  if (keys.length !== 1 || op === undefined || !allowed.includes(op)) {
    throw new NotionError(400, 'validation_error', `body failed validation: ${at} should have exactly one of ${allowed.map((a) => `\`${a}\``).join(', ')}, instead was ${JSON.stringify(keys)}.`);
  }
  return [op, condition[op]];
}

function requireTrue(op: string, value: unknown, at: string): void {
  if (value !== true) throw bodyInvalid(`${at}.${op}`, '`true`', value);
}

const TEXT_OPS = ['equals', 'does_not_equal', 'contains', 'does_not_contain', 'starts_with', 'ends_with', 'is_empty', 'is_not_empty'];

/** `contains` and friends ignore case (as Notion's do); `equals` compares exactly. */
function textCondition(condition: unknown, at: string): (text: string) => boolean {
  const [op, value] = operatorOf(condition, at, TEXT_OPS);
  if (op === 'is_empty' || op === 'is_not_empty') {
    requireTrue(op, value, at);
    return op === 'is_empty' ? (t) => t === '' : (t) => t !== '';
  }
  if (typeof value !== 'string') throw bodyInvalid(`${at}.${op}`, 'a string', value);
  const needle = value.toLowerCase();
  switch (op) {
    case 'equals':
      return (t) => t === value;
    case 'does_not_equal':
      return (t) => t !== value;
    case 'contains':
      return (t) => t.toLowerCase().includes(needle);
    case 'does_not_contain':
      return (t) => !t.toLowerCase().includes(needle);
    case 'starts_with':
      return (t) => t.toLowerCase().startsWith(needle);
    default:
      return (t) => t.toLowerCase().endsWith(needle);
  }
}

function selectCondition(condition: unknown, at: string, property: SchemaProperty): (name: string | null) => boolean {
  const [op, value] = operatorOf(condition, at, ['equals', 'does_not_equal', 'is_empty', 'is_not_empty']);
  if (op === 'is_empty' || op === 'is_not_empty') {
    requireTrue(op, value, at);
    return op === 'is_empty' ? (n) => n === null : (n) => n !== null;
  }
  if (typeof value !== 'string') throw bodyInvalid(`${at}.${op}`, 'a string', value);
  // Notion refuses a select filter naming an option the property does not have (yet) instead of
  // answering no rows (issue 12 item 7; the status and code are Notion's validation answer, the
  // wording is ours until it is seen from the real API). Writing a page with a new option name
  // creates the option, so a fresh data source has none of the flows' options.
  if (!property.options.some((o) => o.name === value)) {
    throw new NotionError(400, 'validation_error', `Invalid select option ${JSON.stringify(value)} in filter: ${at} names an option the property "${property.name}" does not have.`);
  }
  return op === 'equals' ? (n) => n === value : (n) => n !== value;
}

function numberCondition(condition: unknown, at: string): (n: number | null) => boolean {
  const ops = ['equals', 'does_not_equal', 'greater_than', 'less_than', 'greater_than_or_equal_to', 'less_than_or_equal_to', 'is_empty', 'is_not_empty'];
  const [op, value] = operatorOf(condition, at, ops);
  if (op === 'is_empty' || op === 'is_not_empty') {
    requireTrue(op, value, at);
    return op === 'is_empty' ? (n) => n === null : (n) => n !== null;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) throw bodyInvalid(`${at}.${op}`, 'a number', value);
  const tests: Record<string, (n: number) => boolean> = {
    equals: (n) => n === value,
    does_not_equal: (n) => n !== value,
    greater_than: (n) => n > value,
    less_than: (n) => n < value,
    greater_than_or_equal_to: (n) => n >= value,
    less_than_or_equal_to: (n) => n <= value,
  };
  const test = tests[op]!;
  // An empty number matches only does_not_equal (Notion treats empty as "not equal to anything").
  return (n) => (n === null ? op === 'does_not_equal' : test(n));
}

function checkboxCondition(condition: unknown, at: string): (b: boolean) => boolean {
  const [op, value] = operatorOf(condition, at, ['equals', 'does_not_equal']);
  if (typeof value !== 'boolean') throw bodyInvalid(`${at}.${op}`, 'a boolean', value);
  return op === 'equals' ? (b) => b === value : (b) => b !== value;
}

const DATE_OPS = ['equals', 'before', 'after', 'on_or_before', 'on_or_after', 'is_empty', 'is_not_empty'];

/**
 * Dates compare by calendar day when the filter gives a bare date (`"2025-12-01"`), and by
 * instant when it gives a date-time. An empty date matches only `is_empty`.
 */
function dateCondition(condition: unknown, at: string): (date: string | null) => boolean {
  const [op, value] = operatorOf(condition, at, DATE_OPS);
  if (op === 'is_empty' || op === 'is_not_empty') {
    requireTrue(op, value, at);
    return op === 'is_empty' ? (d) => d === null : (d) => d !== null;
  }
  const normalized = typeof value === 'string' ? normalizeNotionDate(value) : undefined;
  if (normalized === undefined) throw bodyInvalid(`${at}.${op}`, 'a valid ISO 8601 date string', value);
  const byDay = isDateOnly(normalized);
  const target = byDay ? normalized : instantOf(normalized);
  const compare = (d: string): number => {
    if (Number.isNaN(instantOf(d))) return Number.NaN;
    if (byDay) {
      const day = isDateOnly(d) ? d : new Date(instantOf(d)).toISOString().slice(0, 10);
      return day < (target as string) ? -1 : day > (target as string) ? 1 : 0;
    }
    return Math.sign(instantOf(d) - (target as number));
  };
  const accept: Record<string, (c: number) => boolean> = {
    equals: (c) => c === 0,
    before: (c) => c < 0,
    after: (c) => c > 0,
    on_or_before: (c) => c <= 0,
    on_or_after: (c) => c >= 0,
  };
  const test = accept[op]!;
  return (d) => d !== null && test(compare(d));
}

