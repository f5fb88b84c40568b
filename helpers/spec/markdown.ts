/**
 * The business rules as Markdown tables, generated from this folder's data — README.md's
 * "Business rules" tables are this output (a unit test compares them), so they cannot drift.
 *
 *   npx tsx helpers/spec/markdown.ts    # prints the tables
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { z } from 'zod';
import { SEQUENCES, WEBHOOK_NAMES, type Anchor } from './sequences.js';
import { WEBHOOK_HANDLERS } from './endpoints.js';
import { classifySegment } from './segment.js';
import { PAYLOAD_SCHEMAS } from './payloads.js';
import { NOTION_DATABASES, NOTION_VERSION } from './notion-model.js';

const row = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
const table = (header: readonly string[], rows: readonly (readonly (string | number)[])[]) =>
  [row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n');

/** 1440 → "24 h", 5 → "5 min", 10080 → "168 h (7 days)". */
export function humanOffset(minutes: number | null): string {
  if (minutes === null) return 'at once, by the website';
  if (minutes < 60) return `${minutes} min`;
  const hours = minutes / 60;
  return hours >= 48 && hours % 24 === 0 ? `${hours} h (${hours / 24} days)` : `${hours} h`;
}

function anchorText(anchor: Anchor): string {
  return anchor.kind === 'webhook-arrival'
    ? 'the webhook’s arrival'
    : `\`${anchor.field}\` in the payload (if absent: the webhook’s arrival, logged at ${anchor.fallbackLogLevel})`;
}

export function sequencesTable(): string {
  const rows = Object.values(SEQUENCES).flatMap((s) =>
    s.emails.map((e) => [`\`${s.type}\``, `\`${s.webhook}\``, anchorText(s.anchor), `#${e.number}`, `\`${e.template}\``, e.sentBy, humanOffset(e.productionOffsetMinutes), humanOffset(e.testingOffsetMinutes)]),
  );
  return table(['Sequence', 'Webhook', 'Timed from', 'Email', 'Template', 'Sent by', 'Offset (production)', 'Offset (testing mode)'], rows);
}

export function webhooksTable(): string {
  return table(['Webhook', 'Kestra flow', 'Starts'], WEBHOOK_NAMES.map((w) => {
    const h = WEBHOOK_HANDLERS[w];
    const seq = Object.values(SEQUENCES).find((s) => s.webhook === w);
    return [`\`${w}\``, `\`${h.namespace}/${h.flowId}\``, seq ? `the \`${seq.type}\` sequence` : 'no sequence (tracking only)'];
  }));
}

/** The segment rule evaluated on its boundary cases (computed, not written by hand). */
export function segmentsTable(): string {
  const cases = [[0, 0], [0, 1], [0, 2], [1, 0], [1, 3], [2, 0], [3, 4]] as const;
  return table(['red_systems', 'orange_systems', 'Segment'], cases.map(([red, orange]) => [red, orange, `\`${classifySegment({ red_systems: red, orange_systems: orange })}\``]));
}

type Def = { type: string; format?: string; innerType?: z.ZodType; entries?: Record<string, string>; values?: unknown[] };
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

function fieldType(schema: z.ZodType): { type: string; required: boolean } {
  let def = defOf(schema);
  let required = true;
  if (def.type === 'optional') {
    required = false;
    def = defOf(def.innerType!);
  }
  const type =
    def.type === 'string' ? (def.format === 'email' ? 'email address' : def.format === 'datetime' ? 'ISO 8601 date-time with a zone' : 'text')
    : def.type === 'number' ? (def.format === 'safeint' ? 'whole number' : 'number')
    : def.type === 'boolean' ? 'true / false'
    : def.type === 'enum' ? Object.values(def.entries ?? {}).map((v) => `\`${v}\``).join(' or ')
    : def.type === 'literal' ? (def.values ?? []).map((v) => `\`${String(v)}\``).join(' or ')
    : def.type;
  return { type, required };
}

export function payloadsTable(): string {
  const rows = WEBHOOK_NAMES.flatMap((w) =>
    Object.entries((PAYLOAD_SCHEMAS[w] as unknown as { shape: Record<string, z.ZodType> }).shape).map(([field, schema]) => {
      const { type, required } = fieldType(schema);
      return [`\`${w}\``, `\`${field}\``, type, required ? 'required' : 'optional'];
    }),
  );
  return table(['Webhook', 'Field', 'Type', ''], rows);
}

export function notionTable(): string {
  const rows = Object.values(NOTION_DATABASES).flatMap((db) =>
    Object.entries(db.properties).map(([name, p]) => [db.title, `\`${db.dataSourceSecret}\``, name, p.type, p.options?.length ? p.options.map((o) => `\`${o}\``).join(', ') : '']),
  );
  return table(['Database', 'Data source id (secret)', 'Property', 'Type', 'Options'], rows);
}

/** Everything between the README's spec-tables markers. */
export function specMarkdown(): string {
  return [
    '#### Webhooks', '', webhooksTable(), '',
    '#### Sequences and offsets', '', sequencesTable(), '',
    '#### Segment (assessment)', '', segmentsTable(), '',
    '#### Payload fields', '', payloadsTable(), '',
    `#### Notion model (API version \`${NOTION_VERSION}\`)`, '', notionTable(), '',
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) process.stdout.write(specMarkdown());
