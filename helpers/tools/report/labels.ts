/**
 * Allure behaviour labels that follow SPEC §1: epic = the sequence a webhook starts (signup is
 * tracking only), feature = the webhook, story = the scenario. The report's tree groups by them
 * (allurerc.mjs: project → epic → feature → story).
 *
 * In a spec (inside the test body):
 *   await labelWebhookSpec('assessment', 'valid payload handled per SPEC');
 */
import * as allure from 'allure-js-commons';
import { WEBHOOK_NAMES, sequenceForWebhook, type SequenceType, type WebhookName } from '../../spec/sequences.js';

/** Display names of the sequences (presentation only; the rules themselves live in helpers/spec). */
export const SEQUENCE_EPICS: Readonly<Record<SequenceType, string>> = {
  '5day': '5-day sequence',
  noshow: 'No-show recovery',
  postcall: 'Post-call follow-up',
  onboarding: 'Onboarding',
};
export const SIGNUP_EPIC = 'Signup tracking';

export interface BehaviourLabels {
  epic: string;
  feature: string;
  story?: string;
}

/** The epic of a webhook: its sequence's name, or "Signup tracking" for signup (no sequence, SPEC §1). */
export function epicForWebhook(webhook: WebhookName): string {
  const sequence = sequenceForWebhook(webhook);
  return sequence ? SEQUENCE_EPICS[sequence.type] : SIGNUP_EPIC;
}

export function featureForWebhook(webhook: WebhookName): string {
  return `${webhook} webhook`;
}

/** The labels for a spec about one webhook (no Allure call: for tests and for other reporters). */
export function webhookLabels(webhook: WebhookName, story?: string): BehaviourLabels {
  if (!(WEBHOOK_NAMES as readonly string[]).includes(webhook)) throw new Error(`unknown webhook "${webhook}" (expected one of ${WEBHOOK_NAMES.join(', ')})`);
  return { epic: epicForWebhook(webhook), feature: featureForWebhook(webhook), ...(story ? { story } : {}) };
}

/**
 * Applies any epic / feature / story to the running test (e.g. the funnel specs: `{ epic: 'Website funnel', … }`).
 * One Allure call for all of them: each call is a Playwright attachment step, with a captured stack.
 */
export async function labelBehaviour(labels: BehaviourLabels): Promise<void> {
  await allure.labels(
    { name: allure.LabelName.EPIC, value: labels.epic },
    { name: allure.LabelName.FEATURE, value: labels.feature },
    ...(labels.story ? [{ name: allure.LabelName.STORY, value: labels.story }] : []),
  );
}
const apply = labelBehaviour;

/** Labels the running test: epic = the webhook's sequence, feature = the webhook, story = the scenario. */
export async function labelWebhookSpec(webhook: WebhookName, story?: string): Promise<BehaviourLabels> {
  const labels = webhookLabels(webhook, story);
  await apply(labels);
  return labels;
}

/**
 * Labels the running test by sequence, for specs about a sequence rather than one webhook
 * (e.g. delivery of the scheduled emails): feature = the webhook that starts the sequence.
 */
export async function labelSequence(sequence: SequenceType, story?: string): Promise<BehaviourLabels> {
  const webhook = (WEBHOOK_NAMES as readonly WebhookName[]).find((w) => sequenceForWebhook(w)?.type === sequence);
  if (!webhook) throw new Error(`no webhook starts the "${sequence}" sequence`);
  const labels: BehaviourLabels = { epic: SEQUENCE_EPICS[sequence], feature: featureForWebhook(webhook), ...(story ? { story } : {}) };
  await apply(labels);
  return labels;
}
