/**
 * Exit (Exit.java): ends the execution NOW in the given state; the Exit task run and its parents
 * take it too (Exit#update); nothing after it runs.
 */
import type { StateType } from '../model.js';
import { renderText } from '../render.js';
import type { TaskContext } from './context.js';

export const EXIT_TYPE = 'io.kestra.plugin.core.execution.Exit';

const EXIT_STATES: Record<string, StateType> = { SUCCESS: 'SUCCESS', WARNING: 'WARNING', KILLED: 'KILLED', FAILED: 'FAILED', CANCELED: 'CANCELLED' };

/** The state the Exit ends the execution in; a bad `state` throws Jackson's enum message. */
export function exitState(ctx: TaskContext): StateType {
  const raw = renderText(ctx.task.props.state ?? 'SUCCESS', ctx.render());
  const found = EXIT_STATES[raw];
  if (!found) throw new Error(`Cannot deserialize value of type \`ExitState\` from String "${raw}": not one of the values accepted for Enum class: [SUCCESS, WARNING, KILLED, FAILED, CANCELED]`);
  return found;
}

/** Exit#update: the Exit task run and every parent task run take the exit state; the scope records it. */
export function applyExit(ctx: TaskContext, state: StateType): StateType {
  const { tr, scope } = ctx;
  const now = ctx.host.now();
  tr.state.to(state, now);
  let parentId = tr.parentTaskRunId;
  while (parentId) {
    const parentRun = scope.exec.taskRuns.find((t) => t.id === parentId);
    if (!parentRun) break;
    parentRun.state.to(state, now);
    parentId = parentRun.parentTaskRunId;
  }
  scope.exit = state;
  return state;
}
