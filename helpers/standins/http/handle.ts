/** What every stand-in's start function returns, whatever the service it plays. */
import type { InjectedFault } from './faults.js';
import type { LoggedRequest } from './request-log.js';

export interface StandinHandle<FaultSpec> {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234 — point the client's base URL here. */
  readonly url: string;
  /** Closes the server and every socket (hung ones included). Safe to call twice. */
  stop(): Promise<void>;
  /** Back to the seeded state: data, faults, request log and rate-limit buckets. */
  reset(): void;
  /** The next `times` calls matching the spec fail as `kind` says. */
  injectFault(spec: FaultSpec): InjectedFault;
  /** Withdraws every pending fault and frees hung responses. */
  clearFaults(): void;
  /** Every request received so far (test-only endpoints excluded), oldest first. */
  requests(): LoggedRequest[];
  /** Exceptions the crash guard caught (each answered 500); empty when nothing went wrong. */
  crashes(): unknown[];
}
