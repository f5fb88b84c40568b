/**
 * Cross-flow analysis the project rules share: Subflow calls, which flows a flow can reach, and
 * which emails a handler schedules (following literal Subflow inputs and the Switch cases they
 * select). Expectations are never read from here — only what the flows do.
 */
import type { Node, Scalar, YAMLMap } from 'yaml';
import { isMap, isScalar, scalarString, valueNode, keyNode } from './source.js';
import { FlowModel, type TaskModel } from './flow-model.js';
import type { RepositoryIndex } from './rule-context.js';
import { FOR_EACH_ITEM, HTTP_REQUEST, SUBFLOW, SWITCH } from '../../kestra-model/catalog.js';
import { isTemplate } from './templates.js';
import { SEND_EMAIL_FLOW } from '../../spec/endpoints.js';

export interface CallInput {
  key: string;
  keyNode: Node;
  value: string | undefined;
  valueNode: Node | undefined;
}

export interface SubflowCall {
  flow: FlowModel;
  task: TaskModel;
  /** Literal target (undefined when missing or computed by an expression). */
  namespace: string | undefined;
  flowId: string | undefined;
  namespaceNode: Node | undefined;
  flowIdNode: Node | undefined;
  inputs: CallInput[];
  inputsNode: YAMLMap | undefined;
  /** Kestra's default is `wait: true`. */
  wait: boolean;
  waitNode: Node | undefined;
  scheduleDateNode: Node | undefined;
}

const callsCache = new WeakMap<FlowModel, SubflowCall[]>();

/** Subflow and ForEachItem tasks of a flow. */
export function subflowCalls(flow: FlowModel): SubflowCall[] {
  const cached = callsCache.get(flow);
  if (cached) return cached;
  const out: SubflowCall[] = [];
  for (const task of flow.tasks) {
    if (task.canonicalType !== SUBFLOW && task.canonicalType !== FOR_EACH_ITEM) continue;
    const ns = FlowModel.str(task, 'namespace');
    const id = FlowModel.str(task, 'flowId');
    const inputsNode = FlowModel.map(task, 'inputs');
    const inputs: CallInput[] = [];
    for (const pair of inputsNode?.items ?? []) {
      const key = scalarString(pair.key);
      if (key === undefined) continue;
      inputs.push({ key, keyNode: pair.key as Node, value: scalarString(pair.value), valueNode: (pair.value ?? undefined) as Node | undefined });
    }
    const waitNode = flow.effectiveNode(task, 'wait');
    const wait = scalarString(waitNode);
    out.push({
      flow,
      task,
      namespace: ns !== undefined && !isTemplate(ns) ? ns : undefined,
      flowId: id !== undefined && !isTemplate(id) ? id : undefined,
      namespaceNode: FlowModel.node(task, 'namespace'),
      flowIdNode: FlowModel.node(task, 'flowId'),
      inputs,
      inputsNode,
      wait: task.canonicalType === FOR_EACH_ITEM ? true : wait === undefined ? true : wait !== 'false',
      waitNode,
      scheduleDateNode: flow.effectiveNode(task, 'scheduleDate'),
    });
  }
  callsCache.set(flow, out);
  return out;
}

export function targetOf(repo: RepositoryIndex, call: SubflowCall): FlowModel | undefined {
  return call.namespace !== undefined && call.flowId !== undefined ? repo.get(call.namespace, call.flowId) : undefined;
}

export const SEND_EMAIL_KEY = `${SEND_EMAIL_FLOW.namespace}/${SEND_EMAIL_FLOW.flowId}`;

/** An HTTP Request that sends an email through Resend (`…resend…/emails`). */
export function isResendSend(task: TaskModel): boolean {
  if (task.canonicalType !== HTTP_REQUEST) return false;
  const uri = FlowModel.str(task, 'uri') ?? '';
  return /resend/i.test(uri) && /\/emails(\b|$|\?)/.test(uri);
}

/**
 * Does this flow send an email — directly (a Resend request), by being the send-email flow, or
 * through any flow it calls? Returns the chain of flow keys that leads to the send.
 */
export function sendPath(repo: RepositoryIndex, flow: FlowModel, seen: Set<FlowModel> = new Set()): string[] | undefined {
  if (flow.key === SEND_EMAIL_KEY) return [flow.key];
  if (seen.has(flow)) return undefined;
  seen.add(flow);
  if (flow.tasks.some(isResendSend)) return [flow.key ?? '?'];
  for (const call of subflowCalls(flow)) {
    const target = targetOf(repo, call);
    if (!target) continue;
    const rest = sendPath(repo, target, seen);
    if (rest) return [flow.key ?? '?', ...rest];
  }
  return undefined;
}

