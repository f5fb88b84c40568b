/**
 * Where the funnel journey finds things, per target: fixtures/funnel-site/selectors.json holds the
 * fixture site's accessible selectors (`default`) and each target's overrides. The same journey
 * drives the production website by swapping selectors, never steps.
 *
 *   const target = resolveTarget(targetNameForUrl(url));      // 'local' | 'production' | …
 *   target.selectors.email          // { label: 'Email' }
 *   ratingSelector(target, 'GPS')   // { group: 'GPS' }
 *   webhookMatcher(target)(url)     // 'signup' | 'assessment' | null
 *
 * Merging: a target's `selectors` replace the default key by key (a selector is replaced whole,
 * never mixed field by field), `ratingLabels` likewise per rating, `webhooks` per webhook name.
 * Extra overrides (a probe's `--selectors file.json`) apply on top of the target the same way.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { FUNNEL_WEBHOOKS, RATINGS, WEBHOOK_HANDLERS, type FunnelWebhook, type Rating } from '../../spec/index.js';

export const SELECTORS_FILE = fileURLToPath(new URL('../../../fixtures/funnel-site/selectors.json', import.meta.url));

/** The ARIA roles the journey looks things up by. */
export type AriaRole = 'heading' | 'button' | 'link' | 'alert' | 'region' | 'status' | 'textbox' | 'combobox' | 'radiogroup' | 'radio' | 'checkbox' | 'spinbutton';

/** How one thing on the page is found: by accessible label/role/name first, CSS only as a last resort. */
export type Selector =
  | { label: string }
  | { role: AriaRole; name?: string }
  /** A radio group by its accessible name; `{system}` is replaced by the system being rated. */
  | { group: string }
  | { css: string };

export const SELECTOR_KEYS = [
  'signupView', 'firstName', 'email', 'businessName', 'signupSubmit',
  'assessmentView', 'rating', 'weakestSystem1', 'weakestSystem2', 'revenueLeak', 'assessmentSubmit',
  'resultsView', 'results', 'errors',
] as const;
export type SelectorKey = (typeof SELECTOR_KEYS)[number];


export interface FunnelTarget {
  name: string;
  /** Driving it needs the production opt-in (helpers/scenarios/funnel/safety.ts). */
  production: boolean;
  /** Hosts (`host` or `host:port`) whose URLs use this target by default. */
  match: string[];
  selectors: Record<SelectorKey, Selector>;
  ratingLabels: Record<Rating, string>;
  /** URL fragments identifying each webhook request the page makes. */
  webhooks: Record<FunnelWebhook, string[]>;
}

const roles = ['heading', 'button', 'link', 'alert', 'region', 'status', 'textbox', 'combobox', 'radiogroup', 'radio', 'checkbox', 'spinbutton'] as const;
const text = z.string().min(1, { error: 'must be a non-empty string' });
const selectorSchema = z.union(
  [
    z.strictObject({ label: text }),
    z.strictObject({ role: z.enum(roles), name: text.optional() }),
    z.strictObject({ group: text }),
    z.strictObject({ css: text }),
  ],
  { error: 'must be one of {label}, {role, name?}, {group}, {css}' },
);
const selectorMap = z.partialRecord(z.enum(SELECTOR_KEYS), selectorSchema);
const ratingMap = z.partialRecord(z.enum(RATINGS), text);
const webhookMap = z.partialRecord(z.enum(FUNNEL_WEBHOOKS), z.array(text).min(1, { error: 'must list at least one URL fragment' }));

/** Overrides for one target (or extra overrides on top of one). */
export const targetOverridesSchema = z.strictObject({
  $comment: z.string().optional(),
  match: z.array(text).optional(),
  production: z.boolean().optional(),
  selectors: selectorMap.optional(),
  ratingLabels: ratingMap.optional(),
  webhooks: webhookMap.optional(),
});
export type TargetOverrides = z.infer<typeof targetOverridesSchema>;

const fileSchema = z.strictObject({
  $comment: z.string().optional(),
  default: z.strictObject({
    selectors: z.record(z.enum(SELECTOR_KEYS), selectorSchema),
    ratingLabels: z.record(z.enum(RATINGS), text),
    webhooks: webhookMap.optional(),
  }),
  targets: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/, { error: 'target names are lower-case words' }), targetOverridesSchema),
});
export type SelectorsFile = z.infer<typeof fileSchema>;

function describeIssue(file: string, error: z.ZodError): string {
  const issue = error.issues[0]!;
  const path = issue.path.length > 0 ? issue.path.join('.') : '(file)';
  return `${file}: ${path} ${issue.message}`;
}

