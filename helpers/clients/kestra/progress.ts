/** What the client reports while it works. URLs are redacted; no event carries a secret. */
export type KestraProgressEvent =
  | { type: 'request'; method: string; url: string; attempt: number }
  | { type: 'retry'; method: string; url: string; attempt: number; delayMs: number; reason: string }
  | { type: 'api-mode'; mode: 'tenant' | 'tenantless'; reason: string }
  | { type: 'search-syntax'; syntax: 'filters' | 'legacy'; reason: string }
  | { type: 'poll'; executionId: string; state: string | undefined; poll: number; elapsedMs: number; nextDelayMs: number }
  | { type: 'terminal'; executionId: string; state: string; elapsedMs: number }
  | { type: 'children'; parentExecutionId: string; found: number; poll: number; elapsedMs: number }
  | { type: 'deploy'; namespace: string; flowId: string; action: 'created' | 'updated' | 'upserted' };

export type ProgressListener = (event: KestraProgressEvent) => void;

/** Calls every listener; a listener that throws must not break the client. */
export function fanOut(...listeners: (ProgressListener | undefined)[]): ProgressListener {
  const active = listeners.filter((l): l is ProgressListener => typeof l === 'function');
  return (event) => {
    for (const l of active) {
      try {
        l(event);
      } catch {
        /* progress is best effort */
      }
    }
  };
}
