import { basename } from 'node:path';
import { defineRule, examples, lintedFlows } from '../../rule.js';
import { templatePos } from '../../templates.js';
import { envUses, providedEntry, usesEnvFile } from '../../config-usage.js';

const ID = 'env-provided';

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'project',
  description: 'Every `envs.name` the flows read is provided to Kestra by the compose file (ENV_NAME).',
  doc: 'Kestra exposes the environment variables starting with `ENV_` as `envs.<rest in lower case>`: `envs.notion_api_url` is `ENV_NOTION_API_URL`. The compose file must set it on the Kestra service (or load an env_file that `.env.example` documents it in). A name with upper-case letters can never match.',
  examples: examples(ID, ['offending'], ['clean']),
  *check(ctx) {
    const dep = ctx.deployment;
    if (!dep.compose) return;
    const compose = basename(dep.composePath);
    for (const flow of lintedFlows(ctx)) {
      for (const use of envUses(ctx, flow)) {
        const at = { file: flow.file.path, ...templatePos(flow, use.template, use.offset) };
        if (use.name !== use.name.toLowerCase()) {
          yield { ...at, message: `envs.${use.name}: Kestra lower-cases environment names, write envs.${use.name.toLowerCase()}` };
          continue;
        }
        const variable = `ENV_${use.name.toUpperCase()}`;
        if (providedEntry(dep, variable) || (usesEnvFile(dep) && dep.envExample?.has(variable))) continue;
        yield { ...at, message: `envs.${use.name} is not provided to Kestra: ${compose} sets no ${variable} on the ${dep.compose.kestra?.name ?? 'kestra'} service` };
      }
    }
  },
});
