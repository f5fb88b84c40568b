import { defineRule, examples, lintedFlows } from '../../rule.js';
import { isSeq, valueNode, keyNode } from '../../source.js';
import { CORE_NOT_RUNNABLE, WORKING_DIRECTORY } from '../../../../kestra-model/catalog.js';

const ID = 'working-directory-tasks';

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'kestra',
  description: 'A WorkingDirectory has tasks, all runnable, none with its own workerGroup.',
  doc: 'Kestra validates `io.kestra.plugin.core.flow.WorkingDirectory` when the flow is saved (WorkingDirectoryTaskValidator.java): "The \'tasks\' property cannot be empty"; "Only runnable tasks are allowed as children of a WorkingDirectory task" — a flowable (If, Switch, Parallel, Sequential, Dag, ForEach, WaitFor, …), a Subflow, Exit or Labels inside it refuses the deploy; and "Cannot set a Worker Group in any WorkingDirectory sub-tasks, it is only supported at the WorkingDirectory level". Plugin tasks outside Kestra\'s core are assumed runnable.',
  examples: examples(ID, ['offending-empty.yml', 'offending-flowable-child.yml', 'offending-worker-group.yml'], ['clean.yml']),
  *check(ctx) {
    const notRunnable = new Set(CORE_NOT_RUNNABLE);
    for (const flow of lintedFlows(ctx)) {
      for (const task of flow.tasks) {
        if (task.canonicalType !== WORKING_DIRECTORY) continue;
        const list = valueNode(task.node, 'tasks');
        if (!isSeq(list) || list.items.length === 0) {
          yield flow.file.at(keyNode(task.node, 'tasks') ?? task.idNode ?? task.node, `WorkingDirectory '${task.id ?? '?'}': The 'tasks' property cannot be empty`);
          continue;
        }
        for (const child of task.children) {
          if (child.branch !== 'tasks') continue;
          if (child.canonicalType !== undefined && notRunnable.has(child.canonicalType)) {
            yield flow.file.at(child.typeNode, `WorkingDirectory '${task.id ?? '?'}': Only runnable tasks are allowed as children of a WorkingDirectory task (task '${child.id ?? '?'}' is ${child.canonicalType})`);
          }
          const wg = keyNode(child.node, 'workerGroup');
          if (wg) yield flow.file.at(wg, `WorkingDirectory '${task.id ?? '?'}': Cannot set a Worker Group in any WorkingDirectory sub-tasks, it is only supported at the WorkingDirectory level ('${child.id ?? '?'}')`);
        }
      }
    }
  },
});
