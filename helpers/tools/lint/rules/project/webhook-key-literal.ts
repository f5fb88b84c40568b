import { defineRule, examples, lintedFlows } from '../../rule.js';
import { WEBHOOK } from '../../../../kestra-model/catalog.js';
import { FlowModel } from '../../flow-model.js';
import { isTemplate, parseOne } from '../../templates.js';
import { pebble } from '../../pebble-adapter.js';

const ID = 'webhook-key-literal';

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'project',
  description: "A Webhook trigger's key is a secret (`{{ secret('…') }}`), never a literal.",
  doc: "The webhook key is the only thing protecting an open webhook URL (basic auth leaves webhook paths open). A key written in the flow is published with the repository; it must come from a secret: `key: \"{{ secret('WEBHOOK_KEY_SIGNUP') }}\"` (SPEC §8).",
  examples: examples(ID, ['offending.yml'], ['clean.yml']),
  *check(ctx) {
    for (const flow of lintedFlows(ctx)) {
      for (const t of flow.triggers) {
        if (t.canonicalType !== WEBHOOK) continue;
        const key = FlowModel.str(t, 'key');
        const node = FlowModel.node(t, 'key');
        if (key === undefined) {
          yield flow.file.at(t.idNode ?? t.node, `Webhook trigger '${t.id}' has no key`);
          continue;
        }
        if (!isTemplate(key)) {
          yield flow.file.at(node, `Webhook trigger '${t.id}' has a literal key: read it from a secret, e.g. "{{ secret('WEBHOOK_KEY_…') }}"`);
          continue;
        }
        const { ast } = parseOne(key);
        if (ast && !pebble.functionCalls(ast).some((c) => c.name === 'secret')) {
          yield flow.file.at(node, `Webhook trigger '${t.id}': the key does not come from secret(): a key in the flow or its variables is public`);
        }
      }
    }
  },
});
