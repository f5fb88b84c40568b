/**
 * The YAML parser (the `yaml` package, 73 modules), loaded on first use rather than with the
 * module that parses: Playwright's runner loads every e2e spec file only to list its tests, and a
 * Playwright worker whose flows all come from the parse cache (repository-flows.ts) never parses.
 */
import { createRequire } from 'node:module';

let yaml: typeof import('yaml') | undefined;

export function yamlParser(): typeof import('yaml') {
  return (yaml ??= createRequire(import.meta.url)('yaml') as typeof import('yaml'));
}
