/**
 * Seed data: the email templates the spec names, from fixtures/notion/templates.json. Each entry
 * is one Templates page, with the property names of the spec's data model.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { SEQUENCE_TYPES } from '../../spec/sequences.js';

export const TEMPLATES_FIXTURE = fileURLToPath(new URL('../../../fixtures/notion/templates.json', import.meta.url));

export const templateSeedSchema = z.strictObject({
  'Template Name': z.string().min(1),
  Subject: z.string().min(1),
  Body: z.string().min(1),
  'Sequence Type': z.enum(SEQUENCE_TYPES),
  'Email Number': z.int().positive(),
  Active: z.boolean(),
});

export type TemplateSeed = z.infer<typeof templateSeedSchema>;

/** Reads and validates the templates fixture; an invalid entry is one line naming the entry and field. */
export function loadTemplateSeeds(file: string = TEMPLATES_FIXTURE): TemplateSeed[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: cannot read the templates fixture — ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = z.array(templateSeedSchema).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: entry ${issue.path.join('.') || '(root)'} ${issue.message}`);
  }
  return parsed.data;
}
