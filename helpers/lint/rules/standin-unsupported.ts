import { defineRule, examples, lintedFlows } from '../rule.js';
import { templatePos } from '../templates.js';
import { pebble } from '../pebble-adapter.js';
import { STANDIN_TASK_TYPES, STANDIN_TRIGGER_TYPES } from '../standin-support.js';

const ID = 'standin-unsupported';

export default defineRule({
  id: ID,
  severity: 'warning',
  profile: 'project',
  description: 'Flows use only what the local Kestra stand-in supports (task types, Pebble filters/functions/tests/tags).',
  doc: 'The e2e specs can run the flows on an embedded stand-in of Kestra. A flow using a task type, trigger type, or Pebble filter, function, test or tag the stand-in does not implement would fail only there; this rule keeps the flows and the stand-in in step. The lists come from `helpers/lint/standin-support.ts` (task and trigger types) and `exportsSupported` of helpers/pebble.',
  examples: examples(ID, ['offending-task.yml', 'offending-filter.yml'], ['clean.yml']),
  *check(ctx) {
    const features = pebble.exportsSupported;
    const sets = {
      filter: new Set(features.filters),
      function: new Set(features.functions),
      test: new Set(features.tests),
      tag: new Set(features.tags),
    };
    const tasks = new Set(STANDIN_TASK_TYPES);
    const triggers = new Set(STANDIN_TRIGGER_TYPES);
    for (const flow of lintedFlows(ctx)) {
      for (const t of flow.tasks) {
        if (t.canonicalType !== undefined && !tasks.has(t.canonicalType)) yield flow.file.at(t.typeNode, `the local stand-in does not run ${t.type} tasks`);
      }
      for (const t of flow.triggers) {
        if (t.canonicalType !== undefined && !triggers.has(t.canonicalType)) yield flow.file.at(t.typeNode, `the local stand-in does not fire ${t.type} triggers`);
      }
      for (const tpl of ctx.templates(flow)) {
        if (!tpl.ast) continue;
        const uses = pebble.usage(tpl.ast);
        const groups: [keyof typeof sets, { name: string; offset: number }[]][] = [
          ['filter', uses.filters],
          ['function', uses.functions],
          ['test', uses.tests],
          ['tag', uses.tags],
        ];
        for (const [kind, list] of groups) {
          if (sets[kind].size === 0) continue;
          for (const use of list) {
            if (!sets[kind].has(use.name)) yield { file: flow.file.path, ...templatePos(flow, tpl, use.offset), message: `the local stand-in's Pebble has no ${kind} '${use.name}'` };
          }
        }
      }
    }
  },
});
