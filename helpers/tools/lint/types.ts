/**
 * The linter's vocabulary: a rule (one module per rule, yamllint-style: id, severity, description,
 * doc, examples and a check), plus, re-exported from vocabulary.ts, problems and profiles.
 */
import type { LintContext } from './rule-context.js';
import type { RuleProblem, RuleProfile, Severity } from './vocabulary.js';

export type * from './vocabulary.js';

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
