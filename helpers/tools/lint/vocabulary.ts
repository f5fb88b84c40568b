/**
 * The linter's base vocabulary: severities, profiles, positions and problems. The file models
 * (source, flow and compose models, templates) and the rule context use it; types.ts adds the Rule,
 * which names the rule context, and re-exports all of this. Kept apart so no import runs in a circle.
 */
export type Severity = 'error' | 'warning';

/**
 * Which rules run:
 * - `kestra`: rules that hold for any Kestra flow;
 * - `project`: rules that encode this repository's conventions and SPEC (flows);
 * - `compose`: rules for the Dokploy compose file and its `.env.example`;
 * - `server`: checks against a running Kestra (`--server`), never run offline.
 */
export type RuleProfile = 'kestra' | 'project' | 'compose' | 'server';

/** What the CLI selects with `--profile`: `project` runs everything, `kestra` only the generic flow rules. */
export type ProfileName = 'project' | 'kestra';

export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

export interface Problem extends Position {
  /** Absolute path of the file the problem is in. */
  file: string;
  ruleId: string;
  severity: Severity;
  message: string;
}

/** A problem as a rule yields it; the engine adds the rule id and default severity. */
export interface RuleProblem extends Position {
  file: string;
  message: string;
  /** Overrides the rule's severity for this one problem (rarely needed). */
  severity?: Severity;
}
