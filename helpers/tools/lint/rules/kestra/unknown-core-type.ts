import { defineRule, examples, lintedFlows } from '../../rule.js';
import { coreKind, isCoreNamespace, suggestCoreType } from '../../../../kestra-model/catalog.js';

const ID = 'unknown-core-type';

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'kestra',
  description: 'Task and trigger types in Kestra\'s core packages exist ("did you mean …").',
  doc: "A `type` under `io.kestra.plugin.core.` (or the legacy `io.kestra.core.` packages) must name a core class or one of its aliases; a misspelling (`io.kestra.plugin.core.flow.SubFlow`, `…http.request`) or a short name without a package (`Log`) is reported with the closest core type. A core trigger used as a task, or a task used as a trigger, is reported too. Types of other plugins are not checked offline (use `--server` for them).",
  examples: examples(ID, ['offending-typo.yml', 'offending-short.yml', 'offending-trigger-as-task.yml'], ['clean.yml']),
  *check(ctx) {
    for (const flow of lintedFlows(ctx)) {
      const items = [
        ...flow.tasks.map((t) => ({ what: 'task' as const, id: t.id, type: t.type, typeNode: t.typeNode, node: t.node })),
        ...flow.triggers.map((t) => ({ what: 'trigger' as const, id: t.id, type: t.type, typeNode: t.typeNode, node: t.node })),
      ];
      for (const item of items) {
        if (item.type === undefined) {
          yield flow.file.at(item.node, `${item.what} '${item.id ?? '?'}' has no type`);
          continue;
        }
        const kind = coreKind(item.type);
        if (kind !== undefined) {
          if (kind !== item.what) yield flow.file.at(item.typeNode, `${item.type} is a ${kind}, not a ${item.what}: move it to ${kind === 'trigger' ? 'triggers' : 'tasks'}`);
          continue;
        }
        if (isCoreNamespace(item.type) || !item.type.includes('.')) {
          const guess = suggestCoreType(item.type, item.what);
          yield flow.file.at(item.typeNode, `unknown ${item.what} type '${item.type}'${guess ? ` — did you mean ${guess}?` : ''}`);
        }
      }
    }
  },
});
