import { defineRule, examples } from '../../rule.js';
import { stringAt } from '../../source.js';

const ID = 'compose-postgres-private';

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'compose',
  description: 'PostgreSQL is not on the public (external) network.',
  doc: 'The database is reached by Kestra only: it must not join `dokploy-network` or any other external network (every container of every Dokploy project is on it), nor use `network_mode: host`. Put it on an internal network shared with Kestra.',
  examples: examples(ID, ['offending.compose.yml'], ['clean.compose.yml']),
  *check(ctx) {
    for (const c of ctx.composeFiles) {
      const compose = c.compose;
      const pg = compose?.postgres;
      if (!compose || !pg) continue;
      const external = new Set(compose.networks.filter((n) => n.external).map((n) => n.name));
      external.add('dokploy-network');
      for (const n of pg.networks) {
        if (external.has(n.name)) yield c.file.at(n.node, `service '${pg.name}' (PostgreSQL) is on the external network '${n.name}': keep the database on an internal network`);
      }
      if (stringAt(pg.node, 'network_mode') === 'host') yield c.file.at(pg.nameNode, `service '${pg.name}' (PostgreSQL) uses network_mode: host`);
    }
  },
});
