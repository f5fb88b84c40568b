/**
 * Compose's variable syntax, parsed in one place: the `${VAR}` references of a Compose file (for
 * the repository check, the linter's compose model and the container target's interpolation) and
 * the variables `.env.example` documents. Forms (Compose spec, "Interpolation"):
 * `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?err}`, `${VAR?err}`,
 * `${VAR:+alt}`, `${VAR+alt}`; `$$` is a literal `$`.
 * https://github.com/compose-spec/compose-spec/blob/main/spec.md#interpolation
 */

export type ReferenceOperator = '' | ':-' | '-' | ':?' | '?' | ':+' | '+';

export interface VariableReference {
  /** The reference as written, e.g. `${POSTGRES_PASSWORD:?set it}`. */
  text: string;
  /** Where it starts in the text given. */
  offset: number;
  name: string;
  operator: ReferenceOperator;
  /** What follows the operator (default, error message or alternative), when there is one. */
  argument: string | undefined;
}

const REFERENCE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

function referenceOf(match: RegExpMatchArray): VariableReference | undefined {
  if (match[0] === '$$') return undefined;
  const [text, braced, operator, argument, bare] = match;
  return { text, offset: match.index!, name: (braced ?? bare)!, operator: (operator ?? '') as ReferenceOperator, argument };
}

/** Every reference in a text, in order; `$$` escapes are skipped. */
export function variableReferences(text: string): VariableReference[] {
  return [...text.matchAll(REFERENCE)].map(referenceOf).filter((r): r is VariableReference => r !== undefined);
}

/** The text with every reference replaced by `value(ref)` and every `$$` by `$`. */
export function replaceVariableReferences(text: string, value: (ref: VariableReference) => string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(REFERENCE)) {
    const ref = referenceOf(match);
    out += text.slice(last, match.index) + (ref ? value(ref) : '$');
    last = match.index! + match[0].length;
  }
  return out + text.slice(last);
}

/** Whether the reference gives a default (`:-` / `-`), so the variable may be left out. */
export const hasDefault = (ref: Pick<VariableReference, 'operator'>): boolean => ref.operator === ':-' || ref.operator === '-';

export interface ComposeVariableUse {
  name: string;
  /** `required` for `${VAR:?msg}` / `${VAR?msg}`, `defaulted` for `${VAR:-x}` / `${VAR-x}`, else `plain`. */
  kind: 'required' | 'defaulted' | 'plain';
  line: number;
}

/** Every variable the file interpolates. `$$` escapes (a literal `$` for the container) are skipped. */
export function composeVariableUses(source: string): ComposeVariableUse[] {
  const uses: ComposeVariableUse[] = [];
  source.split('\n').forEach((text, index) => {
    if (text.trimStart().startsWith('#')) return;
    for (const ref of variableReferences(text)) {
      const kind = ref.operator.includes('?') ? 'required' : hasDefault(ref) ? 'defaulted' : 'plain';
      uses.push({ name: ref.name, kind, line: index + 1 });
    }
  });
  return uses;
}

/** Variable names documented in an env example file, as `NAME=` or `# NAME=` lines. */
export function documentedVariables(envExample: string): Set<string> {
  const names = new Set<string>();
  for (const line of envExample.split('\n')) {
    const match = /^\s*#?\s*([A-Z][A-Z0-9_]*)=/.exec(line);
    if (match) names.add(match[1]!);
  }
  return names;
}
