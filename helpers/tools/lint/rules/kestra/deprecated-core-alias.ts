import { defineRule, examples, lintedFlows } from '../../rule.js';
import { CORE_ALIASES } from '../../../../kestra-model/catalog.js';

const ID = 'deprecated-core-alias';

export default defineRule({
  id: ID,
  severity: 'warning',
  profile: 'kestra',
  description: 'Core tasks and triggers use their current class name, not a legacy alias.',
  doc: 'Kestra still accepts the pre-0.17 names of core plugins (`io.kestra.core.tasks.log.Log`, `io.kestra.plugin.fs.http.Request`, …) through `@Plugin(aliases)`, and its validate endpoint answers "X is replaced by Y". Aliases are dropped over time; use the canonical name.',
  examples: examples(ID, ['offending.yml'], ['clean.yml']),
  *check(ctx) {
    for (const flow of lintedFlows(ctx)) {
      for (const t of [...flow.tasks, ...flow.triggers]) {
        const canonical = t.type === undefined ? undefined : CORE_ALIASES[t.type];
        if (canonical) yield flow.file.at(t.typeNode, `${t.type} is a legacy alias: use ${canonical}`);
      }
    }
  },
});
