/**
 * Checks of a STRING input's `validator` the way Kestra checks it at flow validation:
 * - syntax: `@Regex` on `StringInput.validator` (RegexValidator.java) compiles it with Java's
 *   `Pattern.compile` and answers `invalid pattern [<validator>]`. JavaScript's RegExp stands in
 *   for Java's here; a pattern that uses Java-only syntax (possessive quantifiers, atomic groups,
 *   inline flags, `\Q…\E`) is not judged offline.
 * - ReDoS: newer Kestra (`@SafeRegexValidation`, RegexUtils.isSafeUserRegex, after kestra-io/kestra
 *   PR #17281, 2026-07) also refuses patterns longer than 250 characters and a group that holds a
 *   quantifier or an alternation and is itself repeated (`(a+)+`, `(a|b)*`, `(\.\d+)?`).
 *   The pinned 1.3.16 predates it: patch releases ship weekly (kestra.io/docs/releases) and 1.3.30
 *   shipped on 2026-07-28, so 1.3.16 is from about April 2026; StringInput.java's 1.x blob
 *   8c8a171f still has only `@Regex`. Hence a warning (it blocks an upgrade, not the deploy).
 */

/** Letters Java's regex accepts after a backslash (java.util.regex.Pattern, "Backslashes, escapes, and quoting"). */
const JAVA_LETTER_ESCAPES = new Set('aAbBcdDeEfGhHknNpPQrRsStuvVwWxXzZ'.split(''));
/** Syntax Java has and JavaScript lacks: skip the syntax check rather than guess. */
const JAVA_ONLY = /\(\?>|[+*?}]\+|\(\?[a-zA-Z-]*[):]|\\[QEAZzGhHRX]|&&\[/;

export const MAX_SAFE_REGEX_LENGTH = 250;

/** The reason Java would refuse to compile the pattern, or undefined (valid, or not decidable offline). */
export function regexSyntaxError(pattern: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    // Java reads every `{` outside a class as a repetition: `a{2` or `x{y}` does not compile.
    else if (c === '{' && !inClass && !/^\{\d+(,\d*)?\}/.test(pattern.slice(i))) return `illegal repetition near index ${i}`;
    if (c !== '\\') continue;
    const next = pattern[i + 1];
    if (next === undefined) return 'unexpected end of pattern after a backslash';
    if (/[A-Za-z]/.test(next) && !JAVA_LETTER_ESCAPES.has(next)) return `illegal escape sequence \\${next}`;
    i++;
    // `\p{Alpha}`, `\x{1F600}`, `\N{…}`, `\k<…>`: the braces belong to the escape.
    if ('pPxN'.includes(next) && pattern[i + 1] === '{') {
      const end = pattern.indexOf('}', i + 1);
      if (end < 0) return `unclosed \\${next}{ near index ${i - 1}`;
      i = end;
    }
  }
  try {
    new RegExp(pattern);
    return undefined;
  } catch (e) {
    if (JAVA_ONLY.test(pattern)) return undefined;
    return (e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
  }
}

interface Quantifier {
  /** Characters the quantifier spans. */
  length: number;
  /** `{n}` / `{n,m}`: at most a fixed number of repetitions. */
  bounded: boolean;
}

/** The quantifier starting at `i` (not preceded by a backslash), if any. */
function quantifierAt(p: string, i: number): Quantifier | undefined {
  const c = p[i];
  if (c === undefined || (i > 0 && p[i - 1] === '\\')) return undefined;
  if (c === '+' || c === '*' || c === '?') return { length: 1, bounded: false };
  const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
  if (!m) return undefined;
  const open = m[2] !== undefined && m[3] === '';
  return { length: m[0].length, bounded: !open };
}

/**
 * Why newer Kestra's ReDoS heuristic refuses the pattern, or undefined. Like Kestra's, it reads the
 * pattern as text: a group is any `(` … `)` with no parenthesis inside. A group whose own
 * quantifiers and repetition are all bounded counts (`(\d{1,3}\.){3}`) is accepted, as Kestra's
 * SafeRegexValidationTest accepts `^(\d{1,3}\.){3}\d{1,3}$`.
 */
export function unsafeRegexReason(pattern: string): string | undefined {
  if (pattern.length > MAX_SAFE_REGEX_LENGTH) return `longer than ${MAX_SAFE_REGEX_LENGTH} characters`;
  for (let open = pattern.indexOf('('); open >= 0; open = pattern.indexOf('(', open + 1)) {
    const close = pattern.indexOf(')', open + 1);
    if (close < 0) break;
    const body = pattern.slice(open + 1, close);
    if (body.includes('(')) continue;
    let after = close + 1;
    while (/\s/.test(pattern[after] ?? '')) after++;
    const outer = quantifierAt(pattern, after);
    if (!outer) continue;
    const group = pattern.slice(open, after + outer.length);
    const inner: Quantifier[] = [];
    for (let i = open + 1; i < close; i++) {
      const q = quantifierAt(pattern, i);
      if (q) {
        inner.push(q);
        i += q.length - 1;
      }
    }
    if (inner.length > 0 && !(outer.bounded && inner.every((q) => q.bounded))) return `the repeated group ${group} holds a quantifier (nested repetition)`;
    if (body.includes('|')) return `the repeated group ${group} holds an alternation`;
  }
  return undefined;
}
