import { defineRule, examples, lintedFlows } from '../../rule.js';
import { templatePos } from '../../templates.js';
import { pebble } from '../../pebble-adapter.js';
import { unsupportedFeatures } from '../../standin-support.js';

const ID = 'standin-unsupported';

export default defineRule({
  id: ID,
  severity: 'warning',
  profile: 'project',
  description: 'Flows use only what the local Kestra stand-in supports (task types, properties, Pebble filters/functions/tests/tags).',
  doc: 'The e2e specs can run the flows on an embedded stand-in of Kestra. A flow using a task or trigger type, a property, an input type, a retry or HTTP option, or a Pebble filter, function, test or tag the stand-in does not implement would fail only there; this rule keeps the flows and the stand-in in step. The lists are the stand-in\'s own (`unsupportedFeatures` of helpers/standins/kestra/support.ts, re-exported by helpers/tools/lint/standin-support.ts) and `exportsSupported` of helpers/kestra-model/pebble.',
  examples: examples(ID, ['offending-task.yml', 'offending-property.yml', 'offending-filter.yml'], ['clean.yml']),
  *check(ctx) {
    const features = pebble.exportsSupported;
    const sets = {
      filter: new Set(features.filters),
      function: new Set(features.functions),
      test: new Set(features.tests),
      tag: new Set(features.tags),
    };
    for (const flow of lintedFlows(ctx)) {
      let definition: unknown;
      try {
        definition = flow.file.doc?.toJS();
      } catch {
        definition = undefined; // e.g. an alias bomb: yaml-syntax territory
      }
      for (const f of unsupportedFeatures(definition)) {
        const node = flow.nodeAtPath(f.path, /\.type$/.test(f.path) ? 'value' : 'key');
        yield flow.file.at(node, `the local stand-in does not support ${f.feature.replace(/`/g, '')}`);
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
