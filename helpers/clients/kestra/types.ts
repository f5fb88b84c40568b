/** Public option and result types of the Kestra client. */
import type { Dispatcher } from 'undici';
import type { FindChildrenOptions } from './children.js';
import type { FlowValidationResult } from './flows.js';
import type { PollTiming, WaitForTerminalOptions } from './poll.js';
import type { ProgressListener } from './progress.js';
import type { RetryOptions } from './retry.js';
import type { ApiMode } from './routes.js';
import type { Execution, FlowWithSource, LogEntry, LogLevel, PagedResults, ValidateConstraintViolation, WebhookExecution } from './schemas.js';
import type { ExecutionSearch } from './search.js';

export interface KestraClientOptions {
  /** e.g. `https://kestra.galatek.dev` or `http://localhost:8080`. User-info in the URL is used as `auth`. */
  baseUrl: string;
  /** Default `main` (SPEC §9). */
  tenant?: string;
  /** `auto` (default) detects tenant vs tenant-less routes once; the others force a mode. */
  apiMode?: 'auto' | ApiMode;
  auth?: { username: string; password: string };
  /** Micronaut management server (Kestra: port 8081), for `health()`. */
  managementUrl?: string;
  /** undici dispatcher; tests pass a MockAgent. Default: undici's global dispatcher. */
  dispatcher?: Dispatcher;
  /** Per attempt. Default 30 000. */
  timeoutMs?: number;
  retry?: Partial<RetryOptions>;
  onProgress?: ProgressListener;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** For the backoff jitter; tests pin it. */
  random?: () => number;
}

export interface FireWebhookOptions {
  /** Use `/api/v1/executions/webhook/…` regardless of the detected mode. */
  tenantless?: boolean;
  /**
   * Send the Basic credentials. Default FALSE: the website calls webhooks without credentials, so
   * the harness does too — a webhook path missing from `basic-auth.open-urls` then shows up as 401.
   */
  withAuth?: boolean;
}

export interface WebhookResult {
  /** 200: execution created; 204: the trigger's conditions did not match (no execution). */
  status: number;
  execution?: WebhookExecution;
}

export interface GetLogsOptions {
  minLevel?: LogLevel;
  taskId?: string;
}

export interface DeployOptions {
  /** Only `false` is accepted: this client never deletes flows. */
  delete?: false;
  /**
   * `per-flow` (default): GET each flow, then PUT (exists) or POST (new) it — one flow per
   * request, nothing else in the namespace is touched, no `---` splitting.
   * `namespace-bulk`: one `POST /flows/{namespace}?delete=false`; refused if a source contains `---`.
   */
  strategy?: 'per-flow' | 'namespace-bulk';
  /** Validate every flow first (`POST /flows/validate`) and deploy nothing if one is invalid. Default true. */
  validate?: boolean;
}

export interface DeployedFlow {
  id: string;
  namespace: string;
  revision?: number;
  /** `upserted`: namespace-bulk cannot tell created from updated. */
  action: 'created' | 'updated' | 'upserted';
}

export interface DeployResult {
  namespace: string;
  strategy: 'per-flow' | 'namespace-bulk';
  flows: DeployedFlow[];
  validation: FlowValidationResult[];
}

export interface WaitForChildrenOptions extends FindChildrenOptions, PollTiming {
  /** Resolve once at least this many children are visible. */
  atLeast: number;
  onProgress?: ProgressListener;
}

export interface KestraHealth {
  ok: boolean;
  /** `UP`, `DOWN`, … (management), `UP` or `UNREACHABLE` (API fallback). */
  status: string;
  source: 'management' | 'api';
  version?: string;
  /** Why the management check or the API call failed (redacted). */
  error?: string;
}

export interface KestraVersionInfo {
  version: string;
  commitId?: string;
  commitDate?: string;
  edition?: string;
}

export interface KestraClient {
  /** Without credentials. */
  readonly baseUrl: string;
  readonly tenant: string;
  /** The detected (or forced) route mode; `undefined` until known. */
  apiMode(): ApiMode | undefined;
  fireWebhook(namespace: string, flowId: string, key: string, body: unknown, opts?: FireWebhookOptions): Promise<WebhookResult>;
  getExecution(id: string): Promise<Execution>;
  waitForTerminal(id: string, opts?: WaitForTerminalOptions): Promise<Execution>;
  /** Runs a finished execution again from the start, as a new execution with the same inputs and labels (Kestra's "Replay"). */
  replayExecution(id: string): Promise<Execution>;
  searchExecutions(query?: ExecutionSearch): Promise<PagedResults<Execution>>;
  /** Every page of a search (at most `limit`, default 2 000). */
  searchAllExecutions(query?: Omit<ExecutionSearch, 'page' | 'size'>, limit?: number): Promise<Execution[]>;
  findChildren(parentExecutionId: string, opts?: FindChildrenOptions): Promise<Execution[]>;
  waitForChildren(parentExecutionId: string, opts: WaitForChildrenOptions): Promise<Execution[]>;
  getLogs(executionId: string, opts?: GetLogsOptions): Promise<LogEntry[]>;
  deployNamespace(namespace: string, flowsYaml: readonly string[], opts?: DeployOptions): Promise<DeployResult>;
  getFlowSource(namespace: string, id: string): Promise<FlowWithSource>;
  validateFlows(yaml: string | readonly string[]): Promise<FlowValidationResult[]>;
  /** One flow source, the server's answer for it as sent (`constraints` unsplit); undefined when it answers `[]`. */
  validateFlowSource(source: string): Promise<ValidateConstraintViolation | undefined>;
  /** The flow JSON Schema of the server's installed plugins (`GET /api/v1/plugins/schemas/flow`). */
  flowSchema(): Promise<unknown>;
  health(): Promise<KestraHealth>;
  version(): Promise<KestraVersionInfo>;
}
