/**
 * The spec module must say exactly what SPEC.md says. The expected values here are transcribed
 * from SPEC §1–§3 and §9 by hand, so a typo in the module cannot also be the expectation.
 */
import { test, expect } from '../support/unit-test.js';
import {
  SEQUENCES, WEBHOOK_NAMES, kestraEmails, scheduleFor, sequenceForWebhook, classifySegment,
  checkPayload, isAllowedRecipient, testIdentityFor, webhookPath, WEBHOOK_HANDLERS, renderTemplate,
  idempotencyKey, NOTION_VERSION,
} from '../../helpers/spec/index.js';
import { validPayload, invalidPayloads, seedSampleAssessment } from '../../helpers/scenarios/payloads.js';
import { humanOffset, specMarkdown } from '../../helpers/spec/markdown.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const H = 60;
test.describe('SPEC §2 — offsets', () => {
  const table = {
    '5day': { templates: ['christmas_email_2', 'christmas_email_3', 'christmas_email_4', 'christmas_email_5'], numbers: [2, 3, 4, 5], production: [24 * H, 72 * H, 96 * H, 120 * H], testing: [1, 2, 3, 4] },
    noshow: { templates: ['noshow_recovery_email_1', 'noshow_recovery_email_2', 'noshow_recovery_email_3'], numbers: [1, 2, 3], production: [5, 24 * H, 48 * H], testing: [1, 2, 3] },
    postcall: { templates: ['postcall_maybe_email_1', 'postcall_maybe_email_2', 'postcall_maybe_email_3'], numbers: [1, 2, 3], production: [1 * H, 72 * H, 168 * H], testing: [1, 2, 3] },
    onboarding: { templates: ['onboarding_phase1_email_1', 'onboarding_phase1_email_2', 'onboarding_phase1_email_3'], numbers: [1, 2, 3], production: [1 * H, 24 * H, 72 * H], testing: [1, 2, 3] },
  } as const;

  for (const [sequence, want] of Object.entries(table)) {
    test(`${sequence}: Kestra sends #${want.numbers.join(', #')} at the spec's offsets`, () => {
      const emails = kestraEmails(sequence as keyof typeof table);
      expect(emails.map((e) => e.number)).toEqual(want.numbers);
      expect(emails.map((e) => e.template)).toEqual(want.templates);
      expect(emails.map((e) => e.productionOffsetMinutes)).toEqual(want.production);
      expect(emails.map((e) => e.testingOffsetMinutes)).toEqual(want.testing);
    });
  }

  test('5day Email #1 is the website\'s and is never scheduled by Kestra', () => {
    const first = SEQUENCES['5day'].emails.find((e) => e.number === 1);
    expect(first?.sentBy).toBe('website');
    expect(first?.template).toBe('christmas_email_1');
    expect(kestraEmails('5day').some((e) => e.number === 1)).toBe(false);
  });

  test('the 5day anchor is email_1_sent_at with the webhook arrival as fallback; others anchor on arrival', () => {
    expect(SEQUENCES['5day'].anchor).toMatchObject({ kind: 'payload-field', field: 'email_1_sent_at', fallback: 'webhook-arrival' });
    for (const s of ['noshow', 'postcall', 'onboarding'] as const) expect(SEQUENCES[s].anchor.kind).toBe('webhook-arrival');
  });

  test('scheduleFor adds the offsets to the anchor', () => {
    const anchor = new Date('2025-12-01T10:30:00Z');
    expect(scheduleFor(anchor, '5day', 'production').map((e) => e.sendAt.toISOString())).toEqual([
      '2025-12-02T10:30:00.000Z', '2025-12-04T10:30:00.000Z', '2025-12-05T10:30:00.000Z', '2025-12-06T10:30:00.000Z',
    ]);
    expect(scheduleFor(anchor, 'noshow', 'testing').map((e) => e.sendAt.toISOString())).toEqual([
      '2025-12-01T10:31:00.000Z', '2025-12-01T10:32:00.000Z', '2025-12-01T10:33:00.000Z',
    ]);
  });
});

test.describe('SPEC §1 — who sends what', () => {
  test('signup starts no sequence; every other webhook starts exactly one', () => {
    expect(sequenceForWebhook('signup')).toBeNull();
    expect(sequenceForWebhook('assessment')?.type).toBe('5day');
    expect(sequenceForWebhook('noshow')?.type).toBe('noshow');
    expect(sequenceForWebhook('postcall')?.type).toBe('postcall');
    expect(sequenceForWebhook('onboarding')?.type).toBe('onboarding');
  });
});

test.describe('SPEC §3 — segment at every boundary', () => {
  const cases: [number, number, string][] = [
    [0, 0, 'OPTIMIZE'], [0, 1, 'OPTIMIZE'], [0, 2, 'URGENT'], [0, 9, 'URGENT'],
    [1, 0, 'URGENT'], [1, 5, 'URGENT'], [2, 0, 'CRITICAL'], [2, 5, 'CRITICAL'], [7, 0, 'CRITICAL'],
  ];
  for (const [red, orange, segment] of cases) {
    test(`red=${red} orange=${orange} → ${segment}`, () => {
      expect(classifySegment({ red_systems: red, orange_systems: orange })).toBe(segment);
    });
  }
});

