/**
 * The five-webhook story, told once: fire one webhook case at a target, read back everything it
 * caused — the handler execution, the contact, the scheduled sends, the tracker pages and, where
 * the clock can be moved, the emails and analytics events — and compare each with what helpers/spec
 * implies. Returns the records and the list of checks (expected vs actual); the e2e specs, verify,
 * the smoke and the funnel spec assert on that. No test framework here.
 */
import { KestraHttpError } from '../clients/kestra/index.js';
import type { AnalyticsRecord, ContactRecord, TrackerRecord } from '../clients/notion/read-back.js';
import { checkPayload, EMAIL_SENT_EVENT, SEQUENCE_PRECONDITIONS, sendEvent, sequenceForWebhook, sequenceStarts, type WebhookName } from '../spec/index.js';
import type { SentEmail, Target } from '../targets/types.js';
import { CheckList, iso, type Check } from './checks.js';
import { expectedEmail, expectedSegment, expectedSends, expectedWebsitePages, expectsContact, type ExpectedSend } from './expectations.js';
import { validPayload } from './payloads.js';
import type { ScheduledSend } from './scheduled-sends.js';
import { fireAndSettle, notionTemplate, scheduleChecks, settledSends } from './webhook-scenario.js';
import { webhookCaseChanges, type WebhookCase } from './webhook-cases.js';

export interface WebhookStory {
  webhook: WebhookName;
  case: string;
  payload: Record<string, unknown>;
  /** The webhook's HTTP answer (a refused payload: 4xx). */
  status: number | null;
  execution: { id: string; state: string; arrival: string } | null;
  contacts: ContactRecord[];
  scheduled: ScheduledSend[];
  trackerPages: TrackerRecord[];
  /** Emails to the recipient, after the clock passed every send time (targets that can move it). */
  emails: SentEmail[];
  analytics: AnalyticsRecord[];
  delivered: boolean;
  /** Whether Notion was read back (a target without Notion credentials skips those checks). */
  notionChecked: boolean;
  checks: Check[];
  ok: boolean;
  /** Set when the story could not be told to the end (the target failed, not a check). */
  error?: string;
  durationMs: number;
}

export interface StoryOptions {
  /** The recipient (a plus-addressed test identity). */
  identity: string;
  /** How far a scheduleDate may be from anchor + offset. Default: 0 on the virtual clock, 60 s elsewhere. */
  toleranceMs?: number;
  /** Move the clock past the last send and check the emails (default: for the main cases, when the target can). */
  deliver?: boolean;
  /** The template copy the emails must be built from (default: the Notion copy). */
  template?: (name: string) => { subject: string; body: string };
  /** Runs after the webhook is handled and before the clock moves (e.g. to inject a fault). */
  beforeDelivery?: () => void | Promise<void>;
}

/** The payload a case sends: the valid fixture, the recipient, and the case's changes (undefined removes a field). */
export function casePayload(target: Target, kase: WebhookCase, identity: string, changes = webhookCaseChanges(target, kase)): Record<string, unknown> {
  const payload: Record<string, unknown> = { ...validPayload(kase.webhook), email: identity };
  for (const [field, value] of Object.entries(changes)) {
    if (value === undefined) delete payload[field];
    else payload[field] = value;
  }
  return payload;
}

/** How far a scheduleDate may be from anchor + offset: the option, else 0 on the virtual clock, 60 s elsewhere. */
export function storyTolerance(target: Target, options: Pick<StoryOptions, 'toleranceMs'> = {}): number {
  return options.toleranceMs ?? (target.clock.advance ? 0 : 60_000);
}

