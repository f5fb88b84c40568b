import { basename } from 'node:path';
import { defineRule, examples, lintedFlows } from '../../rule.js';
import { templatePos } from '../../templates.js';
import { secretUses, providedEntry, usesEnvFile, isDocumented } from '../../config-usage.js';

const ID = 'secret-provided';

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'project',
  description: "Every `secret('NAME')` is provided to Kestra by the compose file (SECRET_NAME) and documented in .env.example.",
  doc: "Kestra reads `secret('NAME')` from the environment variable `SECRET_NAME` of its container (base64). The compose file must set `SECRET_NAME` on the Kestra service (or load an env_file), and `.env.example` must document it (itself, or the `${VAR}` its compose value reads), so a deployment cannot miss it. Checked when the compose file is found (the linted one, else `docker-compose.kestra.dokploy.yml` at the project root).",
  examples: examples(ID, ['offending-not-provided', 'offending-not-documented'], ['clean']),
  *check(ctx) {
    const dep = ctx.deployment;
    if (!dep.compose) return;
    const compose = basename(dep.composePath);
    for (const flow of lintedFlows(ctx)) {
      for (const use of secretUses(ctx, flow)) {
        const variable = `SECRET_${use.name}`;
        const at = { file: flow.file.path, ...templatePos(flow, use.template, use.offset) };
        const entry = providedEntry(dep, variable);
        if (!entry && !(usesEnvFile(dep) && dep.envExample?.has(variable))) {
          yield { ...at, message: `secret('${use.name}') is not provided to Kestra: ${compose} sets no ${variable} on the ${dep.compose.kestra?.name ?? 'kestra'} service` };
        } else if (!isDocumented(dep, variable)) {
          yield { ...at, message: `secret('${use.name}'): ${variable} is not documented in .env.example` };
        }
      }
    }
  },
});
