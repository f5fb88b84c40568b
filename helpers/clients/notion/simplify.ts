/** Turns Notion property values (API response shape) into plain values for assertions and reports. */

type RichText = { plain_text?: string; text?: { content?: string } };

export type PlainValue = string | number | boolean | null;

export function plainPropertyValue(property: unknown): PlainValue {
  if (!property || typeof property !== 'object') return null;
  const p = property as Record<string, unknown> & { type?: string };
  switch (p.type) {
    case 'title':
    case 'rich_text':
      return ((p[p.type] as RichText[] | undefined) ?? []).map((t) => t.plain_text ?? t.text?.content ?? '').join('');
    case 'email':
    case 'url':
    case 'phone_number':
      return (p[p.type] as string | null) ?? null;
    case 'number':
      return (p.number as number | null) ?? null;
    case 'checkbox':
      return Boolean(p.checkbox);
    case 'select':
      return (p.select as { name?: string } | null)?.name ?? null;
    case 'date':
      return (p.date as { start?: string } | null)?.start ?? null;
    default:
      throw new Error(`Notion property type "${p.type}" is not understood by the harness's read-back`);
  }
}

/** All of a page's properties as plain values, keyed by property name. */
export function plainProperties(page: { properties: Record<string, unknown> }): Record<string, PlainValue> {
  return Object.fromEntries(Object.entries(page.properties).map(([name, value]) => [name, plainPropertyValue(value)]));
}
