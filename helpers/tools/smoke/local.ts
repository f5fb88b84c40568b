/**
 * The smoke's dependencies wired to the embedded stand-in stack (helpers/standins/stack.ts), so
 * the production smoke's code runs offline, in seconds, on a virtual clock — used by the unit
 * specs, and handy to try a change of the smoke without touching production.
 *
 *   const stack = await startLocalStack({ retryDelayScale: 0.01 });
 *   const { deps, requests } = localSmokeDeps(stack);
 *   await runSmoke(deps, { runId: 'smoke-try', email: testIdentityFor('smoke-try'), ledgerFile: null });
 *   requests();   // every HTTP request the smoke's own clients made (method, origin, path)
 *
 * `requests()` comes from a recording undici dispatcher shared by the Kestra client and the Kestra
 * admin (the Notion client speaks through fetch and is not recorded; the Notion stand-in keeps its
 * own log).
 */
import { Agent, type Dispatcher } from 'undici';
import { createResendReadBack } from '../../clients/resend/read-back.js';
import type { LocalStack } from '../../standins/stack.js';
import type { Target } from '../../targets/types.js';
import { localTargetFor } from '../../targets/local.js';
import { createKestraAdmin } from '../../clients/kestra/admin.js';
import { notionClient } from './notion-schema.js';
import type { SmokeDeps } from './run.js';

export interface RecordedRequest {
  method: string;
  origin: string;
  /** Path and query. */
  path: string;
}

/** An undici Agent that records every request it dispatches, then sends it for real. */
export class RecordingAgent extends Agent {
  readonly recorded: RecordedRequest[] = [];

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    this.recorded.push({ method: String(options.method), origin: String(options.origin ?? ''), path: String(options.path) });
    return super.dispatch(options, handler);
  }
}

export function localSmokeDeps(stack: LocalStack, options: { log?: (line: string) => void } = {}): { deps: SmokeDeps; target: Target; requests: () => RecordedRequest[]; dispatcher: RecordingAgent } {
  const dispatcher = new RecordingAgent();
  const auth = stack.credentials.kestra || undefined;
  const target = localTargetFor(stack, { ownsStack: false, dispatcher });
  const deps: SmokeDeps = {
    target,
    admin: createKestraAdmin({ baseUrl: stack.kestra.url, ...(auth ? { auth } : {}), dispatcher }),
    notionSchema: { client: notionClient({ token: stack.notion.token, baseUrl: stack.notion.url }), dataSourceIds: stack.notion.dataSourceIds },
    resend: createResendReadBack({ apiKey: stack.resend.apiKey, baseUrl: stack.resend.url, dispatcher }),
    ...(options.log ? { log: options.log } : {}),
  };
  return { deps, target, requests: () => [...dispatcher.recorded], dispatcher };
}
