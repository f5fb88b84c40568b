import { defineRule, examples, lintedFlows } from '../../rule.js';
import { FLOW_ID_MAX, FLOW_ID_PATTERN, INPUT_ID_PATTERN, NAMESPACE_MAX, NAMESPACE_PATTERN, TASK_ID_PATTERN } from '../../../../kestra-model/catalog.js';

const ID = 'id-pattern';

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'kestra',
  description: "Flow, namespace, task, trigger and input ids match Kestra's patterns.",
  doc: 'Patterns from Kestra\'s validation annotations: flow id `^[a-zA-Z0-9][a-zA-Z0-9._-]*` (max 100), namespace `^[a-z0-9][a-z0-9._-]*` (lower case, max 150), task and trigger ids `^[a-zA-Z0-9][a-zA-Z0-9_-]*` (no dots), input ids `^[a-zA-Z0-9][.a-zA-Z0-9_-]*`.',
  examples: examples(ID, ['offending-namespace.yml', 'offending-task-id.yml'], ['clean.yml']),
  *check(ctx) {
    for (const flow of lintedFlows(ctx)) {
      const f = flow.file;
      if (flow.id !== undefined && flow.id !== '') {
        if (!FLOW_ID_PATTERN.test(flow.id)) yield f.at(flow.idNode, `flow id '${flow.id}' must match ${FLOW_ID_PATTERN.source}`);
        else if (flow.id.length > FLOW_ID_MAX) yield f.at(flow.idNode, `flow id is ${flow.id.length} characters long; the maximum is ${FLOW_ID_MAX}`);
      }
      if (flow.namespace !== undefined && flow.namespace !== '') {
        if (!NAMESPACE_PATTERN.test(flow.namespace)) {
          const hint = flow.namespace !== flow.namespace.toLowerCase() ? ' (namespaces are lower case)' : '';
          yield f.at(flow.namespaceNode, `namespace '${flow.namespace}' must match ${NAMESPACE_PATTERN.source}${hint}`);
        } else if (flow.namespace.length > NAMESPACE_MAX) yield f.at(flow.namespaceNode, `namespace is ${flow.namespace.length} characters long; the maximum is ${NAMESPACE_MAX}`);
      }
      for (const t of flow.tasks) {
        if (t.id === undefined) {
          if (t.idNode === undefined) yield f.at(t.node, `task at ${t.path} has no id`);
          continue;
        }
        if (!TASK_ID_PATTERN.test(t.id)) {
          const hint = t.id.includes('.') ? ' (task ids cannot contain dots)' : '';
          yield f.at(t.idNode, `task id '${t.id}' must match ${TASK_ID_PATTERN.source}${hint}`);
        }
      }
      for (const t of flow.triggers) {
        if (t.id === undefined) yield f.at(t.node, `trigger at ${t.path} has no id`);
        else if (!TASK_ID_PATTERN.test(t.id)) yield f.at(t.idNode, `trigger id '${t.id}' must match ${TASK_ID_PATTERN.source}`);
      }
      for (const i of flow.inputs) {
        if (i.id === undefined) yield f.at(i.node, 'input has no id');
        else if (!INPUT_ID_PATTERN.test(i.id)) yield f.at(i.idNode, `input id '${i.id}' must match ${INPUT_ID_PATTERN.source}`);
      }
    }
  },
});
