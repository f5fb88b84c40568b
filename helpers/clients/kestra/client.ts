/**
 * `createKestraClient`: assembles the operations. Each concern lives in its own module:
 * context (transport, auth, tenant mode), webhook, executions, poll, children, deploy, server.
 */
import { createContext, requireText } from './api-context.js';
import { deployNamespace, flowSchema, getFlowSource, validateFlowSource, validateFlows } from './deploy.js';
import { Executions } from './executions.js';
import { pollUntilTerminal } from './poll.js';
import { fanOut } from './progress.js';
import { health, version } from './server-info.js';
import type { KestraClient, KestraClientOptions } from './types.js';
import { fireWebhook } from './webhook.js';

export function createKestraClient(options: KestraClientOptions): KestraClient {
  const ctx = createContext(options);
  const executions = new Executions(ctx);
  return {
    baseUrl: ctx.redactor.url(ctx.base).replace(/\/$/, ''),
    tenant: ctx.tenant,
    apiMode: () => ctx.resolver.current(),
    fireWebhook: (namespace, flowId, key, body, opts) => fireWebhook(ctx, namespace, flowId, key, body, opts),
    getExecution: (id) => executions.get(id),
    waitForTerminal: async (id, opts = {}) => {
      requireText(id, 'execution id');
      return pollUntilTerminal((x) => executions.get(x), id, opts, ctx.clock, fanOut(ctx.emit, opts.onProgress));
    },
    replayExecution: (id) => executions.replay(id),
    searchExecutions: (query) => executions.search(query),
    searchAllExecutions: (query, limit) => executions.searchAll(query, limit),
    findChildren: (parentExecutionId, opts) => executions.findChildren(parentExecutionId, opts),
    waitForChildren: (parentExecutionId, opts) => executions.waitForChildren(parentExecutionId, opts),
    getLogs: (executionId, opts) => executions.logs(executionId, opts),
    deployNamespace: (namespace, flowsYaml, opts) => deployNamespace(ctx, namespace, flowsYaml, opts),
    getFlowSource: (namespace, id) => getFlowSource(ctx, namespace, id),
    validateFlows: (yaml) => validateFlows(ctx, yaml),
    validateFlowSource: (source) => validateFlowSource(ctx, source),
    flowSchema: () => flowSchema(ctx),
    health: () => health(ctx),
    version: () => version(ctx),
  };
}
