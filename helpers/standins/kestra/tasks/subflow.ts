/**
 * Subflow (Subflow.java, ExecutableUtils#subflowExecution): inputs rendered (strings only; other
 * literals kept), read by the CHILD's input types — an invalid one fails the PARENT task and creates
 * nothing; child labels = child flow labels + the parent's `system.*` labels (all of them with
 * inheritLabels) + the task's `labels`; trigger {id: taskId, type: Subflow, variables {executionId,
 * namespace, flowId, flowRevision}}; `scheduleDate` (a date-time with zone) keeps the child CREATED
 * until the clock reaches it; `wait: false` → task SUCCESS at once with outputs {executionId, state};
 * `wait: true` → outputs {executionId, state, outputs} when the child ends, state by
 * ExecutableUtils#guessState (transmitFailed).
 */
import { isMap, javaToString } from '../../../kestra-model/pebble/values.js';
import { describeViolations, resolveInputs } from '../inputs.js';
import { State, type Label, type StateType } from '../model.js';
import type { ExecutionRecord } from '../records.js';
import { renderDeep, renderText } from '../render.js';
import { parseZonedDateTime } from '../time.js';
import { TaskFailure, type TaskContext } from './context.js';

export const SUBFLOW_TYPE = 'io.kestra.plugin.core.flow.Subflow';

export async function runSubflow(ctx: TaskContext): Promise<StateType> {
  const { task, tr, host } = ctx;
  const parent = ctx.scope.exec;
  const props = task.props;
  let child: ExecutionRecord;
  try {
    const renderScope = ctx.render();
    const namespace = renderText(props.namespace, renderScope);
    const flowId = renderText(props.flowId, renderScope);
    const flow = host.flows.get(namespace, flowId);
    if (!flow) throw new TaskFailure(`Unable to find flow '${namespace}'.'${flowId}' with revision '0'`);
    if (flow.disabled) throw new TaskFailure('Cannot execute a flow which is disabled');
    const rendered = renderDeep(props.inputs ?? {}, renderScope) as Record<string, unknown>;
    const labels: Label[] = [...flow.labels];
    labels.push(...(props.inheritLabels === true ? parent.labels : parent.labels.filter((l) => l.key.startsWith('system.'))));
    const taskLabels = renderDeep(props.labels ?? [], renderScope);
    if (Array.isArray(taskLabels)) {
      for (const l of taskLabels) if (isMap(l)) labels.push({ key: javaToString(l.key), value: javaToString(l.value) });
    } else if (isMap(taskLabels)) {
      for (const [key, value] of Object.entries(taskLabels)) labels.push({ key, value: javaToString(value) });
    }
    let scheduleDate: Date | undefined;
    if (props.scheduleDate !== undefined && props.scheduleDate !== null) {
      const text = renderText(props.scheduleDate, renderScope);
      scheduleDate = parseZonedDateTime(text);
      if (!scheduleDate) throw new TaskFailure(`Invalid scheduleDate '${text}': expected an ISO-8601 date-time with a zone offset, e.g. 2025-12-02T10:30:00Z`);
    }
    const resolved = resolveInputs(flow.inputs, rendered);
    if (!resolved.ok) throw new TaskFailure(describeViolations(resolved.violations));
    child = host.create(flow, {
      id: host.newId(),
      inputs: resolved.values,
      labels,
      trigger: {
        id: task.id,
        type: SUBFLOW_TYPE,
        variables: { executionId: parent.id, namespace: parent.flow.namespace, flowId: parent.flow.id, flowRevision: parent.flow.revision },
      },
      ...(scheduleDate ? { scheduleDate } : {}),
    });
  } catch (error) {
    ctx.log('ERROR', (error as Error).message);
    return 'FAILED';
  }
  tr.attempts.push(new State('RUNNING', host.now()));
  host.dispatch(child);
  ctx.log('INFO', `Created execution ${child.id} of ${child.flow.namespace}.${child.flow.id}${child.scheduleDate ? ` scheduled for ${child.scheduleDate.toISOString()}` : ''}`);
  if (props.wait === false) {
    tr.outputs = { executionId: child.id, state: child.state.current };
    tr.attempts[tr.attempts.length - 1]!.to('SUCCESS', host.now());
    return 'SUCCESS';
  }
  await host.waitFor(child);
  const outputs: Record<string, unknown> = { executionId: child.id, state: child.state.current };
  // Subflow.Output is serialised without nulls: no `outputs` key when the child has none (or they failed to render).
  if (Object.keys(child.outputs).length > 0) outputs.outputs = child.outputs;
  tr.outputs = outputs;
  const childState = child.state.current;
  const transmitFailed = props.transmitFailed !== false;
  const state: StateType = transmitFailed && ['FAILED', 'KILLED', 'WARNING', 'PAUSED'].includes(childState) ? childState : 'SUCCESS';
  tr.attempts[tr.attempts.length - 1]!.to(state === 'PAUSED' ? 'FAILED' : state, host.now());
  return state;
}
