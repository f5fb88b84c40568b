/**
 * SPEC §1 and §3: what the website funnel sends. It posts two webhooks, and the visitor rates each
 * business system with one of four colours (the red and orange counts make the segment, segment.ts).
 */

/** The two webhooks the website posts. */
export const FUNNEL_WEBHOOKS = ['signup', 'assessment'] as const;
export type FunnelWebhook = (typeof FUNNEL_WEBHOOKS)[number];

/** The ratings a visitor gives each system. */
export const RATINGS = ['red', 'orange', 'yellow', 'green'] as const;
export type Rating = (typeof RATINGS)[number];
