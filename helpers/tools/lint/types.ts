/**
 * The linter's vocabulary: a problem (what the formatters print), a rule (one module per rule,
 * yamllint-style: id, severity, description, doc, examples and a check), and the profiles.
 */
import type { LintContext } from './rule-context.js';

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

/**
 * A rule example: a path relative to the repository root. A file is linted alone; a directory is
 * linted as a small repository (its `kestra/flows/**`, its compose file and `.env.example`).
 */
export type ExamplePath = string;

export interface Rule {
  id: string;
  severity: Severity;
  profile: RuleProfile;
  /** One line, shown in the rule table and in SARIF's shortDescription. */
  description: string;
  /** The longer explanation for the README's rule table and SARIF's help text. */
  doc: string;
  examples: { offending: ExamplePath[]; clean: ExamplePath[] };
  check(ctx: LintContext): Iterable<RuleProblem> | Promise<Iterable<RuleProblem>>;
}
