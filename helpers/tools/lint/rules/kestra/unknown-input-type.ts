import { defineRule, examples, lintedFlows } from '../../rule.js';
import { INPUT_TYPES, closest } from '../../../../kestra-model/catalog.js';

const ID = 'unknown-input-type';

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'kestra',
  description: 'Every input has a type Kestra knows (STRING, INT, BOOL, SELECT, JSON, …).',
  doc: `Input types are the \`@JsonSubTypes\` of Kestra's Input.java: ${INPUT_TYPES.join(', ')}. Types are upper case; a lower-case or misspelled type (\`string\`, \`INTEGER\`) fails deserialization. The rule suggests the closest type.`,
  examples: examples(ID, ['offending.yml', 'offending-missing.yml'], ['clean.yml']),
  *check(ctx) {
    const known = new Set<string>(INPUT_TYPES);
    for (const flow of lintedFlows(ctx)) {
      for (const i of flow.inputs) {
        if (i.type === undefined) {
          yield flow.file.at(i.idNode ?? i.node, `input '${i.id ?? '?'}' has no type`);
          continue;
        }
        if (known.has(i.type)) continue;
        const upper = i.type.toUpperCase();
        const guess = known.has(upper) ? upper : upper === 'INTEGER' ? 'INT' : upper === 'NUMBER' || upper === 'DOUBLE' ? 'FLOAT' : closest(upper, INPUT_TYPES);
        yield flow.file.at(i.typeNode, `unknown input type '${i.type}'${guess ? ` — did you mean ${guess}?` : ''}`);
      }
    }
  },
});
