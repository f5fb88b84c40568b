import { defineRule, examples } from '../../rule.js';
import { keyNode } from '../../source.js';

const ID = 'compose-container-name';

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'compose',
  description: 'No service sets container_name.',
  doc: 'A fixed `container_name` breaks Dokploy\'s redeploys and previews (two containers cannot share a name) and collides with other projects on the same host. Compose names containers itself.',
  examples: examples(ID, ['offending.compose.yml'], ['clean.compose.yml']),
  *check(ctx) {
    for (const c of ctx.composeFiles) {
      for (const s of c.compose?.services ?? []) {
        const k = keyNode(s.node, 'container_name');
        if (k) yield c.file.at(k, `service '${s.name}' sets container_name: let Compose name the container`);
      }
    }
  },
});
