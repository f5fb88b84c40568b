/**
 * Rich text: Notion caps each text item at 2000 characters and an array at 100 items, so a long
 * body is several items whose `plain_text` must be joined to read it back. The helpers here do
 * both directions, for the stand-in and for any client code that reads or writes long text.
 */
import { bodyInvalid, NotionError } from './errors.js';

export const RICH_TEXT_ITEM_LIMIT = 2000;
export const RICH_TEXT_ARRAY_LIMIT = 100;

export type TextColor = string;

export interface Annotations {
  bold: boolean;
  italic: boolean;
  strikethrough: boolean;
  underline: boolean;
  code: boolean;
  color: TextColor;
}

/** One rich text item as the stand-in stores it. */
export type StoredRichText =
  | { type: 'text'; content: string; link: string | null; annotations: Annotations }
  | { type: 'equation'; expression: string; annotations: Annotations };

/** A plain text item for a request (assignable to the SDK's RichTextItemRequest). */
export interface RichTextRequest {
  type: 'text';
  text: { content: string };
}

export const DEFAULT_ANNOTATIONS: Readonly<Annotations> = { bold: false, italic: false, strikethrough: false, underline: false, code: false, color: 'default' };

/**
 * Splits text into request items of at most 2000 characters each (never between the two halves
 * of a surrogate pair). Empty text gives an empty array, which is how Notion clears a property.
 */
export function splitIntoRichText(text: string): RichTextRequest[] {
  return chunk(text).map((content) => ({ type: 'text', text: { content } }));
}

/** The text of a rich text array as a reader sees it: every item's plain_text, joined. */
export function plainTextOf(items: readonly { plain_text?: string }[] | undefined | null): string {
  return (items ?? []).map((i) => i.plain_text ?? '').join('');
}

function chunk(text: string): string[] {
  const out: string[] = [];
  let at = 0;
  while (at < text.length) {
    let end = Math.min(at + RICH_TEXT_ITEM_LIMIT, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    out.push(text.slice(at, end));
    at = end;
  }
  return out;
}

/** Stored items for a plain string (seed data, test inserts): split like a careful client would. */
export function storedFromPlain(text: string): StoredRichText[] {
  return chunk(text).map((content) => ({ type: 'text', content, link: null, annotations: { ...DEFAULT_ANNOTATIONS } }));
}

export function plainOfStored(items: readonly StoredRichText[]): string {
  return items.map((i) => (i.type === 'text' ? i.content : i.expression)).join('');
}

export function richTextResponse(items: readonly StoredRichText[]) {
  return items.map((item) =>
    item.type === 'text'
      ? {
          type: 'text' as const,
          text: { content: item.content, link: item.link === null ? null : { url: item.link } },
          annotations: { ...item.annotations },
          plain_text: item.content,
          href: item.link,
        }
      : {
          type: 'equation' as const,
          equation: { expression: item.expression },
          annotations: { ...item.annotations },
          plain_text: item.expression,
          href: null,
        },
  );
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validates a request's rich text array at `path` (e.g. body.properties.Body.rich_text) and stores it. */
export function parseRichTextArray(raw: unknown, path: string): StoredRichText[] {
  if (!Array.isArray(raw)) throw bodyInvalid(path, 'an array', raw);
  if (raw.length > RICH_TEXT_ARRAY_LIMIT) throw bodyInvalid(`${path}.length`, `≤ \`${RICH_TEXT_ARRAY_LIMIT}\``, raw.length);
  return raw.map((item, i) => parseItem(item, `${path}[${i}]`));
}

function parseItem(item: unknown, path: string): StoredRichText {
  if (!isObject(item)) throw bodyInvalid(path, 'an object', item);
  const annotations = parseAnnotations(item.annotations, `${path}.annotations`);
  if (item.type !== undefined && item.type !== 'text' && item.type !== 'equation' && item.type !== 'mention') {
    throw bodyInvalid(`${path}.type`, '`"text"`, `"mention"`, or `"equation"`', item.type);
  }
  if (item.equation !== undefined || item.type === 'equation') {
    const eq = item.equation;
    if (!isObject(eq) || typeof eq.expression !== 'string') throw bodyInvalid(`${path}.equation.expression`, 'a string', isObject(eq) ? eq.expression : eq);
    if (eq.expression.length > 1000) throw bodyInvalid(`${path}.equation.expression.length`, '≤ `1000`', eq.expression.length);
    return { type: 'equation', expression: eq.expression, annotations };
  }
  if (item.mention !== undefined || item.type === 'mention') {
    // Mentions need users/pages the stand-in does not model; nothing in the campaign writes them.
    throw new NotionError(400, 'validation_error', `body failed validation: ${path}.mention is not supported by the Notion stand-in.`);
  }
  const text = item.text;
  if (!isObject(text)) throw bodyInvalid(`${path}.text`, 'defined', text);
  if (typeof text.content !== 'string') throw bodyInvalid(`${path}.text.content`, 'a string', text.content);
  if (text.content.length > RICH_TEXT_ITEM_LIMIT) throw bodyInvalid(`${path}.text.content.length`, `≤ \`${RICH_TEXT_ITEM_LIMIT}\``, text.content.length);
  let link: string | null = null;
  if (text.link !== undefined && text.link !== null) {
    if (!isObject(text.link) || typeof text.link.url !== 'string') throw bodyInvalid(`${path}.text.link.url`, 'a string', isObject(text.link) ? text.link.url : text.link);
    if (text.link.url.length > 2000) throw bodyInvalid(`${path}.text.link.url.length`, '≤ `2000`', text.link.url.length);
    link = text.link.url;
  }
  return { type: 'text', content: text.content, link, annotations };
}

function parseAnnotations(raw: unknown, path: string): Annotations {
  if (raw === undefined) return { ...DEFAULT_ANNOTATIONS };
  if (!isObject(raw)) throw bodyInvalid(path, 'an object', raw);
  const out: Annotations = { ...DEFAULT_ANNOTATIONS };
  for (const flag of ['bold', 'italic', 'strikethrough', 'underline', 'code'] as const) {
    const v = raw[flag];
    if (v === undefined) continue;
    if (typeof v !== 'boolean') throw bodyInvalid(`${path}.${flag}`, 'a boolean', v);
    out[flag] = v;
  }
  if (raw.color !== undefined) {
    if (typeof raw.color !== 'string') throw bodyInvalid(`${path}.color`, 'a string', raw.color);
    out.color = raw.color;
  }
  return out;
}
