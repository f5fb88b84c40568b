import { defineRule, examples } from '../../rule.js';
import { keyNode } from '../../source.js';

const ID = 'compose-depends-healthy';

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'compose',
  description: 'Kestra depends on PostgreSQL being healthy (condition: service_healthy).',
  doc: 'Without `depends_on: postgres: condition: service_healthy`, Kestra starts before the database accepts connections and its first start fails or loops. The short list syntax (`depends_on: [postgres]`) only waits for the container to start.',
  examples: examples(ID, ['offending.compose.yml'], ['clean.compose.yml']),
  *check(ctx) {
    for (const c of ctx.composeFiles) {
      const compose = c.compose;
      const kestra = compose?.kestra;
      const pg = compose?.postgres;
      if (!kestra || !pg) continue;
      const dep = kestra.dependsOn.find((d) => d.name === pg.name);
      if (!dep) yield c.file.at(keyNode(kestra.node, 'depends_on') ?? kestra.nameNode, `service '${kestra.name}' does not depend on '${pg.name}': add depends_on: ${pg.name}: condition: service_healthy`);
      else if (dep.condition !== 'service_healthy') yield c.file.at(dep.node, `service '${kestra.name}' depends on '${pg.name}' ${dep.condition ? `with condition ${dep.condition}` : 'without a condition'}: use condition: service_healthy`);
    }
  },
});
