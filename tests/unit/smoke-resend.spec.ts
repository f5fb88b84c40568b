/**
 * Resend read-back (helpers/clients/resend) against the Resend stand-in: `GET /emails/{id}` → last_event
 * (delivered; bounced for bounced@resend.dev), 404 → null, and one-line errors that never show
 * the key — the ledger's source of truth for "was it delivered".
 */
import { expect, test } from '../support/unit-test.js';
import { createResendReadBack, deliveryVerdict, ResendReadBackError } from '../../helpers/clients/resend/index.js';
import { SENDER } from '../../helpers/spec/index.js';
import { startResendStandin, type ResendStandin } from '../../helpers/standins/resend/index.js';

let resend: ResendStandin;
test.beforeEach(async () => {
  resend = await startResendStandin({ rateLimit: false, sendingOnlyKey: 're_sending_only_key' });
});
test.afterEach(async () => resend.stop());

async function send(to: string): Promise<string> {
  const res = await fetch(`${resend.url}/emails`, {
    method: 'POST',
    headers: { authorization: `Bearer ${resend.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ from: SENDER, to, subject: 'Smoke', html: '<p>hi</p>' }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { id: string }).id;
}

test('an email sent to the test inbox reads back as delivered; bounced@resend.dev as bounced', async () => {
  const client = createResendReadBack({ apiKey: resend.apiKey, baseUrl: resend.url });
  const delivered = await client.getEmail(await send('lengobaosang+smoke-r@gmail.com'));
  expect(delivered).toMatchObject({ lastEvent: 'delivered', to: ['lengobaosang+smoke-r@gmail.com'], subject: 'Smoke' });
  expect(deliveryVerdict(delivered!.lastEvent)).toBe('delivered');
  const bounced = await client.getEmail(await send('bounced@resend.dev'));
  expect(bounced?.lastEvent).toBe('bounced');
  expect(deliveryVerdict(bounced!.lastEvent)).toBe('failed');
});

test('an id Resend does not know is null (the ledger calls it missing), not an error', async () => {
  const client = createResendReadBack({ apiKey: resend.apiKey, baseUrl: resend.url });
  expect(await client.getEmail('00000000-0000-4000-8000-000000000000')).toBeNull();
  await expect(client.getEmail('../domains')).rejects.toThrow('Resend read-back: "../domains" is not a Resend email id');
});

test('a sending-only key is refused with one line saying a full-access key is needed, never the key', async () => {
  const id = await send('lengobaosang+smoke-r@gmail.com');
  const client = createResendReadBack({ apiKey: 're_sending_only_key', baseUrl: resend.url });
  const error = await client.getEmail(id).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ResendReadBackError);
  expect((error as Error).message).toMatch(new RegExp(`^GET ${resend.url}/emails/${id} → HTTP 401: .* — RESEND_API_KEY must be a full-access key \\(a sending-only key cannot read emails\\)$`));
  expect((error as Error).message).not.toContain('re_sending_only_key');
});

test('a 5xx is retried, then reported in one line', async () => {
  resend.injectFault({ route: 'retrieveEmail', kind: 500, times: 1 });
  const client = createResendReadBack({ apiKey: resend.apiKey, baseUrl: resend.url, sleep: async () => {} });
  const id = await send('lengobaosang+smoke-r@gmail.com');
  expect((await client.getEmail(id))?.lastEvent).toBe('delivered');
  resend.injectFault({ route: 'retrieveEmail', kind: 500, times: 5 });
  await expect(client.getEmail(id)).rejects.toThrow(/^GET .* → HTTP 500: /);
});
