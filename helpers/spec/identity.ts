/**
 * SPEC §9: who the harness may email. Runs use the test inbox, plus-addressed per run; against
 * production nothing may ever go to any other address except Resend's test addresses.
 */

export const TEST_IDENTITY = 'lengobaosang@gmail.com';
const [TEST_LOCAL, TEST_DOMAIN] = TEST_IDENTITY.split('@') as [string, string];

/** Resend's documented test recipients (they simulate outcomes and reach no real inbox). */
export const RESEND_TEST_ADDRESSES = ['delivered@resend.dev', 'bounced@resend.dev', 'complained@resend.dev', 'suppressed@resend.dev'] as const;

/** A plus tag may hold letters, digits, dot, dash and underscore; it makes a run's address unique. */
const PLUS_TAG = /^[a-z0-9._-]{1,48}$/;

export function testIdentityFor(runId: string): string {
  const tag = runId.toLowerCase();
  if (!PLUS_TAG.test(tag)) throw new Error(`run id "${runId}" cannot be a plus tag: use 1–48 of a-z 0-9 . _ -`);
  return `${TEST_LOCAL}+${tag}@${TEST_DOMAIN}`;
}

/** A fresh run id: time-ordered and unique enough for parallel runs. */
export function newRunId(now: Date = new Date()): string {
  return `run-${now.getTime().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export function isAllowedRecipient(address: string): boolean {
  const a = address.trim().toLowerCase();
  if ((RESEND_TEST_ADDRESSES as readonly string[]).includes(a)) return true;
  const at = a.lastIndexOf('@');
  if (at < 0 || a.slice(at + 1) !== TEST_DOMAIN) return false;
  const local = a.slice(0, at);
  if (local === TEST_LOCAL) return true;
  return local.startsWith(`${TEST_LOCAL}+`) && PLUS_TAG.test(local.slice(TEST_LOCAL.length + 1));
}

/** The recipient guard: throws before anything is sent or typed to an address outside SPEC §9. */
export function assertAllowedRecipient(address: string, context: string): void {
  if (!isAllowedRecipient(address)) {
    throw new Error(`${context}: refusing recipient "${address}" — only ${TEST_IDENTITY} (optionally +tag) and Resend's test addresses are allowed`);
  }
}
