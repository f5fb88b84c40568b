import { isMap } from 'yaml';
import type { YAMLMap } from 'yaml';
import { defineRule, examples } from '../../rule.js';
import { valueNode, stringAt } from '../../source.js';

const ID = 'compose-healthcheck';

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'compose',
  description: 'Both Kestra and PostgreSQL have a healthcheck.',
  doc: 'Dokploy and `depends_on: condition: service_healthy` rely on healthchecks: PostgreSQL (`pg_isready`) and Kestra (its management endpoint on 8081, `/health`) each need a `healthcheck.test` that is not disabled.',
  examples: examples(ID, ['offending.compose.yml'], ['clean.compose.yml']),
  *check(ctx) {
    for (const c of ctx.composeFiles) {
      const compose = c.compose;
      if (!compose) continue;
      for (const [what, s] of [['Kestra', compose.kestra], ['PostgreSQL', compose.postgres]] as const) {
        if (!s) continue;
        const hc = valueNode(s.node, 'healthcheck');
        if (!isMap(hc)) yield c.file.at(s.nameNode, `service '${s.name}' (${what}) has no healthcheck`);
        else if (stringAt(hc as YAMLMap, 'disable') === 'true' || !valueNode(hc as YAMLMap, 'test')) yield c.file.at(hc, `service '${s.name}' (${what}): healthcheck has no test or is disabled`);
      }
    }
  },
});
