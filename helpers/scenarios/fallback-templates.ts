/**
 * The static fallback copies the repository keeps (kestra/flows/christmas/tasks/fallback-template.yml).
 * SPEC §4: when Notion fails, the email must be built from exactly this copy.
 */
import { join } from 'node:path';
import { readFlowFile, FLOWS_DIR } from '../kestra-model/repository-flows.js';

type Templates = Record<string, { subject: string; body: string }>;
let cached: Templates | undefined;

export function fallbackTemplate(name: string): { subject: string; body: string } {
  cached ??= ((readFlowFile(join(FLOWS_DIR, 'christmas', 'tasks', 'fallback-template.yml')).definition.variables as { templates?: Templates } | undefined)?.templates) ?? {};
  const template = cached[name];
  if (!template) throw new Error(`kestra/flows/christmas/tasks/fallback-template.yml has no fallback copy of "${name}"`);
  return template;
}
