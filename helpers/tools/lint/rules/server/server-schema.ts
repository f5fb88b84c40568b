import { defineRule, examples, lintedFlows } from '../../rule.js';
import { canonicalType } from '../../../../kestra-model/catalog.js';
import { scalarString } from '../../source.js';
import type { RuleProblem } from '../../types.js';

const ID = 'server-schema';

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'server',
  description: "With --server: every task and trigger type is installed on that Kestra and its properties match the plugin's schema.",
  doc: "Fetches the server's flow JSON Schema (`GET /api/v1/plugins/schemas/flow`, cached in `.cache/kestra-schemas/` for a day) and checks each task and trigger against its plugin definition: the type must be installed (aliases are resolved), every property must be one the plugin declares, and every required property without a default must be set. Catches plugin-specific typos (`uri` vs `url`) the offline rules cannot know.",
  examples: examples(ID, ['offending.yml'], ['clean.yml']),
  async check(ctx) {
    const server = ctx.server;
    if (!server) return [];
    const schemas = await server.pluginSchemas();
    const out: RuleProblem[] = [];
    for (const flow of lintedFlows(ctx)) {
      for (const item of [...flow.tasks.map((t) => ({ what: 'task', ...t })), ...flow.triggers.map((t) => ({ what: 'trigger', ...t }))]) {
        if (item.type === undefined) continue;
        const schema = schemas.get(item.type) ?? schemas.get(canonicalType(item.type));
        if (!schema) {
          out.push(flow.file.at(item.typeNode, `${item.type} is not a ${item.what} type installed on ${server.url}`));
          continue;
        }
        const present = new Set<string>();
        for (const pair of item.node.items) {
          const key = scalarString(pair.key);
          if (key === undefined) continue;
          present.add(key);
          if (!(key in schema.properties)) out.push(flow.file.at(pair.key, `${item.what} '${item.id}': ${item.type?.split('.').pop()} has no property '${key}'`));
        }
        for (const req of schema.required) {
          if (present.has(req) || schema.properties[req]?.default !== undefined) continue;
          out.push(flow.file.at(item.idNode ?? item.node, `${item.what} '${item.id}': ${item.type?.split('.').pop()} requires '${req}'`));
        }
      }
    }
    return out;
  },
});
