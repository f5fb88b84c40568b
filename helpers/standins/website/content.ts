/**
 * What the fixture site asks (fixtures/funnel-site/content.json): the business systems a visitor
 * rates, the rating labels and the `source` its signup webhook names. The site serves it; the
 * funnel journey's default data rates these systems.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Rating } from '../../spec/index.js';

export const SITE_CONTENT_FILE = fileURLToPath(new URL('../../../fixtures/funnel-site/content.json', import.meta.url));

export interface SiteContent {
  source: string;
  systems: string[];
  ratings: { value: Rating; label: string }[];
}

export function siteContent(): SiteContent {
  return JSON.parse(readFileSync(SITE_CONTENT_FILE, 'utf8')) as SiteContent;
}
