import { isMap } from 'yaml';
import type { YAMLMap } from 'yaml';
import { defineRule, examples, lintedFlows } from '../../rule.js';
import { FlowModel } from '../../flow-model.js';
import { SWITCH } from '../../../../kestra-model/catalog.js';

const ID = 'switch-without-cases';

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'kestra',
  description: 'A Switch task has at least one case.',
  doc: 'A `io.kestra.plugin.core.flow.Switch` without `cases` (or with an empty map) can only ever run its `defaults`: it is either a mistake or an unneeded task. Kestra\'s SwitchTaskValidation rejects a Switch with neither.',
  examples: examples(ID, ['offending.yml'], ['clean.yml']),
  *check(ctx) {
    for (const flow of lintedFlows(ctx)) {
      for (const t of flow.tasks) {
        if (t.canonicalType !== SWITCH) continue;
        const cases = FlowModel.node(t, 'cases');
        if (cases === undefined) yield flow.file.at(t.idNode ?? t.node, `Switch '${t.id}' has no cases`);
        else if (!isMap(cases) || (cases as YAMLMap).items.length === 0) yield flow.file.at(cases, `Switch '${t.id}' has no cases`);
      }
    }
  },
});
