/**
 * A mutant: one realistic bug planted in the product (a flow or the compose file) by one exact
 * textual edit. `npm run mutants` plants each in a scratch checkout and runs the main job on it.
 */

/** The product files a mutant may edit: the flows and what Dokploy deploys — never the harness. */
export const PRODUCT_PATHS = ['kestra/flows/', 'docker-compose.kestra.dokploy.yml', '.env.example'] as const;

export interface Mutant {
  /** Short kebab-case name, unique in the catalog (`seg-urgent-orange-off-by-one`). */
  id: string;
  /** The rule it breaks: a SPEC section and the helpers/spec rule (`SPEC §3 classifySegment`). */
  rule: string;
  /** Path relative to the repository root (a product file, see PRODUCT_PATHS). */
  file: string;
  /** One line: the bug as a developer would have written it. */
  description: string;
  /** Exact text that must occur exactly once in `file`… */
  find: string;
  /** …and what it becomes. */
  replace: string;
  /** Only for a mutant about syntax: the edited file need not stay valid YAML. */
  breaksYaml?: boolean;
}

/** killed: the main job failed · survived: it passed · timeout: it hung (counted as caught) · error: it could not run. */
export type MutantOutcome = 'killed' | 'survived' | 'timeout' | 'error';

export interface MainJobResult {
  outcome: MutantOutcome;
  exitCode: number | null;
  durationMs: number;
  /** What failed: the lint rules reported, or the failing spec titles. */
  killedBy?: { step: 'lint' | 'specs'; details: string[] };
  /** Last lines of the output, kept for errors and timeouts. */
  tail?: string;
}

export interface MutantResult extends MainJobResult {
  mutant: Mutant;
}
