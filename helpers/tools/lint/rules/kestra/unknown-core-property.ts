import { defineRule, examples, lintedFlows } from '../../rule.js';
import { scalarString } from '../../source.js';
import { closest } from '../../../../kestra-model/catalog.js';
import { corePropertiesOf, CORE_SCHEMA_VERSION } from '../../kestra-core-schema.js';

const ID = 'unknown-core-property';

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'kestra',
  description: 'Core tasks only use properties their class has ("did you mean …").',
  doc: `Kestra deserializes a flow strictly: a task key its class does not have fails the deploy with \`Unrecognized field "<key>" … not marked as ignorable\` (YamlParser.java, YamlParserTest.invalidProperty). The properties come from helpers/tools/lint/kestra-core-schema.json (Kestra ${CORE_SCHEMA_VERSION}'s core task classes, derived from Kestra's source; that file records how and from which files). Core task types it does not record, and plugins outside Kestra's core, are not checked offline (\`--server\` checks them against the server's schemas).`,
  examples: examples(ID, ['offending-typo.yml', 'offending-wrong-task.yml'], ['clean.yml']),
  *check(ctx) {
    for (const flow of lintedFlows(ctx)) {
      for (const task of flow.tasks) {
        if (task.canonicalType === undefined) continue;
        const known = corePropertiesOf(task.canonicalType);
        if (!known) continue;
        for (const pair of task.node.items) {
          const key = scalarString(pair.key);
          if (key === undefined || known.has(key)) continue;
          const guess = closest(key, known);
          yield flow.file.at(pair.key, `Unrecognized field "${key}" on task '${task.id ?? '?'}' (${task.canonicalType})${guess ? ` — did you mean ${guess}?` : ''}`);
        }
      }
    }
  },
});