test.describe('SPEC §6 — payloads', () => {
  for (const webhook of WEBHOOK_NAMES) {
    test(`the example ${webhook} payload validates`, () => {
      const result = checkPayload(webhook, validPayload(webhook));
      expect(result.ok, JSON.stringify(result)).toBe(true);
    });
  }

  test('the seed\'s sample assessment payload validates', () => {
    expect(checkPayload('assessment', seedSampleAssessment()).ok).toBe(true);
  });

  test('optional fields may be left out', () => {
    expect(checkPayload('signup', { email: 'lengobaosang@gmail.com', first_name: 'Sang' }).ok).toBe(true);
    const { email_1_sent_at, email_1_status, business_name, weakest_system_2, ...minimal } = validPayload('assessment');
    expect(checkPayload('assessment', minimal).ok).toBe(true);
  });

  for (const c of invalidPayloads()) {
    test(`${c.webhook}: ${c.case} fails naming "${c.field}"`, () => {
      const result = checkPayload(c.webhook, c.payload);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.field).toBe(c.field);
        expect(result.message).toContain(c.field);
      }
    });
  }

  test('a body that is not an object fails naming the body', () => {
    const result = checkPayload('noshow', 'just text');
    expect(result).toMatchObject({ ok: false, field: '(body)' });
  });
});

test.describe('SPEC §9 — endpoints and identity', () => {
  test('the webhook path keeps the dotted namespace in one segment, tenant main', () => {
    expect(webhookPath(WEBHOOK_HANDLERS.assessment, 'k3y')).toBe('/api/v1/main/executions/webhook/christmas.handlers/assessment-handler/k3y');
    expect(webhookPath(WEBHOOK_HANDLERS.signup, 'k', { tenantless: true })).toBe('/api/v1/executions/webhook/christmas.handlers/signup-handler/k');
  });

  test('the five handler flow ids', () => {
    expect(Object.values(WEBHOOK_HANDLERS).map((h) => h.flowId)).toEqual([
      'signup-handler', 'assessment-handler', 'noshow-recovery-handler', 'postcall-maybe-handler', 'onboarding-handler',
    ]);
  });

  test('only the test inbox (plus-addressed) and Resend test addresses are allowed recipients', () => {
    expect(isAllowedRecipient('lengobaosang@gmail.com')).toBe(true);
    expect(isAllowedRecipient('LengoBaoSang+run-1@gmail.com')).toBe(true);
    expect(isAllowedRecipient('delivered@resend.dev')).toBe(true);
    expect(isAllowedRecipient('someone@gmail.com')).toBe(false);
    expect(isAllowedRecipient('lengobaosang@gmail.com.evil.com')).toBe(false);
    expect(isAllowedRecipient('lengobaosang+@gmail.com')).toBe(false);
    expect(isAllowedRecipient('xlengobaosang@gmail.com')).toBe(false);
    expect(testIdentityFor('run-abc')).toBe('lengobaosang+run-abc@gmail.com');
    expect(() => testIdentityFor('has space')).toThrow(/plus tag/);
  });

  test('the Notion API version is 2025-09-03', () => {
    expect(NOTION_VERSION).toBe('2025-09-03');
  });
});

test.describe('SPEC §4 — one email', () => {
  test('every variable is substituted; an unknown placeholder is an error', () => {
    expect(renderTemplate('Hi {first_name}, {spots_remaining} spots', { first_name: 'Sang', spots_remaining: '7' })).toBe('Hi Sang, 7 spots');
    expect(() => renderTemplate('Hi {first_nam}', { first_name: 'Sang' })).toThrow(/\{first_nam\}/);
  });

  test('the idempotency key depends only on (email, sequence, number)', () => {
    expect(idempotencyKey('A@b.com', 'noshow', 2)).toBe(idempotencyKey('a@b.com', 'noshow', 2));
    expect(idempotencyKey('a@b.com', 'noshow', 2)).not.toBe(idempotencyKey('a@b.com', 'noshow', 3));
    expect(idempotencyKey('a@b.com', 'noshow', 2)).not.toBe(idempotencyKey('a@b.com', 'postcall', 2));
  });
});

test('the business-rule tables in README.md are the ones generated from helpers/spec', () => {
  const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
  const tables = /<!-- spec-tables:start[^>]*-->\n([\s\S]*?)<!-- spec-tables:end -->/.exec(readme)?.[1];
  expect(tables, 'regenerate them with: npx tsx helpers/spec/markdown.ts').toBe(specMarkdown());
  // Generated, not copied: the numbers come from the data.
  expect(specMarkdown()).toContain(`| \`postcall\` | \`postcall\` | the webhook’s arrival | #3 | \`postcall_maybe_email_3\` | kestra | ${humanOffset(SEQUENCES.postcall.emails[2]!.productionOffsetMinutes)} |`);
  expect(humanOffset(168 * 60)).toBe('168 h (7 days)');
  expect(humanOffset(24 * 60)).toBe('24 h');
  expect(humanOffset(5)).toBe('5 min');
  expect(specMarkdown()).toContain('| `assessment` | `email_1_sent_at` | ISO 8601 date-time with a zone | optional |');
  expect(specMarkdown()).toContain('| 1 | 0 | `URGENT` |');
  expect(specMarkdown()).toContain('| Sequence Tracker | `NOTION_TRACKER_DATA_SOURCE_ID` | Status | select | `scheduled`, `sent`, `failed` |');
});
