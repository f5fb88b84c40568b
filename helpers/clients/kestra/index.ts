/**
 * Kestra REST client for the harness (Kestra 1.x, tenant `main`, with a tenant-less fallback).
 *
 *   const kestra = createKestraClient({ baseUrl, auth: { username, password } });
 *   const { execution } = await kestra.fireWebhook('christmas.handlers', 'signup-handler', key, payload);
 *   const done = await kestra.waitForTerminal(execution!.id, { deadlineMs: 60_000 });
 *   const scheduled = await kestra.waitForChildren(execution!.id, { atLeast: 3, deadlineMs: 10_000 });
 *
 * Guarantees: responses are validated (one KestraResponseShapeError naming endpoint and field);
 * retries only on network errors/5xx/429 (webhooks: only when no execution can have been created);
 * secrets never appear in errors or progress; flows are never deleted (see routes.ts).
 */
export { createKestraClient } from './client.js';
export type {
  DeployedFlow, DeployOptions, DeployResult, FireWebhookOptions, GetLogsOptions, KestraClient, KestraClientOptions,
  KestraHealth, KestraVersionInfo, WaitForChildrenOptions, WebhookResult,
} from './types.js';
export type { FindChildrenOptions } from './children.js';
export { isSubflowChild } from './children.js';
export {
  KestraError, KestraHttpError, KestraNetworkError, KestraResponseShapeError, KestraTimeoutError, KestraUsageError,
  KestraValidationError, type ShapeIssue,
} from './errors.js';
export type { FlowValidationResult } from './flows.js';
export type { PollTiming, WaitForTerminalOptions } from './poll.js';
export type { KestraProgressEvent, ProgressListener } from './progress.js';
export { DEFAULT_RETRY, type RetryOptions } from './retry.js';
export type { ApiMode } from './routes.js';
export {
  isTerminalState, KNOWN_STATE_TYPES, LOG_LEVELS, TERMINAL_STATES,
  type Execution, type ExecutionState, type ExecutionTrigger, type Flow, type FlowWithSource, type KnownStateType, type Label,
  type LogEntry, type LogLevel, type PagedResults, type StateHistory, type StateType, type TaskRun, type WebhookExecution,
} from './schemas.js';
export { parentExecutionIdOf, type ExecutionSearch } from './search.js';