const reachesSendCache = new WeakMap<RepositoryIndex, Map<FlowModel, boolean>>();
export function reachesSend(repo: RepositoryIndex, flow: FlowModel): boolean {
  let m = reachesSendCache.get(repo);
  if (!m) reachesSendCache.set(repo, (m = new Map()));
  let r = m.get(flow);
  if (r === undefined) {
    r = sendPath(repo, flow) !== undefined;
    m.set(flow, r);
  }
  return r;
}

// --- what a handler schedules ---------------------------------------------------------------

/** Literal values bound to a flow's inputs along a chain of Subflow calls. */
export type Bindings = ReadonlyMap<string, { value: string; node: Node | undefined; flow: FlowModel }>;

const INPUT_REF = /^\s*\{\{-?\s*inputs\.([A-Za-z0-9_]+)\s*-?\}\}\s*$/;

/** The inputs a call passes, resolved: literals, and `{{ inputs.x }}` pass-throughs of bound inputs. */
export function bindCall(call: SubflowCall, bindings: Bindings): Map<string, { value: string; node: Node | undefined; flow: FlowModel }> {
  const out = new Map<string, { value: string; node: Node | undefined; flow: FlowModel }>();
  for (const input of call.inputs) {
    if (input.value === undefined) continue;
    const ref = INPUT_REF.exec(input.value);
    if (ref) {
      const bound = bindings.get(ref[1]!);
      if (bound) out.set(input.key, bound);
    } else if (!isTemplate(input.value)) {
      out.set(input.key, { value: input.value, node: input.valueNode, flow: call.flow });
    }
  }
  return out;
}

/** Is a task skipped given the bindings? (A Switch on a bound input only runs the matching case.) */
export function isSkipped(task: TaskModel, bindings: Bindings): boolean {
  for (let child: TaskModel = task, p = task.parent; p; child = p, p = p.parent) {
    if (p.canonicalType !== SWITCH) continue;
    const value = FlowModel.str(p, 'value');
    const ref = value === undefined ? null : INPUT_REF.exec(value);
    const bound = ref ? bindings.get(ref[1]!) : undefined;
    if (!bound) continue;
    const cases = FlowModel.map(p, 'cases');
    const caseKeys = (cases?.items ?? []).map((i) => scalarString(i.key));
    const selected = caseKeys.includes(bound.value) ? `cases.${bound.value}` : 'defaults';
    if (child.branch.startsWith('cases.') || child.branch === 'defaults') {
      if (child.branch !== selected) return true;
    }
  }
  return false;
}

export interface ScheduledEmail {
  /** The Subflow call that schedules one email (its target reaches the send-email flow). */
  call: SubflowCall;
  /** Its inputs, resolved through the chain of calls. */
  inputs: Map<string, { value: string; node: Node | undefined; flow: FlowModel }>;
  /** Flow keys from the handler to the call. */
  chain: string[];
}

/**
 * The emails a flow schedules: Subflow calls carrying a literal `email_number` whose target sends
 * (is or reaches the send-email flow), found by following Subflow calls from `flow` with the
 * inputs bound so far and only the Switch cases those inputs select.
 */
export function scheduledEmails(repo: RepositoryIndex, flow: FlowModel, bindings: Bindings = new Map(), chain: string[] = [], depth = 0): ScheduledEmail[] {
  if (depth > 8) return [];
  const out: ScheduledEmail[] = [];
  const here = [...chain, flow.key ?? '?'];
  for (const call of subflowCalls(flow)) {
    if (isSkipped(call.task, bindings)) continue;
    const target = targetOf(repo, call);
    if (!target) continue;
    const bound = bindCall(call, bindings);
    if (bound.has('email_number') && reachesSend(repo, target)) {
      out.push({ call, inputs: bound, chain: here });
    } else if (!chain.includes(target.key ?? '')) {
      out.push(...scheduledEmails(repo, target, bound, here, depth + 1));
    }
  }
  return out;
}

export function numberOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  // ISO 8601 durations (PT24H, P1D, PT5M) as minutes
  const iso = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i.exec(t);
  if (iso && t.length > 1 && t.toUpperCase() !== 'PT') {
    return Number(iso[1] ?? 0) * 1440 + Number(iso[2] ?? 0) * 60 + Number(iso[3] ?? 0) + Number(iso[4] ?? 0) / 60;
  }
  return undefined;
}

export function mapValue(map: YAMLMap | undefined, key: string): Node | undefined {
  return valueNode(map, key);
}

export { keyNode, isMap, isScalar };
export type { Scalar };
