/**
 * A target is where the e2e specs run: the embedded stand-in stack (`local`), a Kestra booted
 * from the compose file by testcontainers (`container`), or a running Kestra (`remote`). Every
 * spec talks to a target only through this interface, so the same spec runs on all three.
 */
import type { KestraClient } from '../clients/kestra/index.js';
import type { NotionReadBack } from '../clients/notion/read-back.js';
import type { TimingMode, WebhookName } from '../spec/index.js';
import type { TargetName } from '../config/variables.js';

/** One email as the Resend side saw it (stand-in outbox, or Resend's API on remote). */
export interface SentEmail {
  id: string;
  from: string;
  to: string[];
  subject: string;
  html?: string;
  text?: string;
  tags: { name: string; value: string }[];
  idempotencyKey?: string;
  createdAt: string;
}

/** Fault injection into the stand-ins (not available against production). */
export interface TargetFaults {
  /** The next `times` Notion calls of that kind fail (e.g. template queries, tracker writes). */
  notion(spec: { route: string; kind: 500 | 503 | 'hang'; times?: number; dataSource?: 'contacts' | 'templates' | 'tracker' | 'analytics' }): void;
  resend(spec: { route: string; kind: 429 | 500 | 503 | 'hang'; times?: number }): void;
  /**
   * Makes a Notion template unusable while Notion stays healthy — unticks Active, or moves the page
   * to the trash — through Notion's API, as an editor would (SPEC §4.2's quiet fallback).
   */
  templateUnusable(templateName: string, how: 'inactive' | 'trashed'): Promise<void>;
  /** Ends every fault and puts changed templates back. */
  clear(): Promise<void>;
}

export interface TargetClock {
  /** The time Kestra sees (virtual on the local target). */
  now(): Date;
  /** Moves virtual time forward and runs what became due (local target only). */
  advance?(ms: number): Promise<void>;
  /** Returns once nothing runs (the stand-in's settle point); absent on a real Kestra, where callers poll for a quiet period. */
  settle?(): Promise<void>;
}

export interface Target {
  readonly name: TargetName;
  /** Whether Kestra runs with testing-mode offsets. */
  readonly timing: TimingMode;
  readonly kestra: KestraClient;
  webhookKey(webhook: WebhookName): string;
  /** Notion read-back, when credentials are available. */
  readonly notion: NotionReadBack | null;
  readonly clock: TargetClock;
  /** Every email accepted so far, when the target can see them. */
  readonly outbox: (() => Promise<SentEmail[]>) | null;
  readonly faults: TargetFaults | null;
  /** Values that must never appear in logs or report files. */
  secrets(): string[];
  /** Extra evidence for a failed spec, by attachment name (the container target: Kestra and PostgreSQL logs). */
  diagnostics?(): Promise<Record<string, string>>;
  /** Non-secret facts for the report's environment section. */
  describe(): Promise<Record<string, string>>;
  stop(): Promise<void>;
}
