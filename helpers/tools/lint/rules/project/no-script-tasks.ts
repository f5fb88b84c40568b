import { isMap } from 'yaml';
import type { YAMLMap } from 'yaml';
import { defineRule, examples, lintedFlows } from '../../rule.js';
import { FlowModel } from '../../flow-model.js';
import { stringAt, valueNode } from '../../source.js';

const ID = 'no-script-tasks';

const SCRIPT_TYPE = /^io\.kestra\.(plugin\.scripts\.|core\.tasks\.scripts\.|plugin\.docker\.|plugin\.core\.runner\.)/;

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'project',
  description: 'No script tasks and no Docker task runner: the flows use core plugins only.',
  doc: 'SPEC §8: the flows use core plugins only (HTTP Request, Log, Subflow, If/Switch, …), so the Kestra container needs no Docker socket. Script tasks (`io.kestra.plugin.scripts.*`, the legacy `io.kestra.core.tasks.scripts.*`), Docker tasks, and any `taskRunner`/`runner: DOCKER`/`containerImage` are reported.',
  examples: examples(ID, ['offending-script.yml', 'offending-runner.yml'], ['clean.yml']),
  *check(ctx) {
    for (const flow of lintedFlows(ctx)) {
      for (const task of flow.tasks) {
        if (task.type && SCRIPT_TYPE.test(task.type)) {
          yield flow.file.at(task.typeNode, `${task.type} runs a script or a container: the flows use core plugins only (SPEC §8)`);
          continue;
        }
        const runner = FlowModel.node(task, 'taskRunner');
        if (runner !== undefined) {
          const type = isMap(runner) ? stringAt(runner as YAMLMap, 'type') : undefined;
          yield flow.file.at(isMap(runner) ? valueNode(runner as YAMLMap, 'type') ?? runner : runner, `task '${task.id}' uses a task runner${type ? ` (${type})` : ''}: the flows run no containers (SPEC §8)`);
        }
        const legacy = FlowModel.str(task, 'runner');
        if (legacy && /docker/i.test(legacy)) yield flow.file.at(FlowModel.node(task, 'runner'), `task '${task.id}' runs in Docker: the flows run no containers (SPEC §8)`);
      }
    }
  },
});
