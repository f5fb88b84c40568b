/**
 * The synthetic flows the Kestra stand-in's unit tests run (fixtures/kestra-standin/*.yml): small flows
 * that each exercise a few Kestra behaviours, independent of the campaign flows.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const STANDIN_FIXTURES_DIR = fileURLToPath(new URL('../../fixtures/kestra-standin/', import.meta.url));

/** The YAML source of fixtures/kestra-standin/<name>.yml. */
export function standinFixtureFlow(name: string): string {
  return readFileSync(`${STANDIN_FIXTURES_DIR}${name}.yml`, 'utf8');
}

/** Every fixture flow's source, in file-name order. */
export function allStandinFixtureFlows(): string[] {
  return readdirSync(STANDIN_FIXTURES_DIR)
    .filter((f) => f.endsWith('.yml'))
    .sort()
    .map((f) => readFileSync(`${STANDIN_FIXTURES_DIR}${f}`, 'utf8'));
}
