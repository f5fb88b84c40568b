import { defineRule, examples, lintedFlows } from '../../rule.js';

const ID = 'duplicate-input-id';

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'kestra',
  description: 'Input ids are unique in a flow.',
  doc: 'Kestra rejects a flow declaring two inputs with the same id ("Duplicate input with name [...]"). Reported at the second and later declarations.',
  examples: examples(ID, ['offending.yml'], ['clean.yml']),
  *check(ctx) {
    for (const flow of lintedFlows(ctx)) {
      const seen = new Map<string, number>();
      for (const i of flow.inputs) {
        if (i.id === undefined) continue;
        const first = seen.get(i.id);
        if (first !== undefined) yield flow.file.at(i.idNode, `duplicate input id '${i.id}' (first declared at line ${first})`);
        else seen.set(i.id, flow.file.nodePos(i.idNode).line);
      }
    }
  },
});
