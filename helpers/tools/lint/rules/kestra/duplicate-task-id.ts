import { defineRule, examples, lintedFlows } from '../../rule.js';

const ID = 'duplicate-task-id';

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'kestra',
  description: 'Task ids are unique in the whole flow (tasks, errors, finally, nested flowable tasks); trigger ids too.',
  doc: "Kestra's FlowValidator rejects a flow whose tasks — at any depth: `tasks`, `errors`, `finally`, `afterExecution` and the children of If/Switch/Parallel/ForEach… — share an id (\"Duplicate task id with name [...]\"), and likewise for trigger ids. Each repeated id is reported at its second and later occurrences.",
  examples: examples(ID, ['offending-nested.yml', 'offending-errors.yml'], ['clean.yml']),
  *check(ctx) {
    for (const flow of lintedFlows(ctx)) {
      const seen = new Map<string, number>();
      for (const t of flow.tasks) {
        if (t.id === undefined) continue;
        const first = seen.get(t.id);
        if (first !== undefined) yield flow.file.at(t.idNode, `duplicate task id '${t.id}' (first used at line ${first})`);
        else seen.set(t.id, flow.file.nodePos(t.idNode).line);
      }
      const triggers = new Map<string, number>();
      for (const t of flow.triggers) {
        if (t.id === undefined) continue;
        const first = triggers.get(t.id);
        if (first !== undefined) yield flow.file.at(t.idNode, `duplicate trigger id '${t.id}' (first used at line ${first})`);
        else triggers.set(t.id, flow.file.nodePos(t.idNode).line);
      }
    }
  },
});
