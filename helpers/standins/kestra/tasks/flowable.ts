/**
 * Flowable tasks: If, Switch, Sequential. They take the worst state of their children.
 *  - If (If.java): `condition` rendered → TruthUtils.isTruthy; no `else` and false → SUCCESS;
 *    output evaluationResult;
 *  - Switch: first case whose key equals the rendered `value`, else `defaults`; neither → a WARN log
 *    "No task found …" and FAILED (FlowableUtils#resolveState); outputs value, defaults;
 *  - Sequential: its `tasks` in order.
 */
import { isMap } from '../../../kestra-model/pebble/values.js';
import type { TaskDef } from '../flow.js';
import type { StateType } from '../model.js';
import { isTruthy, renderText } from '../render.js';
import type { TaskContext } from './context.js';

export const FLOWABLE_TYPES: ReadonlySet<string> = new Set(['io.kestra.plugin.core.flow.If', 'io.kestra.plugin.core.flow.Switch', 'io.kestra.plugin.core.flow.Sequential']);

export async function runFlowable(ctx: TaskContext): Promise<StateType> {
  const { task, tr, scope } = ctx;
  const { exec } = scope;
  const props = task.props;
  let branch: readonly TaskDef[] | undefined;
  try {
    const renderScope = ctx.render();
    if (task.type === 'io.kestra.plugin.core.flow.If') {
      const result = isTruthy(renderText(props.condition, renderScope));
      tr.outputs = { evaluationResult: result };
      branch = result ? task.children.then : task.children.else;
      if (!branch || branch.length === 0) return 'SUCCESS';
    } else if (task.type === 'io.kestra.plugin.core.flow.Switch') {
      const value = renderText(props.value, renderScope);
      const caseKeys = Object.keys(isMap(props.cases) ? props.cases : {});
      const matched = caseKeys.find((k) => k === value);
      tr.outputs = { value, defaults: matched === undefined };
      branch = matched !== undefined ? task.children[`cases.${matched}`] : task.children.defaults;
      if (!branch) {
        ctx.log('WARN', `No task found on flow '${exec.flow.namespace}.${exec.flow.id}', task '${task.id}', execution '${exec.id}'`);
        return 'FAILED';
      }
    } else {
      branch = task.children.tasks ?? [];
    }
  } catch (error) {
    ctx.log('ERROR', (error as Error).message);
    return 'FAILED';
  }
  // the flowable's outputs are visible to its children
  if (tr.outputs) scope.outputs[task.id] = tr.outputs;
  const outcome = await ctx.host.runList(branch, tr, scope);
  if (outcome === 'exit') return tr.state.current;
  if (outcome === 'failed') return 'FAILED';
  const children = exec.taskRuns.filter((c) => c.parentTaskRunId === tr.id);
  return children.some((c) => c.state.current === 'WARNING') ? 'WARNING' : 'SUCCESS';
}
