/**
 * The Notion stand-in, driven through the real @notionhq/client v5 exactly as production code
 * would drive api.notion.com: the data model of SPEC §7, page writes and reads, every filter the
 * flows use, sorts, pagination, and Notion's validation messages.
 */
import { test as base, expect } from '../support/unit-test.js';
import { APIResponseError, type Client, type PageObjectResponse } from '@notionhq/client';
import { NOTION_DATABASE_KEYS, NOTION_DATABASES, NOTION_VERSION, type NotionDatabaseKey } from '../../helpers/spec/notion-model.js';
import { startNotionStandin, plainTextOf, splitIntoRichText, type NotionStandin } from '../../helpers/standins/notion/index.js';
import { notionClientFor } from '../../helpers/standins/notion/client.js';

const FIXED_NOW = new Date('2025-12-01T10:30:45.123Z');

const test = base.extend<{ notion: NotionStandin; client: Client }>({
  notion: async ({}, use) => {
    const notion = await startNotionStandin({ rateLimit: false, clock: () => FIXED_NOW });
    await use(notion);
    await notion.stop();
  },
  client: async ({ notion }, use) => use(notionClientFor(notion)),
});

/** The Notion error a call failed with, or a failure when it did not fail that way. */
async function notionError(call: Promise<unknown>): Promise<APIResponseError> {
  try {
    await call;
  } catch (error) {
    if (APIResponseError.isAPIResponseError(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail with an APIResponseError');
}

const text = (content: string) => [{ type: 'text' as const, text: { content } }];

/** The title of each page a query answers, in order. */
async function queryNames(client: Client, dataSourceId: string, filter?: unknown, sorts?: unknown): Promise<string[]> {
  const res = await client.dataSources.query({ data_source_id: dataSourceId, filter: filter as never, sorts: sorts as never });
  return res.results.map((r) => {
    const title = Object.values((r as PageObjectResponse).properties).find((p) => p.type === 'title');
    return title?.type === 'title' ? plainTextOf(title.title) : '';
  });
}

test.describe('data model (SPEC §7)', () => {
  test('each database holds one data source whose schema has exactly the spec\'s property names and types', async ({ notion, client }) => {
    for (const key of NOTION_DATABASE_KEYS) {
      const database = await client.databases.retrieve({ database_id: notion.databaseIds[key] });
      expect(database).toMatchObject({ object: 'database', id: notion.databaseIds[key], data_sources: [{ id: notion.dataSourceIds[key], name: NOTION_DATABASES[key].title }] });
      const ds = await client.dataSources.retrieve({ data_source_id: notion.dataSourceIds[key] });
      expect(ds).toMatchObject({ object: 'data_source', parent: { type: 'database_id', database_id: notion.databaseIds[key] } });
      if (!('properties' in ds)) throw new Error('data source without properties');
      const types = Object.fromEntries(Object.entries(ds.properties).map(([name, p]) => [name, p.type]));
      const want = Object.fromEntries(Object.entries(NOTION_DATABASES[key].properties).map(([name, p]) => [name, p.type]));
      expect(types).toEqual(want);
      for (const [name, p] of Object.entries(ds.properties)) expect(p).toMatchObject({ id: expect.any(String), name, type: p.type, [p.type]: expect.any(Object) });
    }
  });

  test('enumerated selects are listed as options, in the spec\'s order', async ({ notion, client }) => {
    const ds = await client.dataSources.retrieve({ data_source_id: notion.dataSourceIds.tracker });
    if (!('properties' in ds)) throw new Error('data source without properties');
    const status = ds.properties.Status;
    expect(status?.type === 'select' && status.select.options.map((o) => o.name)).toEqual(NOTION_DATABASES.tracker.properties.Status!.options);
  });

  test('ids are accepted without dashes, and the title property\'s id is "title"', async ({ notion, client }) => {
    const ds = await client.dataSources.retrieve({ data_source_id: notion.dataSourceIds.contacts.replace(/-/g, '') });
    expect(ds.id).toBe(notion.dataSourceIds.contacts);
    expect('properties' in ds && ds.properties.Name?.id).toBe('title');
  });

  test('users.me answers the bot user (a token check)', async ({ client }) => {
    expect(await client.users.me({})).toMatchObject({ object: 'user', type: 'bot' });
  });

  test('ids are stable across runs, so a deployment can be configured before the stand-in starts', async ({ notion }) => {
    const again = await startNotionStandin({ rateLimit: false, templates: false });
    try {
      expect(again.dataSourceIds).toEqual(notion.dataSourceIds);
      expect(again.databaseIds).toEqual(notion.databaseIds);
    } finally {
      await again.stop();
    }
  });
});

test.describe('pages', () => {
  test('create with a data_source_id parent answers a page in Notion\'s shape', async ({ notion, client }) => {
    const page = (await client.pages.create({
      parent: { type: 'data_source_id', data_source_id: notion.dataSourceIds.contacts },
      properties: {
        Name: { title: text('Sang Le') },
        Email: { email: 'lengobaosang@gmail.com' },
        'First Name': { rich_text: [{ text: { content: 'Sang' }, annotations: { bold: true } }] },
        Segment: { select: { name: 'CRITICAL' } },
        'Signup Date': { date: { start: '2025-12-01T10:30:00Z' } },
      },
    })) as PageObjectResponse;
    expect(page).toMatchObject({
      object: 'page',
      created_time: '2025-12-01T10:30:00.000Z',
      in_trash: false,
      archived: false,
      parent: { type: 'data_source_id', data_source_id: notion.dataSourceIds.contacts, database_id: notion.databaseIds.contacts },
    });
    expect(page.properties.Name).toEqual({
      id: 'title',
      type: 'title',
      title: [{ type: 'text', text: { content: 'Sang Le', link: null }, annotations: { bold: false, italic: false, strikethrough: false, underline: false, code: false, color: 'default' }, plain_text: 'Sang Le', href: null }],
    });
    expect(page.properties.Email).toMatchObject({ type: 'email', email: 'lengobaosang@gmail.com' });
    expect(page.properties['First Name']).toMatchObject({ rich_text: [{ plain_text: 'Sang', annotations: { bold: true } }] });
    expect(page.properties.Segment).toMatchObject({ type: 'select', select: { id: expect.any(String), name: 'CRITICAL', color: expect.any(String) } });
    expect(page.properties['Signup Date']).toMatchObject({ type: 'date', date: { start: '2025-12-01T10:30:00.000+00:00', end: null, time_zone: null } });
    // Every schema property is present, empty ones included.
    expect(page.properties['Last Email Sent']).toMatchObject({ type: 'date', date: null });
    expect(page.properties.Source).toMatchObject({ type: 'select', select: null });
    expect(page.properties['Business Name']).toMatchObject({ type: 'rich_text', rich_text: [] });

    expect(notion.pages('contacts')).toEqual([
      expect.objectContaining({ id: page.id, Name: 'Sang Le', Email: 'lengobaosang@gmail.com', 'First Name': 'Sang', Segment: 'CRITICAL', 'Signup Date': '2025-12-01T10:30:00.000+00:00', Source: null }),
    ]);
  });

  test('a select value outside the listed options creates the option, as Notion does', async ({ notion, client }) => {
    await client.pages.create({ parent: { data_source_id: notion.dataSourceIds.contacts }, properties: { Source: { select: { name: 'facebook-ad' } } } });
    const ds = await client.dataSources.retrieve({ data_source_id: notion.dataSourceIds.contacts });
    const source = 'properties' in ds ? ds.properties.Source : undefined;
    expect(source?.type === 'select' && source.select.options.map((o) => o.name)).toEqual(['facebook-ad']);
  });

  test('a database_id parent works while the database has one data source, and is refused once it has two', async ({ notion, client }) => {
    await client.pages.create({ parent: { database_id: notion.databaseIds.analytics }, properties: { Event: { title: text('signup') } } });
    expect(notion.pages('analytics')).toHaveLength(1);

    const two = await startNotionStandin({ rateLimit: false, templates: false, withSecondDataSource: ['analytics'] });
    try {
      const database = await notionClientFor(two).databases.retrieve({ database_id: two.databaseIds.analytics });
      expect('data_sources' in database && database.data_sources).toHaveLength(2);
      const error = await notionError(notionClientFor(two).pages.create({ parent: { database_id: two.databaseIds.analytics }, properties: {} }));
      expect(error).toMatchObject({ status: 400, code: 'validation_error' });
      expect(error.message).toMatch(/data_source_id/);
    } finally {
      await two.stop();
    }
  });

  test('update changes only the given properties and moves last_edited_time', async () => {
    const clocked = await startNotionStandin({ rateLimit: false, templates: false, clock: (() => {
      let t = Date.parse('2025-12-01T10:00:00Z');
      return () => new Date((t += 90_000));
    })() });
    try {
      const c = notionClientFor(clocked);
      const created = (await c.pages.create({ parent: { data_source_id: clocked.dataSourceIds.tracker }, properties: { Name: { title: text('5day #2 a@b.c') }, Status: { select: { name: 'scheduled' } }, 'Email Number': { number: 2 } } })) as PageObjectResponse;
      const updated = (await c.pages.update({ page_id: created.id, properties: { Status: { select: { name: 'sent' } }, 'Resend ID': { rich_text: text('re_123') }, 'Sent At': { date: { start: '2025-12-02T10:00:00+01:00' } } } })) as PageObjectResponse;
      expect(updated.last_edited_time > created.last_edited_time).toBe(true);
      expect(clocked.page(created.id)).toMatchObject({ Name: '5day #2 a@b.c', Status: 'sent', 'Email Number': 2, 'Resend ID': 're_123', 'Sent At': '2025-12-02T10:00:00.000+01:00' });
    } finally {
      await clocked.stop();
    }
  });

  test('in_trash hides a page from queries; archived is accepted as its alias; a trashed page cannot be edited until restored', async ({ notion, client }) => {
    const { id } = await client.pages.create({ parent: { data_source_id: notion.dataSourceIds.contacts }, properties: { Name: { title: text('Gone') } } });
    await client.pages.update({ page_id: id, in_trash: true });
    expect((await client.dataSources.query({ data_source_id: notion.dataSourceIds.contacts })).results).toHaveLength(0);
    expect(await client.pages.retrieve({ page_id: id })).toMatchObject({ in_trash: true, archived: true });
    const error = await notionError(client.pages.update({ page_id: id, properties: { Name: { title: text('Back?') } } }));
    expect(error.message).toBe("Can't edit block that is archived. You must unarchive the block before editing.");
    await client.pages.update({ page_id: id, archived: false } as never);
    expect(notion.pages('contacts').map((p) => p.Name)).toEqual(['Gone']);
  });

  test('an unknown page is object_not_found with Notion\'s message; a malformed id is a validation_error', async ({ client }) => {
    const missing = '5c6a2821-6bb1-4a7e-b6e1-c50111515c3d';
    const error = await notionError(client.pages.retrieve({ page_id: missing }));
    expect(error).toMatchObject({ status: 404, code: 'object_not_found' });
    expect(error.message).toBe(`Could not find page with ID: ${missing}. Make sure the relevant pages and databases are shared with your integration.`);
    const bad = await notionError(client.pages.retrieve({ page_id: 'not-a-uuid' }));
    expect(bad).toMatchObject({ status: 400, code: 'validation_error', message: 'path failed validation: path.page_id should be a valid uuid, instead was `"not-a-uuid"`.' });
  });

  test('querying with a database id instead of a data source id is object_not_found', async ({ notion, client }) => {
    const error = await notionError(client.dataSources.query({ data_source_id: notion.databaseIds.contacts }));
    expect(error).toMatchObject({ status: 404, code: 'object_not_found' });
  });
});

test.describe('property validation (Notion\'s wording)', () => {
  const create = (client: Client, notion: NotionStandin, properties: Record<string, unknown>) =>
    notionError(client.pages.create({ parent: { data_source_id: notion.dataSourceIds.contacts }, properties: properties as never }));

  test('an unknown property: "<Name> is not a property that exists."', async ({ notion, client }) => {
    const error = await create(client, notion, { 'E-mail': { email: 'a@b.c' } });
    expect(error).toMatchObject({ status: 400, code: 'validation_error', message: 'E-mail is not a property that exists.' });
  });

  test('a renamed production property breaks writes with that same message', async ({ notion, client }) => {
    notion.renameProperty('contacts', 'Email', 'E-mail');
    expect((await create(client, notion, { Email: { email: 'a@b.c' } })).message).toBe('Email is not a property that exists.');
    notion.reset();
    await client.pages.create({ parent: { data_source_id: notion.dataSourceIds.contacts }, properties: { Email: { email: 'a@b.c' } } });
  });

  test('a value of another property type: "<Name> is expected to be <type>."', async ({ notion, client }) => {
    expect((await create(client, notion, { Email: { rich_text: text('a@b.c') } })).message).toBe('Email is expected to be email.');
  });

  test('a malformed value names the property path and shows the value', async ({ notion, client }) => {
    expect((await create(client, notion, { Email: { email: 123 } })).message).toBe('body failed validation: body.properties.Email.email should be a string or `null`, instead was `123`.');
    expect((await create(client, notion, { 'Signup Date': { date: { start: '2022/01/02' } } })).message).toBe(
      'body failed validation: body.properties.Signup Date.date.start should be a valid ISO 8601 date string, instead was `"2022/01/02"`.',
    );
    expect((await create(client, notion, { Segment: { select: 'CRITICAL' } })).message).toMatch(/^body failed validation: body\.properties\.Segment\.select should be an object or `null`/);
    expect((await create(client, notion, { Name: 'plain string' })).message).toMatch(/^body failed validation: body\.properties\.Name should be an object/);
  });

  test('a rich text item over 2000 characters is refused; the same text split into items is stored whole', async ({ notion, client }) => {
    const long = 'x'.repeat(4500);
    const error = await create(client, notion, { 'Business Name': { rich_text: text(long) } });
    expect(error.message).toBe('body failed validation: body.properties.Business Name.rich_text[0].text.content.length should be ≤ `2000`, instead was `4500`.');
    const page = (await client.pages.create({ parent: { data_source_id: notion.dataSourceIds.contacts }, properties: { 'Business Name': { rich_text: splitIntoRichText(long) } } })) as PageObjectResponse;
    const items = (page.properties['Business Name'] as { rich_text: { plain_text: string }[] }).rich_text;
    expect(items.map((i) => i.plain_text.length)).toEqual([2000, 2000, 500]);
    expect(plainTextOf(items)).toBe(long);
    expect(notion.page(page.id)?.['Business Name']).toBe(long);
  });

  test('a missing properties object and a missing parent are named', async ({ notion, client }) => {
    expect((await notionError(client.pages.create({ parent: { data_source_id: notion.dataSourceIds.contacts } } as never))).message).toBe(
      'body failed validation: body.properties should be defined, instead was `undefined`.',
    );
    expect((await notionError(client.pages.create({ properties: {} } as never))).message).toBe('body failed validation: body.parent should be defined, instead was `undefined`.');
  });

  test('a rejected write leaves no page and no new select option behind', async ({ notion, client }) => {
    await create(client, notion, { Source: { select: { name: 'new-source' } }, Email: { email: 5 } });
    expect(notion.pages('contacts')).toEqual([]);
    const ds = await client.dataSources.retrieve({ data_source_id: notion.dataSourceIds.contacts });
    const source = 'properties' in ds ? ds.properties.Source : undefined;
    expect(source?.type === 'select' && source.select.options).toEqual([]);
  });
});

test.describe('query filters', () => {
  test.beforeEach(({ notion }) => {
    const rows: [string, string, number, string, string, boolean][] = [
      // Name, Email, Email Number, Status, Scheduled For, (unused flag)
      ['5day #2 ann@x.com', 'ann@x.com', 2, 'sent', '2025-12-02T10:00:00Z', true],
      ['5day #3 ann@x.com', 'ann@x.com', 3, 'scheduled', '2025-12-04T10:00:00Z', false],
      ['noshow #1 bob@x.com', 'bob@x.com', 1, 'scheduled', '2025-12-01T10:05:00Z', false],
      ['noshow #2 bob@x.com', 'bob@x.com', 2, 'failed', '2025-12-02T10:00:00Z', false],
    ];
    for (const [Name, Email, n, Status, at] of rows) {
      notion.insertPage('tracker', { Name, Email, 'Email Number': n, Status, 'Sequence Type': Name.split(' ')[0]!, 'Scheduled For': at });
    }
  });

  const tracker = (notion: NotionStandin) => notion.dataSourceIds.tracker;

  test('title/rich_text equals and contains (contains ignores case); rich_text filter works on a title', async ({ notion, client }) => {
    expect(await queryNames(client, tracker(notion), { property: 'Name', title: { equals: '5day #3 ann@x.com' } })).toEqual(['5day #3 ann@x.com']);
    expect(await queryNames(client, tracker(notion), { property: 'Name', title: { contains: 'NOSHOW' } })).toEqual(['noshow #1 bob@x.com', 'noshow #2 bob@x.com']);
    expect(await queryNames(client, tracker(notion), { property: 'Name', rich_text: { starts_with: '5day' } })).toHaveLength(2);
    expect(await queryNames(client, tracker(notion), { property: 'Name', title: { equals: '5DAY #3 ANN@X.COM' } })).toEqual([]);
  });

  test('email equals', async ({ notion, client }) => {
    expect(await queryNames(client, tracker(notion), { property: 'Email', email: { equals: 'bob@x.com' } })).toEqual(['noshow #1 bob@x.com', 'noshow #2 bob@x.com']);
  });

  test('select equals and number equals', async ({ notion, client }) => {
    expect(await queryNames(client, tracker(notion), { property: 'Status', select: { equals: 'scheduled' } })).toEqual(['5day #3 ann@x.com', 'noshow #1 bob@x.com']);
    expect(await queryNames(client, tracker(notion), { property: 'Email Number', number: { equals: 2 } })).toEqual(['5day #2 ann@x.com', 'noshow #2 bob@x.com']);
  });

  test('checkbox equals', async ({ notion, client }) => {
    const templates = await client.dataSources.query({ data_source_id: notion.dataSourceIds.templates, filter: { property: 'Active', checkbox: { equals: true } } });
    expect(templates.results.length).toBeGreaterThan(0);
    const inactive = await client.dataSources.query({ data_source_id: notion.dataSourceIds.templates, filter: { property: 'Active', checkbox: { equals: false } } });
    expect(inactive.results).toHaveLength(0);
  });

  test('date on_or_after / on_or_before / equals, by day for a bare date and by instant for a date-time', async ({ notion, client }) => {
    const scheduled = (f: Record<string, string>) => queryNames(client, tracker(notion), { property: 'Scheduled For', date: f });
    expect(await scheduled({ on_or_after: '2025-12-02' })).toEqual(['5day #2 ann@x.com', '5day #3 ann@x.com', 'noshow #2 bob@x.com']);
    expect(await scheduled({ on_or_before: '2025-12-01' })).toEqual(['noshow #1 bob@x.com']);
    expect(await scheduled({ equals: '2025-12-02' })).toEqual(['5day #2 ann@x.com', 'noshow #2 bob@x.com']);
    expect(await scheduled({ on_or_after: '2025-12-02T10:00:01Z' })).toEqual(['5day #3 ann@x.com']);
    expect(await scheduled({ equals: '2025-12-02T11:00:00+01:00' })).toEqual(['5day #2 ann@x.com', 'noshow #2 bob@x.com']);
  });

  test('and/or compounds, nested', async ({ notion, client }) => {
    const filter = {
      and: [
        { property: 'Email', email: { equals: 'ann@x.com' } },
        { or: [{ property: 'Status', select: { equals: 'sent' } }, { property: 'Email Number', number: { equals: 3 } }] },
      ],
    };
    expect(await queryNames(client, tracker(notion), filter)).toEqual(['5day #2 ann@x.com', '5day #3 ann@x.com']);
    const idempotencyCheck = { and: [{ property: 'Email', email: { equals: 'bob@x.com' } }, { property: 'Sequence Type', select: { equals: 'noshow' } }, { property: 'Email Number', number: { equals: 2 } }, { property: 'Status', select: { equals: 'sent' } }] };
    expect(await queryNames(client, tracker(notion), idempotencyCheck)).toEqual([]);
  });

  test('timestamp created_time filter', async ({ notion, client }) => {
    expect(await queryNames(client, tracker(notion), { timestamp: 'created_time', created_time: { on_or_after: '2025-12-01' } })).toHaveLength(4);
    expect(await queryNames(client, tracker(notion), { timestamp: 'created_time', created_time: { after: '2025-12-01T10:31:00Z' } })).toHaveLength(0);
  });

  test('filter errors: an unknown property, a filter of the wrong type, a bad operand', async ({ notion, client }) => {
    const query = (filter: unknown) => notionError(client.dataSources.query({ data_source_id: tracker(notion), filter: filter as never }));
    expect((await query({ property: 'Mail', email: { equals: 'x' } })).message).toBe('Could not find property with name or id: Mail');
    expect((await query({ property: 'Email', select: { equals: 'x' } })).message).toBe('database property email does not match filter select');
    expect((await query({ property: 'Email Number', number: { equals: '2' } })).message).toBe('body failed validation: body.filter.number.equals should be a number, instead was `"2"`.');
    expect((await query({ and: [{ property: 'Status', select: { equals: 5 } }] })).message).toBe('body failed validation: body.filter.and[0].select.equals should be a string, instead was `5`.');
  });
});

test.describe('sorts and pagination', () => {
  test('sorts by a property either way, selects by option order, empty values last', async ({ notion, client }) => {
    for (const [Name, n, Status] of [['b', 2, 'failed'], ['a', 3, 'scheduled'], ['c', null, 'sent']] as const) notion.insertPage('tracker', { Name, 'Email Number': n, Status });
    const names = (sorts: unknown) => queryNames(client, notion.dataSourceIds.tracker, undefined, sorts);
    expect(await names([{ property: 'Name', direction: 'ascending' }])).toEqual(['a', 'b', 'c']);
    expect(await names([{ property: 'Email Number', direction: 'descending' }])).toEqual(['a', 'b', 'c']);
    expect(await names([{ property: 'Email Number', direction: 'ascending' }])).toEqual(['b', 'a', 'c']);
    expect(await names([{ property: 'Status', direction: 'ascending' }])).toEqual(['a', 'c', 'b']);
    expect(await names([{ timestamp: 'created_time', direction: 'descending' }, { property: 'Name', direction: 'descending' }])).toEqual(['c', 'b', 'a']);
    expect((await notionError(client.dataSources.query({ data_source_id: notion.dataSourceIds.tracker, sorts: [{ property: 'Nope', direction: 'ascending' }] }))).message).toBe(
      'Could not find sort property with name or id: Nope',
    );
  });

  test('start_cursor/page_size walk every page once, with has_more and next_cursor', async ({ notion, client }) => {
    for (let i = 1; i <= 7; i++) notion.insertPage('analytics', { Event: `event ${i}`, 'Email Number': i });
    const seen: string[] = [];
    let cursor: string | undefined;
    const shapes: [number, boolean][] = [];
    do {
      const res = await client.dataSources.query({ data_source_id: notion.dataSourceIds.analytics, page_size: 3, start_cursor: cursor, sorts: [{ property: 'Email Number', direction: 'ascending' }] });
      shapes.push([res.results.length, res.has_more]);
      seen.push(...res.results.map((r) => r.id));
      cursor = res.next_cursor ?? undefined;
      expect(res.next_cursor === null).toBe(!res.has_more);
    } while (cursor);
    expect(shapes).toEqual([[3, true], [3, true], [1, false]]);
    expect(new Set(seen).size).toBe(7);
  });

  test('page_size over 100 and a foreign cursor are validation errors', async ({ notion, client }) => {
    expect((await notionError(client.dataSources.query({ data_source_id: notion.dataSourceIds.analytics, page_size: 101 }))).message).toBe(
      'body failed validation: body.page_size should be ≤ `100`, instead was `101`.',
    );
    const foreign = await notionError(client.dataSources.query({ data_source_id: notion.dataSourceIds.analytics, start_cursor: '5c6a2821-6bb1-4a7e-b6e1-c50111515c3d' }));
    expect(foreign).toMatchObject({ status: 400, code: 'validation_error' });
  });

  test('a query without filter returns up to 100 results by default; filter_properties trims properties', async ({ notion, client }) => {
    for (let i = 0; i < 105; i++) notion.insertPage('analytics', { Event: `e${i}` });
    const first = await client.dataSources.query({ data_source_id: notion.dataSourceIds.analytics, filter_properties: ['Event'] });
    expect(first.results).toHaveLength(100);
    expect(first.has_more).toBe(true);
    expect(Object.keys((first.results[0] as PageObjectResponse).properties)).toEqual(['Event']);
  });
});

test.describe('seed data and inspection', () => {
  test('the templates are seeded, and a long body reads back whole across its rich text items', async ({ notion, client }) => {
    const res = await client.dataSources.query({ data_source_id: notion.dataSourceIds.templates, filter: { property: 'Template Name', title: { equals: 'christmas_email_3' } } });
    const page = res.results[0] as PageObjectResponse;
    const body = (page.properties.Body as { rich_text: { plain_text: string }[] }).rich_text;
    expect(body.length).toBeGreaterThan(1);
    expect(body.every((i) => i.plain_text.length <= 2000)).toBe(true);
    expect(plainTextOf(body)).toBe(notion.pages('templates').find((t) => t['Template Name'] === 'christmas_email_3')?.Body);
  });

  test('reset() restores the seed: written pages go, templates stay, renamed properties come back', async ({ notion }) => {
    notion.insertPage('contacts', { Name: 'x' });
    notion.renameProperty('contacts', 'Email', 'Mail');
    const templates = notion.pages('templates').length;
    notion.reset();
    expect(notion.pages('contacts')).toEqual([]);
    expect(notion.pages('templates')).toHaveLength(templates);
    expect(() => notion.insertPage('contacts', { Email: 'a@b.c' })).not.toThrow();
  });

  test('insertPage refuses a property the schema does not have, naming it', ({ notion }) => {
    expect(() => notion.insertPage('contacts', { Mail: 'a@b.c' })).toThrow(/"Mail" is not a property of Contacts/);
  });

  test('requests() records method, path, route and status — never the token', async ({ notion, client }) => {
    await client.dataSources.query({ data_source_id: notion.dataSourceIds.contacts, filter: { property: 'Email', email: { equals: 'a@b.c' } } });
    await notionError(notionClientFor(notion, { auth: 'ntn_wrong' }).users.me({}));
    const log = notion.requests();
    expect(log.map((r) => [r.method, r.route, r.status, r.auth])).toEqual([
      ['POST', 'query', 200, 'valid'],
      ['GET', null, 401, 'invalid'],
    ]);
    expect(log[0]).toMatchObject({ path: `/v1/data_sources/${notion.dataSourceIds.contacts}/query`, headers: { 'notion-version': NOTION_VERSION }, body: { filter: { property: 'Email' } } });
    expect(JSON.stringify(log)).not.toContain(notion.token);
    expect(JSON.stringify(log)).not.toContain('ntn_wrong');
  });
});

test('every database key has a data source id and a database id', ({ notion }) => {
  const keys: NotionDatabaseKey[] = [...NOTION_DATABASE_KEYS];
  expect(Object.keys(notion.dataSourceIds).sort()).toEqual([...keys].sort());
  expect(new Set([...Object.values(notion.dataSourceIds), ...Object.values(notion.databaseIds)]).size).toBe(8);
});
