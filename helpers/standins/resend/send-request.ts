/**
 * Validating a `POST /emails` body the way Resend does: required `from`, `to` (string or array,
 * at most 50), `subject`, and `html` or `text`; addresses as `addr` or `Name <addr>`; a sender on
 * a verified domain; tags of ASCII letters, digits, `_` and `-` (≤ 256 chars); `scheduled_at` as
 * ISO 8601 only (Resend also takes natural language like "in 1 hour" — the stand-in does not).
 */
import { isJsonObject } from '../http/body.js';
import { resendErrors } from './errors.js';

export interface EmailTag {
  name: string;
  value: string;
}

/** A send request after validation, with address fields as arrays. */
export interface SendRequest {
  from: string;
  to: string[];
  cc: string[] | null;
  bcc: string[] | null;
  replyTo: string[] | null;
  subject: string;
  html: string | null;
  text: string | null;
  tags: EmailTag[];
  scheduledAt: string | null;
  /** Custom email headers from the payload's `headers` field. */
  emailHeaders: Record<string, string>;
  attachments: number;
}

export const MAX_RECIPIENTS = 50;
const ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;
const NAMED_ADDRESS = /^\s*(?:"[^"]*"|[^<>"]*?)\s*<\s*([^\s<>]+)\s*>\s*$/;
const TAG_PART = /^[A-Za-z0-9_-]{1,256}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** The bare address of `addr` or `Name <addr>`, or undefined when neither form fits. */
export function addressOf(value: string): string | undefined {
  const named = NAMED_ADDRESS.exec(value);
  const bare = named ? named[1]! : value.trim();
  return ADDRESS.test(bare) ? bare.toLowerCase() : undefined;
}

function addressList(value: unknown, field: string, required: boolean): string[] | null {
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) {
    if (required) throw resendErrors.missingField(field);
    return null;
  }
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.some((a) => typeof a !== 'string' || addressOf(a) === undefined)) throw resendErrors.invalidAddress(field);
  if (field === 'to' && list.length > MAX_RECIPIENTS) throw resendErrors.invalidField('to', `The maximum number of recipients is ${MAX_RECIPIENTS}.`);
  return list as string[];
}

function optionalString(body: Record<string, unknown>, field: string): string | null {
  const value = body[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw resendErrors.invalidField(field, 'It must be a string.');
  return value;
}

export function parseSendRequest(body: unknown, verifiedDomains: readonly string[]): SendRequest {
  if (!isJsonObject(body)) throw resendErrors.missingField('from');
  if (body.from === undefined || body.from === null || body.from === '') throw resendErrors.missingField('from');
  if (typeof body.from !== 'string' || addressOf(body.from) === undefined) throw resendErrors.invalidAddress('from');
  const to = addressList(body.to, 'to', true)!;
  if (body.subject === undefined || body.subject === null || body.subject === '') throw resendErrors.missingField('subject');
  if (typeof body.subject !== 'string') throw resendErrors.invalidField('subject', 'It must be a string.');
  const html = optionalString(body, 'html');
  const text = optionalString(body, 'text');
  if (!html && !text) throw resendErrors.missingContent();

  const request: SendRequest = {
    from: body.from,
    to,
    cc: addressList(body.cc, 'cc', false),
    bcc: addressList(body.bcc, 'bcc', false),
    replyTo: addressList(body.reply_to, 'reply_to', false),
    subject: body.subject,
    html,
    text,
    tags: parseTags(body.tags),
    scheduledAt: parseScheduledAt(body.scheduled_at),
    emailHeaders: parseEmailHeaders(body.headers),
    attachments: countAttachments(body.attachments),
  };

  // Resend sends only from verified domains (resend.dev is Resend's own testing sender).
  const domain = addressOf(request.from)!.split('@')[1]!;
  if (domain !== 'resend.dev' && !verifiedDomains.some((d) => d.toLowerCase() === domain)) throw resendErrors.unverifiedDomain(domain);
  return request;
}

function parseTags(raw: unknown): EmailTag[] {
  if (raw === undefined || raw === null) return [];
  const why = 'Tag names and values must be strings of at most 256 ASCII letters (a-z, A-Z), numbers (0-9), underscores (_) or dashes (-).';
  if (!Array.isArray(raw)) throw resendErrors.invalidField('tags', 'It must be an array of {name, value}.');
  return raw.map((tag) => {
    if (!isJsonObject(tag) || typeof tag.name !== 'string' || !TAG_PART.test(tag.name)) throw resendErrors.invalidField('tags', why);
    if (tag.value !== undefined && (typeof tag.value !== 'string' || !TAG_PART.test(tag.value))) throw resendErrors.invalidField('tags', why);
    return { name: tag.name, value: typeof tag.value === 'string' ? tag.value : '' };
  });
}

function parseScheduledAt(raw: unknown): string | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'string' || !ISO_DATE_TIME.test(raw) || Number.isNaN(Date.parse(raw))) {
    throw resendErrors.invalidField('scheduled_at', 'The date should be in ISO 8601 format with a time zone, e.g. 2025-12-24T09:00:00Z (the stand-in does not take natural language).');
  }
  return new Date(Date.parse(raw)).toISOString();
}

function parseEmailHeaders(raw: unknown): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (!isJsonObject(raw) || Object.values(raw).some((v) => typeof v !== 'string')) throw resendErrors.invalidField('headers', 'It must be an object of string values.');
  return raw as Record<string, string>;
}

function countAttachments(raw: unknown): number {
  if (raw === undefined || raw === null) return 0;
  if (!Array.isArray(raw)) throw resendErrors.invalidField('attachments', 'It must be an array.');
  for (const a of raw) if (!isJsonObject(a) || (a.content === undefined && a.path === undefined)) throw resendErrors.invalidAttachment();
  return raw.length;
}
