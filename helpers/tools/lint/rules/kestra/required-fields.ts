import { isSeq } from 'yaml';
import type { YAMLSeq } from 'yaml';
import { defineRule, examples, lintedFlows } from '../../rule.js';
import { keyNode, pairOf, valueNode, scalarString } from '../../source.js';

const ID = 'required-fields';

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'kestra',
  description: 'A flow has an id, a namespace and a non-empty list of tasks.',
  doc: 'Kestra requires `id` and `namespace` (non-blank strings) and `tasks` (a non-empty list: `@NotEmpty` in Flow.java). A missing key is reported at the top-level mapping, an empty or wrongly typed value at the value.',
  examples: examples(ID, ['offending-no-namespace.yml', 'offending-empty-tasks.yml'], ['clean.yml']),
  *check(ctx) {
    for (const flow of lintedFlows(ctx)) {
      const root = flow.root;
      const file = flow.file;
      for (const key of ['id', 'namespace'] as const) {
        const pair = pairOf(root, key);
        if (!pair) {
          yield file.at(root, `missing required '${key}'`);
          continue;
        }
        const v = scalarString(pair.value);
        if (v === undefined || v.trim() === '') yield file.at(pair.value ?? pair.key, `'${key}' must be a non-empty string`);
      }
      const tasks = pairOf(root, 'tasks');
      if (!tasks) {
        yield file.at(root, "missing required 'tasks' (a flow needs at least one task)");
      } else if (!isSeq(tasks.value)) {
        yield file.at(tasks.value ?? keyNode(root, "tasks"), "'tasks' must be a list of tasks");
      } else if ((tasks.value as YAMLSeq).items.length === 0) {
        yield file.at(valueNode(root, 'tasks'), "'tasks' must not be empty");
      }
    }
  },
});
