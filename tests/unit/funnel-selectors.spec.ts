/**
 * Selector overrides per target: a target replaces the defaults key by key (a selector whole),
 * extra overrides go on top, the webhook fragments default to the spec's Kestra routes, and a bad
 * file is one error naming the file and the field.
 */
import { test, expect } from '../support/unit-test.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  defaultWebhookFragments, loadOverridesFile, loadSelectorsFile, mergeTarget, parseSelectorsFile, ratingSelector, resolveTarget, targetNameForUrl,
  webhookMatcher, type SelectorsFile,
} from '../../helpers/scenarios/funnel/index.js';
import { FUNNEL_URLS, WEBHOOK_HANDLERS, webhookPath } from '../../helpers/spec/index.js';

function fileWith(targets: SelectorsFile['targets']): SelectorsFile {
  const real = loadSelectorsFile();
  return { default: real.default, targets: { local: {}, ...targets } };
}

test('a target override replaces that key whole and leaves every other key at the default', () => {
  const file = fileWith({ production: { production: true, selectors: { email: { css: 'input#work-email' }, signupSubmit: { role: 'button', name: 'Get My Free Assessment' } } } });
  const local = resolveTarget('local', { file });
  const production = resolveTarget('production', { file });
  expect(production.selectors.email).toEqual({ css: 'input#work-email' }); // not {label, css} mixed
  expect(production.selectors.signupSubmit).toEqual({ role: 'button', name: 'Get My Free Assessment' });
  const untouched = Object.keys(local.selectors).filter((k) => k !== 'email' && k !== 'signupSubmit') as (keyof typeof local.selectors)[];
  for (const key of untouched) expect(production.selectors[key], key).toEqual(local.selectors[key]);
  expect(production.production).toBe(true);
  expect(local.production).toBe(false);
});

test('extra overrides (a probe’s --selectors file) apply on top of the target', () => {
  const file = fileWith({ production: { production: true, selectors: { email: { css: 'input#work-email' } }, ratingLabels: { red: 'Broken' } } });
  const target = resolveTarget('production', { file, extra: { selectors: { email: { label: 'Work email' } }, ratingLabels: { green: 'Strong' }, webhooks: { signup: ['/api/signup'] } } });
  expect(target.selectors.email).toEqual({ label: 'Work email' });
  expect(target.ratingLabels).toEqual({ red: 'Broken', orange: 'Orange', yellow: 'Yellow', green: 'Strong' });
  expect(target.webhooks.signup).toEqual(['/api/signup']);
  expect(target.webhooks.assessment).toEqual(defaultWebhookFragments().assessment);
  // mergeTarget never mutates its input
  const before = JSON.stringify(resolveTarget('local'));
  mergeTarget(resolveTarget('local'), { selectors: { email: { css: 'x' } } });
  expect(JSON.stringify(resolveTarget('local'))).toBe(before);
});

test('webhook requests are recognised by the Kestra route of their handler, tenant or tenant-less', () => {
  const match = webhookMatcher(resolveTarget('local'));
  for (const name of ['signup', 'assessment'] as const) {
    const handler = WEBHOOK_HANDLERS[name];
    expect(match(`https://kestra.galatek.dev${webhookPath(handler, 'k3y')}`)).toBe(name);
    expect(match(`http://127.0.0.1:8080${webhookPath(handler, 'k3y', { tenantless: true })}`)).toBe(name);
  }
  expect(match(`https://kestra.galatek.dev${webhookPath(WEBHOOK_HANDLERS.noshow, 'k3y')}`)).toBeNull();
  expect(match('http://127.0.0.1:3000/api/email')).toBeNull();
});

test('a radio-group selector names the system being rated', () => {
  expect(ratingSelector(resolveTarget('local'), 'Customer care')).toEqual({ group: 'Customer care' });
  expect(ratingSelector({ selectors: { ...resolveTarget('local').selectors, rating: { css: 'fieldset[data-system="{system}"]' } } }, 'GPS')).toEqual({ css: 'fieldset[data-system="GPS"]' });
});

test('the target for a URL comes from its host', () => {
  expect(targetNameForUrl(FUNNEL_URLS.production)).toBe('production');
  expect(targetNameForUrl('http://127.0.0.1:41234/en/flows/businessX/dfu/xmas-a01')).toBe('local');
  expect(targetNameForUrl(FUNNEL_URLS.localDev)).toBe('local');
  expect(targetNameForUrl('https://staging.example.org/')).toBeUndefined();
});

test('a malformed selectors file is one error naming the file and the field', () => {
  const good = loadSelectorsFile();
  expect(() => parseSelectorsFile({ ...good, targets: { ...good.targets, production: { selectors: { email: { label: '' } } } } }, 'sel.json')).toThrow(/^sel\.json: targets\.production\.selectors\.email\b/);
  expect(() => parseSelectorsFile({ ...good, targets: { ...good.targets, production: { selectors: { emial: { label: 'Email' } } } } }, 'sel.json')).toThrow(/^sel\.json: targets\.production\.selectors/);
  expect(() => parseSelectorsFile({ ...good, targets: { production: {} } }, 'sel.json')).toThrow('sel.json: targets.local is missing');
  expect(() => resolveTarget('staging')).toThrow(/no funnel target "staging".*known: local, production/);

  const dir = mkdtempSync(join(tmpdir(), 'funnel-selectors-'));
  try {
    writeFileSync(join(dir, 'bad.json'), '{"selectors": {"email": {"role": "textbox", "nme": "Email"}}}');
    expect(() => loadOverridesFile(join(dir, 'bad.json'))).toThrow(new RegExp(`^${join(dir, 'bad.json').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: selectors\\.email`));
    writeFileSync(join(dir, 'good.json'), '{"selectors": {"email": {"role": "textbox", "name": "Email"}}}');
    expect(loadOverridesFile(join(dir, 'good.json')).selectors?.email).toEqual({ role: 'textbox', name: 'Email' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
