import { defineRule, examples } from '../../rule.js';
import { WEBHOOK } from '../../../../kestra-model/catalog.js';
import { FlowModel } from '../../flow-model.js';
import { parseOne } from '../../templates.js';
import { pebble } from '../../pebble-adapter.js';
import { WEBHOOK_HANDLERS } from '../../../../spec/endpoints.js';
import { WEBHOOK_NAMES } from '../../../../spec/sequences.js';
import { join, relative } from 'node:path';

const ID = 'handler-webhook';

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'project',
  description: "Each of the five handlers exists and has exactly one Webhook trigger keyed by its own secret.",
  doc: `The handlers of WEBHOOK_HANDLERS in the spec module (${WEBHOOK_NAMES.map((w) => `${WEBHOOK_HANDLERS[w].namespace}/${WEBHOOK_HANDLERS[w].flowId}`).join(', ')}) each have exactly one \`io.kestra.plugin.core.trigger.Webhook\` trigger whose key is \`{{ secret('<keySecret>') }}\` with the handler's own key secret (WEBHOOK_KEY_SIGNUP, …). A missing handler is reported when the whole repository is linted.`,
  examples: examples(ID, ['offending-two-webhooks', 'offending-wrong-key', 'offending-missing-handler'], ['clean']),
  *check(ctx) {
    const anyChristmas = ctx.repo.flows.some((f) => WEBHOOK_NAMES.some((w) => WEBHOOK_HANDLERS[w].namespace === f.namespace));
    for (const name of WEBHOOK_NAMES) {
      const h = WEBHOOK_HANDLERS[name];
      const flow = ctx.repo.get(h.namespace, h.flowId);
      if (!flow) {
        if (ctx.repo.complete && ctx.repo.flowsRoot && anyChristmas) {
          const expected = join(ctx.repo.flowsRoot, ...h.namespace.split('.'), `${h.flowId}.yml`);
          const sibling = ctx.repo.flows.find((f) => f.namespace === h.namespace);
          if (sibling) yield sibling.file.at(sibling.namespaceNode, `the ${name} handler ${h.namespace}/${h.flowId} is missing (expected at ${relative(ctx.cwd, expected)})`);
        }
        continue;
      }
      const webhooks = flow.triggers.filter((t) => t.canonicalType === WEBHOOK);
      if (webhooks.length === 0) {
        yield flow.file.at(flow.idNode, `${h.flowId} has no Webhook trigger: the ${name} webhook cannot start it`);
        continue;
      }
      for (const extra of webhooks.slice(1)) yield flow.file.at(extra.typeNode, `${h.flowId} has ${webhooks.length} Webhook triggers; exactly one is expected`);
      const w = webhooks[0]!;
      const key = FlowModel.str(w, 'key');
      const keyNode = FlowModel.node(w, 'key') ?? w.idNode;
      const { ast } = key === undefined ? { ast: undefined } : parseOne(key);
      const secrets = ast ? pebble.functionCalls(ast).filter((c) => c.name === 'secret').map((c) => c.args[0]) : [];
      if (!secrets.includes(h.keySecret)) {
        yield flow.file.at(keyNode, `the ${name} webhook key must be "{{ secret('${h.keySecret}') }}"${secrets.length ? ` (found secret('${String(secrets[0])}'))` : ''}`);
      }
    }
  },
});
