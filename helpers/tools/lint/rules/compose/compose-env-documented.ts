import { basename } from 'node:path';
import { defineRule, examples } from '../../rule.js';

const ID = 'compose-env-documented';

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'compose',
  description: 'Every ${VAR} the compose file reads is documented in .env.example.',
  doc: 'Each `${VAR}` (`${VAR:-default}`, `${VAR:?message}`) interpolated by the compose file must appear in the `.env.example` beside it, set or commented out (`# VAR=…`), so whoever deploys knows to set it. Reported at the first use of each variable; `$${…}` (an escaped dollar) is not an interpolation. A project compose file with no `.env.example` at all is one problem at its line 1, naming the checks that could not run; a lone compose file (no `kestra/flows` beside it) is not held to one.',
  examples: examples(ID, ['offending'], ['clean']),
  *check(ctx) {
    for (const c of ctx.composeFiles) {
      const compose = c.compose;
      if (!compose || !c.envExample) continue; // no .env.example: reported once by the engine
      const seen = new Set<string>();
      for (const i of compose.interpolations) {
        if (seen.has(i.name)) continue;
        seen.add(i.name);
        if (c.envExample.has(i.name)) continue;
        yield { file: c.file.path, ...c.file.pos(i.offset), message: `\${${i.name}} is read by the compose file but not documented in ${basename(c.envExamplePath)}` };
      }
    }
  },
});
