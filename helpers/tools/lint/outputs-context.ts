/**
 * The other executions whose context Kestra renders some strings of a flow in:
 * - a Subflow's (deprecated) `outputs` property is rendered when the child execution ends, with
 *   the child's outputs (Subflow.java `createSubflowExecutionResult`, 1.x);
 * - a Flow trigger's conditions are tested with a run context built from the upstream execution
 *   (FlowTriggerService.java: `runContextFactory.of(flow, execution)`), so `outputs.*` there are
 *   the upstream flow's task outputs (and `inputs.*` its inputs: RunVariables.java).
 */
import type { YAMLMap } from 'yaml';
import { isMap, isSeq, stringAt, valueNode } from './source.js';
import { FlowModel, type FlowString, type TaskModel, type TriggerModel } from './flow-model.js';
import type { LintContext } from './rule-context.js';
import { canonicalType, FLOW_TRIGGER, SUBFLOW } from '../../kestra-model/catalog.js';
import { isTemplate } from './templates.js';

const EXECUTION_FLOW_CONDITIONS = new Set([
  'io.kestra.plugin.core.condition.ExecutionFlow',
  'io.kestra.plugin.core.condition.ExecutionFlowCondition',
  'io.kestra.core.models.conditions.types.ExecutionFlowCondition',
]);

function literal(map: YAMLMap, key: string): string | undefined {
  const v = stringAt(map, key);
  return v !== undefined && !isTemplate(v) ? v : undefined;
}

/** The flow a Subflow task calls, when its target is literal and in the repository. */
export function subflowTarget(ctx: LintContext, task: TaskModel): { key: string | undefined; flow: FlowModel | undefined } {
  const ns = literal(task.node, 'namespace');
  const id = literal(task.node, 'flowId');
  if (ns === undefined || id === undefined) return { key: undefined, flow: undefined };
  return { key: `${ns}/${id}`, flow: ctx.repo.get(ns, id) };
}

/**
 * The upstream flows a Flow trigger names (`preconditions.flows`, or legacy ExecutionFlow
 * conditions). `flows` lists only those found in the repository; when any named upstream is
 * missing, or none is named, it is empty (nothing can be checked).
 */
export function flowTriggerUpstreams(ctx: LintContext, flow: FlowModel, trigger: TriggerModel): { keys: string[]; flows: FlowModel[] } {
  const named: { ns: string | undefined; id: string | undefined }[] = [];
  const pre = valueNode(trigger.node, 'preconditions');
  const preFlows = isMap(pre) ? valueNode(pre as YAMLMap, 'flows') : undefined;
  if (isSeq(preFlows)) for (const f of preFlows.items) if (isMap(f)) named.push({ ns: literal(f as YAMLMap, 'namespace'), id: literal(f as YAMLMap, 'flowId') });
  const conditions = valueNode(trigger.node, 'conditions');
  if (isSeq(conditions)) {
    for (const c of conditions.items) {
      if (!isMap(c)) continue;
      const type = stringAt(c as YAMLMap, 'type');
      if (type !== undefined && EXECUTION_FLOW_CONDITIONS.has(canonicalType(type))) named.push({ ns: literal(c as YAMLMap, 'namespace'), id: literal(c as YAMLMap, 'flowId') });
    }
  }
  const keys = named.filter((n) => n.ns !== undefined && n.id !== undefined).map((n) => `${n.ns}/${n.id}`);
  if (named.length === 0 || keys.length !== named.length) return { keys, flows: [] };
  const flows = keys.map((k) => ctx.repo.byKey.get(k)?.[0]).filter((f): f is FlowModel => f !== undefined && f !== flow);
  return { keys, flows: flows.length === keys.length ? flows : [] };
}

/**
 * The flows a string's `outputs.*` / `inputs.*` belong to when Kestra renders it in another
 * execution's context (a Subflow's `outputs` property, a Flow trigger's conditions), or undefined
 * for a string rendered in this flow's execution. `flows` is empty when they are not in the
 * repository (then nothing can be checked).
 */
export function foreignContext(ctx: LintContext, flow: FlowModel, str: FlowString): { what: string; flows: FlowModel[] } | undefined {
  if (str.area === 'task' && str.task?.canonicalType === SUBFLOW && str.path[0] === 'outputs') {
    const target = subflowTarget(ctx, str.task);
    return { what: target.key ? `the subflow ${target.key}` : 'the subflow', flows: target.flow ? [target.flow] : [] };
  }
  if (str.area === 'trigger' && str.trigger?.canonicalType === FLOW_TRIGGER && (str.path[0] === 'conditions' || str.path[0] === 'preconditions')) {
    const upstreams = flowTriggerUpstreams(ctx, flow, str.trigger);
    return { what: upstreams.keys.length ? `the upstream flow ${upstreams.keys.join(' or ')}` : 'the upstream flow', flows: upstreams.flows };
  }
  return undefined;
}
