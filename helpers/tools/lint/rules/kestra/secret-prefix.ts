import { defineRule, examples, lintedFlows } from '../../rule.js';
import { templatePos } from '../../templates.js';
import { pebble } from '../../pebble-adapter.js';

const ID = 'secret-prefix';

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'kestra',
  description: "`secret('NAME')` is written without the `SECRET_` prefix.",
  doc: "In the open-source edition a secret NAME comes from the environment variable `SECRET_NAME` (base64). The prefix is added by Kestra: `secret('SECRET_NOTION_TOKEN')` looks up `SECRET_SECRET_NOTION_TOKEN` and fails (SPEC §8, §10.1). Write `secret('NOTION_TOKEN')`.",
  examples: examples(ID, ['offending.yml'], ['clean.yml']),
  *check(ctx) {
    for (const flow of lintedFlows(ctx)) {
      for (const t of ctx.templates(flow)) {
        if (!t.ast) continue;
        for (const call of pebble.functionCalls(t.ast)) {
          const name = call.args[0];
          if (call.name !== 'secret' || typeof name !== 'string' || !name.startsWith('SECRET_')) continue;
          yield { file: flow.file.path, ...templatePos(flow, t, call.offset), message: `secret('${name}') looks up the environment variable SECRET_${name}: Kestra adds the SECRET_ prefix itself — write secret('${name.slice('SECRET_'.length)}')` };
        }
      }
    }
  },
});
