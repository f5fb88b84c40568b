/** The `${VAR}` references of a Compose file and the variables `.env.example` documents. */

export interface ComposeVariableUse {
  name: string;
  /** `required` for `${VAR:?msg}` / `${VAR?msg}`, `defaulted` for `${VAR:-x}` / `${VAR-x}`, else `plain`. */
  kind: 'required' | 'defaulted' | 'plain';
  line: number;
}

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[?-])?[^}]*\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** Every variable the file interpolates. `$$` escapes (a literal `$` for the container) are skipped. */
export function composeVariableUses(source: string): ComposeVariableUse[] {
  const uses: ComposeVariableUse[] = [];
  source.split('\n').forEach((text, index) => {
    if (text.trimStart().startsWith('#')) return;
    for (const match of text.replace(/\$\$/g, '').matchAll(REFERENCE)) {
      const [, braced, operator, bare] = match;
      const kind = operator?.includes('?') ? 'required' : operator?.includes('-') ? 'defaulted' : 'plain';
      uses.push({ name: (braced ?? bare)!, kind, line: index + 1 });
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