export async function runWebhookStory(target: Target, kase: WebhookCase, options: StoryOptions): Promise<WebhookStory> {
  const started = Date.now();
  const identity = options.identity;
  const payload = casePayload(target, kase, identity);
  const checks = new CheckList();
  const story: WebhookStory = {
    webhook: kase.webhook, case: kase.name, payload, status: null, execution: null, contacts: [], scheduled: [], trackerPages: [],
    emails: [], analytics: [], delivered: false, notionChecked: false, checks: checks.items, ok: false, durationMs: 0,
  };
  const tolerance = storyTolerance(target, options);
  try {
    // A case that repeats an earlier webhook (a duplicate, an update): the earlier one sets the scene.
    let first: { payload: Record<string, unknown>; arrival: Date } | null = null;
    if (kase.before) {
      const earlier = casePayload(target, kase, identity, { ...webhookCaseChanges(target, kase), ...kase.before });
      const fired = await fireAndSettle(target, kase.webhook, earlier);
      checks.equal('earlier webhook: handler state', 'SUCCESS', fired.execution.state.current);
      first = { payload: earlier, arrival: fired.arrival };
    }

    const refused = !checkPayload(kase.webhook, payload).ok;
    const fired = await fireOrRefuse(target, kase.webhook, payload);
    story.status = fired.status;
    if (fired.execution) story.execution = { id: fired.execution.id, state: fired.execution.state.current, arrival: fired.arrival!.toISOString() };
    checks.equal('handled (SPEC §5: an invalid payload is refused, 4xx or FAILED)', refused ? 'refused' : 'SUCCESS', fired.outcome);
    const arrival = fired.arrival ?? target.clock.now();

    // What the spec implies. A repeat schedules nothing new: the records are the earlier webhook's.
    const scheduling = first ?? { payload, arrival };
    const expected = expectedSends(kase.webhook, scheduling.payload, scheduling.arrival, target.timing);
    const expectedNow = first ? [] : expected;

    if (fired.execution && !first) await checkLogs(target, checks, kase.webhook, payload, fired.execution.id);

    if (fired.execution) {
      story.scheduled = await settledSends(target, fired.execution.id, expectedNow.length);
      checks.items.push(...scheduleChecks(story.scheduled, expectedNow, identity, tolerance));
    } else if (target.clock.settle) {
      await target.clock.settle();
    }

    if (target.notion) {
      story.notionChecked = true;
      story.contacts = await target.notion.contacts(identity);
      const wantContact = expectsContact(kase.webhook, payload) || (first !== null && expectsContact(kase.webhook, first.payload));
      checks.equal('contacts for the recipient (created once, updated after)', wantContact ? 1 : 0, story.contacts.length);
      const contact = story.contacts[0];
      if (wantContact && contact) {
        checks.equal('contact First Name', payload.first_name, contact.firstName);
        checks.equal('contact Business Name', payload.business_name ?? null, contact.businessName);
        if (kase.webhook === 'signup') checks.equal('contact Source', payload.source ?? null, contact.source);
        const segment = expectedSegment(kase.webhook, payload);
        if (segment) checks.equal('contact Segment (SPEC §3)', segment, contact.segment);
      }
      story.trackerPages = await target.notion.trackerPages(identity);
      checkTracker(checks, story.trackerPages, expected, expectedWebsitePages(kase.webhook, scheduling.payload, scheduling.arrival), tolerance);
    }

    const wantDelivery = options.deliver ?? kase.main === true;
    if (wantDelivery && expected.length > 0 && target.clock.advance && target.outbox) {
      await options.beforeDelivery?.();
      await deliver(target, story, checks, scheduling.payload, expected, options.template ?? notionTemplate);
    }
  } catch (error) {
    story.error = ((error as Error).message ?? String(error)).split('\n')[0];
  }
  story.ok = story.error === undefined && checks.failed.length === 0;
  story.durationMs = Date.now() - started;
  return story;
}

interface FireResult {
  status: number;
  outcome: 'SUCCESS' | 'refused' | string;
  execution: Awaited<ReturnType<typeof fireAndSettle>>['execution'] | null;
  arrival: Date | null;
}

/** Fires a webhook; a 4xx answer or a FAILED execution counts as refused (SPEC §5). */
async function fireOrRefuse(target: Target, webhook: WebhookName, payload: Record<string, unknown>): Promise<FireResult> {
  try {
    const fired = await fireAndSettle(target, webhook, payload);
    const state = fired.execution.state.current;
    return { status: fired.status, outcome: state === 'FAILED' ? 'refused' : state, execution: fired.execution, arrival: fired.arrival };
  } catch (error) {
    if (error instanceof KestraHttpError && error.status >= 400 && error.status < 500) return { status: error.status, outcome: 'refused', execution: null, arrival: null };
    throw error;
  }
}

function checkTracker(checks: CheckList, pages: TrackerRecord[], expected: ExpectedSend[], website: ReturnType<typeof expectedWebsitePages>, tolerance: number): void {
  const kestra = pages.filter((p) => p.sentBy === 'kestra').sort((a, b) => (a.number ?? 0) - (b.number ?? 0));
  checks.equal('tracker pages sent by kestra (sequence, number, status)', expected.map((e) => [e.sequence, e.emailNumber, 'scheduled']), kestra.map((p) => [p.sequence, p.number, p.status]));
  for (const want of expected) {
    const page = kestra.find((p) => p.sequence === want.sequence && p.number === want.emailNumber);
    if (page) checks.near(`tracker #${want.emailNumber}: Scheduled For = anchor + offset (${want.sendAt.toISOString()})`, want.sendAt.getTime(), page.scheduledFor ? Date.parse(page.scheduledFor) : null, tolerance);
  }
  const websitePages = pages.filter((p) => p.sentBy === 'website');
  checks.equal(
    'tracker pages sent by the website (sequence, number, status, Sent At = email_1_sent_at)',
    website.map((w) => [w.sequence, w.number, w.status, w.sentAt]),
    websitePages.map((p) => [p.sequence, p.number, p.status, iso(p.sentAt)]),
  );
}