export function parseSelectorsFile(json: unknown, file = SELECTORS_FILE): SelectorsFile {
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) throw new Error(describeIssue(file, parsed.error));
  if (!parsed.data.targets.local) throw new Error(`${file}: targets.local is missing (the fixture site's target)`);
  return parsed.data;
}

export function loadSelectorsFile(file = SELECTORS_FILE): SelectorsFile {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`${file}: cannot read the funnel selectors file (${(error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new Error(`${file}: not valid JSON (${(error as Error).message})`);
  }
  return parseSelectorsFile(json, file);
}

/** Reads a JSON file of extra overrides (same shape as one target entry). */
export function loadOverridesFile(file: string): TargetOverrides {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: cannot read selector overrides (${(error as Error).message})`);
  }
  const parsed = targetOverridesSchema.safeParse(json);
  if (!parsed.success) throw new Error(describeIssue(file, parsed.error));
  return parsed.data;
}

/** The path fragment of a handler's Kestra webhook route, tenant or not: `/executions/webhook/<ns>/<flow>/`. */
export function defaultWebhookFragments(): Record<FunnelWebhook, string[]> {
  const fragment = (name: FunnelWebhook) => {
    const h = WEBHOOK_HANDLERS[name];
    return `/executions/webhook/${encodeURIComponent(h.namespace)}/${encodeURIComponent(h.flowId)}/`;
  };
  return { signup: [fragment('signup')], assessment: [fragment('assessment')] };
}

/** Applies overrides on top of a target: key by key, a selector replaced whole. */
export function mergeTarget(base: FunnelTarget, overrides: TargetOverrides, name = base.name): FunnelTarget {
  return {
    name,
    production: overrides.production ?? base.production,
    match: overrides.match ?? base.match,
    selectors: { ...base.selectors, ...(overrides.selectors as Partial<Record<SelectorKey, Selector>> | undefined) },
    ratingLabels: { ...base.ratingLabels, ...overrides.ratingLabels },
    webhooks: { ...base.webhooks, ...overrides.webhooks },
  };
}

/** The named target's selectors: the file's default, then the target's overrides, then `extra`. */
export function resolveTarget(name: string, opts: { file?: SelectorsFile; extra?: TargetOverrides } = {}): FunnelTarget {
  const file = opts.file ?? loadSelectorsFile();
  const overrides = file.targets[name];
  if (!overrides) throw new Error(`no funnel target "${name}" in ${SELECTORS_FILE} (known: ${Object.keys(file.targets).join(', ')})`);
  const base: FunnelTarget = {
    name,
    production: false,
    match: [],
    selectors: { ...file.default.selectors } as Record<SelectorKey, Selector>,
    ratingLabels: { ...file.default.ratingLabels } as Record<Rating, string>,
    webhooks: { ...defaultWebhookFragments(), ...file.default.webhooks },
  };
  const target = mergeTarget(base, overrides, name);
  return opts.extra ? mergeTarget(target, opts.extra, name) : target;
}

/** The target whose `match` names the URL's host (`host:port` first, then `host`); undefined if none does. */
export function targetNameForUrl(url: string, file: SelectorsFile = loadSelectorsFile()): string | undefined {
  const u = new URL(url);
  for (const key of [u.host, u.hostname]) {
    for (const [name, target] of Object.entries(file.targets)) if (target.match?.includes(key)) return name;
  }
  return undefined;
}

/** The selector for one system's rating group (`{system}` replaced). */
export function ratingSelector(target: Pick<FunnelTarget, 'selectors'>, system: string): Selector {
  const s = target.selectors.rating;
  if ('group' in s) return { group: s.group.replaceAll('{system}', system) };
  if ('css' in s) return { css: s.css.replaceAll('{system}', system) };
  if ('label' in s) return { label: s.label.replaceAll('{system}', system) };
  return { role: s.role, ...(s.name ? { name: s.name.replaceAll('{system}', system) } : {}) };
}

/** Which webhook a request URL is, by the target's fragments; null when it is none of them. */
export function webhookMatcher(target: Pick<FunnelTarget, 'webhooks'>): (url: string) => FunnelWebhook | null {
  return (url) => FUNNEL_WEBHOOKS.find((name) => target.webhooks[name].some((fragment) => url.includes(fragment))) ?? null;
}

/** One line naming a selector, for step errors ("no element for label "Email""). */
export function describeSelector(s: Selector): string {
  if ('label' in s) return `label "${s.label}"`;
  if ('group' in s) return `radio group "${s.group}"`;
  if ('css' in s) return `css "${s.css}"`;
  return s.name ? `${s.role} "${s.name}"` : `role ${s.role}`;
}
