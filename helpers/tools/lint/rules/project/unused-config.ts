import { defineRule, examples } from '../../rule.js';
import { secretUses, envUses } from '../../config-usage.js';

const ID = 'unused-config';

export default defineRule({
  id: ID,
  severity: 'warning',
  profile: 'project',
  description: 'Every `SECRET_*`/`ENV_*` the compose file or .env.example gives Kestra is used by some flow.',
  doc: "A `SECRET_NAME` or `ENV_NAME` on the Kestra service that no flow reads (`secret('NAME')`, `envs.name`) is dead configuration — often the trace of a renamed secret, whose new name then is missing. Same for `SECRET_*` entries of `.env.example`. Only checked when every flow of the repository is linted.",
  examples: examples(ID, ['offending'], ['clean']),
  *check(ctx) {
    const dep = ctx.deployment;
    if (!dep.compose || !ctx.repo.complete || ctx.repo.flows.length === 0) return;
    const secrets = new Set<string>();
    const envs = new Set<string>();
    for (const flow of ctx.repo.flows) {
      secretUses(ctx, flow).forEach((u) => secrets.add(`SECRET_${u.name}`));
      envUses(ctx, flow).forEach((u) => envs.add(`ENV_${u.name.toUpperCase()}`));
    }
    const file = dep.compose.file;
    for (const e of dep.compose.kestra?.environment ?? []) {
      if (e.key.startsWith('SECRET_') && !secrets.has(e.key)) yield file.at(e.keyNode, `${e.key} is given to Kestra but no flow reads secret('${e.key.slice(7)}')`);
      if (e.key.startsWith('ENV_') && !envs.has(e.key)) yield file.at(e.keyNode, `${e.key} is given to Kestra but no flow reads envs.${e.key.slice(4).toLowerCase()}`);
    }
    if (dep.envExample) {
      for (const [key, pos] of dep.envExample.keys) {
        if (key.startsWith('SECRET_') && !secrets.has(key)) yield { file: dep.envExample.path, ...pos, message: `${key} is documented but no flow reads secret('${key.slice(7)}')` };
      }
    }
  },
});
