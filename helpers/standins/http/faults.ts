/**
 * Fault injection shared by the stand-ins: "the next N calls that match fail like this".
 * A rule matches a call (the stand-in decides what a call is: its route name, its data source…);
 * each match uses up one of its `times`. Hung responses are held here so reset/stop can free them.
 */
import type { ServerResponse } from 'node:http';

/**
 * - `429`: the service's rate-limit answer (its body and a `retry-after` of 1 s), as if the bucket ran dry;
 * - `500` / `503`: the service's own error body for that status;
 * - `'hang'`: no response at all, until the client gives up or the stand-in is reset/stopped;
 * - `'reset'`: the connection is cut without a response (a network error for the client);
 * - `'lose-response'`: the request IS processed, then the connection is cut before the answer —
 *   the case an idempotent retry exists for;
 * - `'throw'`: the handler throws, to prove the crash guard answers 500 and keeps serving.
 */
export const FAULT_KINDS = [429, 500, 503, 'hang', 'reset', 'lose-response', 'throw'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export function isFaultKind(value: unknown): value is FaultKind {
  return (FAULT_KINDS as readonly unknown[]).includes(value);
}

/** A live view of one injected fault. */
export interface InjectedFault {
  readonly id: string;
  readonly kind: FaultKind;
  readonly description: string;
  /** Matching calls it will still fail. */
  readonly remaining: number;
  /** Matching calls it has failed so far. */
  readonly triggered: number;
  /** Withdraws the fault before it is used up. */
  clear(): void;
}

interface Rule<Call> {
  id: string;
  kind: FaultKind;
  description: string;
  remaining: number;
  triggered: number;
  matches: (call: Call) => boolean;
}

export class FaultInjector<Call> {
  #rules: Rule<Call>[] = [];
  #nextId = 1;
  readonly #held = new Set<ServerResponse>();

  add(spec: { matches: (call: Call) => boolean; kind: FaultKind; times?: number; description: string }): InjectedFault {
    const times = spec.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new Error(`fault "${spec.description}": times must be a whole number ≥ 1 (got ${String(spec.times)})`);
    if (!isFaultKind(spec.kind)) throw new Error(`fault "${spec.description}": kind must be one of ${FAULT_KINDS.join(', ')} (got ${String(spec.kind)})`);
    const rule: Rule<Call> = { id: `fault-${this.#nextId++}`, kind: spec.kind, description: spec.description, remaining: times, triggered: 0, matches: spec.matches };
    this.#rules.push(rule);
    const rules = () => this.#rules;
    const remove = () => {
      this.#rules = this.#rules.filter((r) => r !== rule);
    };
    return {
      id: rule.id,
      kind: rule.kind,
      description: rule.description,
      get remaining() {
        return rules().includes(rule) ? rule.remaining : 0;
      },
      get triggered() {
        return rule.triggered;
      },
      clear: remove,
    };
  }

  /** The fault this call must suffer, if any; using it up. A matcher that throws matches nothing. */
  take(call: Call): FaultKind | undefined {
    const rule = this.#rules.find((r) => {
      try {
        return r.matches(call);
      } catch {
        return false;
      }
    });
    if (!rule) return undefined;
    rule.remaining -= 1;
    rule.triggered += 1;
    if (rule.remaining <= 0) this.#rules = this.#rules.filter((r) => r !== rule);
    return rule.kind;
  }

  /** Pending faults, for the test-only HTTP endpoint. */
  pending(): { id: string; kind: FaultKind; description: string; remaining: number }[] {
    return this.#rules.map(({ id, kind, description, remaining }) => ({ id, kind, description, remaining }));
  }

  /** Keeps a response open without answering (a 'hang'); it is freed by {@link releaseHeld}. */
  hold(res: ServerResponse): void {
    this.#held.add(res);
    res.on('close', () => this.#held.delete(res));
  }

  /** Cuts every held connection: the client sees a socket error instead of waiting forever. */
  releaseHeld(): void {
    for (const res of this.#held) res.socket?.destroy();
    this.#held.clear();
  }

  clear(): void {
    this.#rules = [];
    this.releaseHeld();
  }
}