/** Moves the clock past the last send and checks each email, its tracker page, the contact and the analytics. */
async function deliver(target: Target, story: WebhookStory, checks: CheckList, payload: Record<string, unknown>, expected: ExpectedSend[], template: (name: string) => { subject: string; body: string }): Promise<void> {
  const recipient = String(payload.email);
  const last = Math.max(...expected.map((e) => e.sendAt.getTime()));
  await target.clock.advance!(Math.max(0, last - target.clock.now().getTime()) + 60_000);
  story.delivered = true;
  story.emails = (await target.outbox!()).filter((e) => e.to.includes(recipient));
  checks.equal(`emails to the recipient`, expected.length, story.emails.length);
  const sentAt = new Map<number, string>();
  for (const want of expected) {
    const wanted = expectedEmail(story.webhook, payload, want, template(want.template));
    const email = story.emails.find((e) => e.idempotencyKey === wanted.idempotencyKey);
    checks.equal(
      `email ${want.sequence} #${want.emailNumber} (Idempotency-Key ${wanted.idempotencyKey})`,
      { from: wanted.from, to: [wanted.to], subject: wanted.subject, html: wanted.html, tags: wanted.tags },
      email ? { from: email.from, to: email.to, subject: email.subject, html: email.html, tags: email.tags } : null,
    );
    if (email) sentAt.set(want.emailNumber, iso(email.createdAt)!);
  }
  if (!target.notion) return;

  story.trackerPages = await target.notion.trackerPages(recipient);
  const outboxId = (n: number) => story.emails.find((e) => e.tags.some((t) => t.name === 'email_number' && t.value === String(n)))?.id ?? null;
  checks.equal(
    'tracker pages after delivery (Sequence Type, Email Number, Status, Sent By, Sent At = time at send, Resend ID = outbox id)',
    expected.map((e) => [e.sequence, e.emailNumber, 'sent', 'kestra', sentAt.get(e.emailNumber) ?? null, outboxId(e.emailNumber)]),
    story.trackerPages.filter((p) => p.sentBy === 'kestra').sort((a, b) => (a.number ?? 0) - (b.number ?? 0)).map((p) => [p.sequence, p.number, p.status, p.sentBy, iso(p.sentAt), p.resendId]),
  );
  const latest = story.trackerPages.map((p) => iso(p.sentAt)).filter((d): d is string => d !== null).sort().at(-1) ?? null;
  story.contacts = await target.notion.contacts(recipient);
  checks.equal('contact Last Email Sent = the latest Sent At', latest, iso(story.contacts[0]?.lastEmailSent));

  story.analytics = await target.notion.analyticsEvents(recipient);
  const events = story.analytics.filter((a) => a.event === EMAIL_SENT_EVENT).sort((a, b) => (a.emailNumber ?? 0) - (b.emailNumber ?? 0));
  checks.equal(
    'analytics: one email_sent event per send (Event, Email, Template, Email Number, Status, Sent By, Timestamp)',
    expected.map((e) => sendEvent(recipient, { number: e.emailNumber, template: e.template }, new Date(sentAt.get(e.emailNumber) ?? 0))),
    events.map((a) => ({ event: a.event, email: a.email, template: a.template, emailNumber: a.emailNumber, status: a.status, sentBy: a.sentBy, timestamp: iso(a.timestamp) })),
  );
}

/** The log lines SPEC §2 and §5 ask for: a WARN naming a missing anchor field; a line saying why a gated sequence did not start. */
async function checkLogs(target: Target, checks: CheckList, webhook: WebhookName, payload: Record<string, unknown>, executionId: string): Promise<void> {
  const sequence = sequenceForWebhook(webhook);
  const anchor = sequence?.anchor;
  const wantsAnchorWarning = anchor?.kind === 'payload-field' && payload[anchor.field] === undefined && checkPayload(webhook, payload).ok;
  const gate = SEQUENCE_PRECONDITIONS[webhook];
  const wantsGateLine = gate !== undefined && checkPayload(webhook, payload).ok && !sequenceStarts(webhook, payload);
  if (!wantsAnchorWarning && !wantsGateLine) return;
  const logs = await target.kestra.getLogs(executionId, { minLevel: 'WARN' });
  if (wantsAnchorWarning && anchor?.kind === 'payload-field') {
    checks.equal(`a ${anchor.fallbackLogLevel} line naming ${anchor.field} (anchor fallback, SPEC §2)`, true, logs.some((l) => l.level === anchor.fallbackLogLevel && l.message.includes(anchor.field)));
  }
  if (wantsGateLine) checks.equal(`a WARN line saying why nothing started (${gate!.log})`, true, logs.some((l) => gate!.log.test(l.message)));
}
