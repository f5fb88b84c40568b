/**
 * The templates the Notion stand-in is seeded with (fixtures/notion/templates.json) must be the
 * spec's templates: one per name in SEQUENCES, numbered and typed as the spec says, written with
 * the spec's placeholders only — so a flow that renders them can prove it substitutes everything.
 */
import { test, expect } from '../support/unit-test.js';
import { ALL_TEMPLATE_NAMES, SEQUENCES, TEMPLATE_VARIABLES, LEFTOVER_PLACEHOLDER, placeholder, renderTemplate, CAMPAIGN_CONSTANTS } from '../../helpers/spec/index.js';
import { loadTemplateSeeds, RICH_TEXT_ITEM_LIMIT } from '../../helpers/standins/notion/index.js';

const seeds = loadTemplateSeeds();
const byName = new Map(seeds.map((s) => [s['Template Name'], s]));
const textOf = (s: (typeof seeds)[number]) => `${s.Subject}\n${s.Body}`;

test('there is exactly one active template per name the spec knows, christmas_email_1 included', () => {
  expect(seeds.map((s) => s['Template Name']).sort()).toEqual([...ALL_TEMPLATE_NAMES].sort());
  expect(byName.has('christmas_email_1')).toBe(true);
  expect(seeds.every((s) => s.Active)).toBe(true);
});

test('each template carries the sequence type and email number the spec gives its name', () => {
  for (const sequence of Object.values(SEQUENCES)) {
    for (const email of sequence.emails) {
      expect(byName.get(email.template), email.template).toMatchObject({ 'Sequence Type': sequence.type, 'Email Number': email.number });
    }
  }
});

test('every template uses {first_name} and at least one other variable; 5day ones use segment, weakest_system and revenue_leak_total', () => {
  for (const seed of seeds) {
    const used = TEMPLATE_VARIABLES.filter((v) => textOf(seed).includes(placeholder(v)));
    expect(used, seed['Template Name']).toContain('first_name');
    expect(used.length, seed['Template Name']).toBeGreaterThan(1);
    if (seed['Sequence Type'] === '5day') {
      for (const v of ['segment', 'weakest_system', 'revenue_leak_total']) expect(used, `${seed['Template Name']} uses {${v}}`).toContain(v);
    }
  }
});

test('nothing but known placeholders: no stray braces, plain ASCII', () => {
  for (const seed of seeds) {
    const withoutKnown = TEMPLATE_VARIABLES.reduce((t, v) => t.split(placeholder(v)).join(''), textOf(seed));
    expect(withoutKnown, seed['Template Name']).not.toMatch(/[{}]/);
    expect(LEFTOVER_PLACEHOLDER.test(withoutKnown)).toBe(false);
    expect(textOf(seed), seed['Template Name']).toMatch(/^[\x20-\x7e\n]*$/);
  }
});

test('each template renders completely when every variable is given', () => {
  const values = { first_name: 'Sang', business_name: 'Acme', segment: 'CRITICAL', weakest_system: 'Lead follow-up', revenue_leak_total: '12500', ...CAMPAIGN_CONSTANTS };
  for (const seed of seeds) expect(() => renderTemplate(textOf(seed), values), seed['Template Name']).not.toThrow();
});

test('at least one body is longer than one rich text item, so readers must join the items', () => {
  expect(seeds.some((s) => s.Body.length > RICH_TEXT_ITEM_LIMIT)).toBe(true);
});

test('a broken fixture is reported with the file and the entry', () => {
  expect(() => loadTemplateSeeds('/nonexistent/templates.json')).toThrow(/\/nonexistent\/templates\.json: cannot read/);
});
