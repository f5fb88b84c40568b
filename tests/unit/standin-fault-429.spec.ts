/** The `429` fault kind: a stand-in answers with its service's own rate-limit response on demand. */
import { test, expect } from '../support/unit-test.js';
import { startResendStandin } from '../../helpers/standins/resend/index.js';
import { startNotionStandin } from '../../helpers/standins/notion/index.js';
import { NOTION_VERSION } from '../../helpers/spec/index.js';

test('Resend: an injected 429 is Resend\'s rate_limit_exceeded body with retry-after, then the call succeeds', async () => {
  const resend = await startResendStandin({ rateLimit: false });
  try {
    resend.injectFault({ route: 'sendEmail', kind: 429, times: 1 });
    const send = () =>
      fetch(`${resend.url}/emails`, {
        method: 'POST',
        headers: { authorization: `Bearer ${resend.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ from: 'BusinessX Canada <noreply@sangletech.com>', to: ['delivered@resend.dev'], subject: 's', html: '<p>h</p>' }),
      });
    const limited = await send();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await limited.json()).toMatchObject({ statusCode: 429, name: 'rate_limit_exceeded' });
    expect(resend.outbox()).toHaveLength(0);
    expect((await send()).status).toBe(200);
    expect(resend.outbox()).toHaveLength(1);
  } finally {
    await resend.stop();
  }
});

test('Notion: an injected 429 is Notion\'s rate_limited error with Retry-After', async () => {
  const notion = await startNotionStandin({ rateLimit: false });
  try {
    notion.injectFault({ route: 'query', kind: 429, times: 1, dataSource: 'templates' });
    const query = () =>
      fetch(`${notion.url}/v1/data_sources/${notion.dataSourceIds.templates}/query`, {
        method: 'POST',
        headers: { authorization: `Bearer ${notion.token}`, 'notion-version': NOTION_VERSION, 'content-type': 'application/json' },
        body: '{}',
      });
    const limited = await query();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await limited.json()).toMatchObject({ object: 'error', status: 429, code: 'rate_limited' });
    expect((await query()).status).toBe(200);
  } finally {
    await notion.stop();
  }
});
