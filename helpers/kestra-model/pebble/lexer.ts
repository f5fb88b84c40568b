/**
 * Tokenizer mirroring Pebble's LexerImpl (io/pebbletemplates/pebble/lexer/LexerImpl.java, 3.2.x)
 * with Kestra's syntax settings (newLineTrimming(false)) and operators (Kestra adds `??`, `???`,
 * `isIn` — core/src/main/java/io/kestra/core/runners/pebble/Extension.java, 1.3.x).
 *
 * One Kestra-specific addition: `{% raw %}…{% endraw %}` blocks matched by Kestra's RAW_PATTERN
 * (VariableRenderer.java; a Java regex without DOTALL, so only single-line blocks) become RAW
 * tokens instead of being replaced by UUID placeholders, which keeps source offsets intact.
 */
import { PebbleSyntaxError } from './errors.js';

export type TokenType =
  | 'TEXT'
  | 'RAW'
  | 'PRINT_START'
  | 'PRINT_END'
  | 'EXECUTE_START'
  | 'EXECUTE_END'
  | 'NAME'
  | 'NUMBER'
  | 'LONG'
  | 'STRING'
  | 'STRING_INTERPOLATION_START'
  | 'STRING_INTERPOLATION_END'
  | 'OPERATOR'
  | 'PUNCTUATION'
  | 'EOF';

export interface Token {
  type: TokenType;
  /** Pebble's token value (null for PRINT_START, EXECUTE_START, EOF...). */
  value: string | null;
  start: number;
  end: number;
  /** RAW tokens: the text between the tags. */
  content?: string;
}

/** Java's `\s` (ASCII only): [ \t\n\x0B\f\r]. */
const JWS = '[ \\t\\n\\x0B\\f\\r]';
/** Java's `.` without DOTALL: anything but line terminators. */
const JDOT = '[^\\n\\r\\u0085\\u2028\\u2029]';

/** Kestra VariableRenderer.RAW_PATTERN: (\{%-*\s*raw\s*-*%}(.*?)\{%-*\s*endraw\s*-*%}) */
export const RAW_PATTERN_SOURCE = `\\{%-*${JWS}*raw${JWS}*-*%\\}(${JDOT}*?)\\{%-*${JWS}*endraw${JWS}*-*%\\}`;
const RAW_RE = new RegExp(RAW_PATTERN_SOURCE, 'g');

const BINARY_OPERATORS = [
  'or', 'and', 'is', 'is not', 'contains', '==', 'equals', '!=', '>', '<', '>=', '<=',
  '+', '-', '*', '/', '%', '|', '~', '..', '??', '???', 'isIn',
];
const UNARY_OPERATORS = ['not', '+', '-'];

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const OPERATOR_RE = (() => {
  const ops = [...new Set([...UNARY_OPERATORS, ...BINARY_OPERATORS])].sort((a, b) => b.length - a.length);
  const alts = ops.map((op) => {
    const last = op[op.length - 1] ?? '';
    return /[A-Za-z]/.test(last) ? `${escapeRe(op)}(?![a-zA-Z0-9_])` : escapeRe(op);
  });
  return new RegExp(`^(?:${alts.join('|')})`);
})();

const NAME_RE = /^[\p{L}_][\p{L}\p{Nd}_]*/u;
const LONG_RE = /^[0-9]+L/;
const NUMBER_RE = /^[0-9]+(?:\.[0-9]+)?/;
const PUNCTUATION = '()[]{}?:.,|=';
const STRING_SINGLE_RE = /^'([^'\\]*(?:\\[\s\S][^'\\]*)*)'/;
const STRING_DOUBLE_PLAIN_RE = /^"([^#"\\]*(?:\\[\s\S][^#"\\]*)*)"/;
const STRING_NON_INTERPOLATED_RE = /^[^#"\\]*(?:(?:\\[\s\S]|#(?!\{))[^#"\\]*)*/;
const PRINT_CLOSE_RE = new RegExp(`^${JWS}*-?\\}\\}`);
const EXECUTE_CLOSE_RE = new RegExp(`^${JWS}*-?%\\}`);
const TRAILING_TRIM_RE = new RegExp(`^${JWS}*-(?:\\}\\}|%\\}|#\\})`);
const LEADING_TRIM_RE = new RegExp(`^-${JWS}+`);
const COMMENT_TRAILING_TRIM_RE = new RegExp(`${JWS}+-$`);
const VERBATIM_START_RE = new RegExp(`^${JWS}*verbatim${JWS}*(-)?%\\}`);
const VERBATIM_END_RE = new RegExp(`\\{%(-)?${JWS}*endverbatim${JWS}*(-)?%\\}`, 'g');
const INTERPOLATION_CLOSE_RE = new RegExp(`^${JWS}*\\}`);

/** Character.isWhitespace */
export function isJavaWhitespace(c: number): boolean {
  if (c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f)) return true;
  if (c < 0x80) return false;
  if (c === 0xa0 || c === 0x2007 || c === 0x202f) return false;
  return c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x205f || c === 0x3000;
}

export function javaLtrim(s: string): string {
  let i = 0;
  while (i < s.length && isJavaWhitespace(s.charCodeAt(i))) i++;
  return s.slice(i);
}

export function javaRtrim(s: string): string {
  let i = s.length - 1;
  while (i >= 0 && isJavaWhitespace(s.charCodeAt(i))) i--;
  return s.slice(0, i + 1);
}

type State = 'DATA' | 'EXECUTE' | 'PRINT' | 'STRING' | 'STRING_INTERPOLATION';

const CLOSERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const states: State[] = ['DATA'];
  const brackets: { value: string; offset: number }[] = [];
  const n = source.length;
  let pos = 0;
  let trimNextData = false;

  const raws: { start: number; end: number; content: string }[] = [];
  RAW_RE.lastIndex = 0;
  for (let m = RAW_RE.exec(source); m; m = RAW_RE.exec(source)) {
    raws.push({ start: m.index, end: m.index + m[0].length, content: m[1] ?? '' });
  }
  let rawIdx = 0;

  const fail = (message: string, offset: number): never => {
    throw new PebbleSyntaxError(message, source, offset);
  };
  const push = (type: TokenType, value: string | null, start: number, end: number): Token => {
    const t: Token = { type, value, start, end };
    tokens.push(t);
    return t;
  };
  const pushText = (text: string, start: number, end: number): Token | null => {
    if (text === '') return null;
    return push('TEXT', text, start, end);
  };
  const rest = (): string => source.slice(pos);

  const tokenizeExpression = (): void => {
    while (pos < n && isJavaWhitespace(source.charCodeAt(pos))) pos++;
    if (pos >= n) return;
    const r = rest();
    let m = OPERATOR_RE.exec(r);
    if (m) {
      push('OPERATOR', m[0], pos, pos + m[0].length);
      pos += m[0].length;
      return;
    }
    m = NAME_RE.exec(r);
    if (m) {
      push('NAME', m[0], pos, pos + m[0].length);
      pos += m[0].length;
      return;
    }
    m = LONG_RE.exec(r);
    if (m) {
      push('LONG', m[0].slice(0, -1), pos, pos + m[0].length);
      pos += m[0].length;
      return;
    }
    m = NUMBER_RE.exec(r);
    if (m) {
      push('NUMBER', m[0], pos, pos + m[0].length);
      pos += m[0].length;
      return;
    }
    const c = source[pos] ?? '';
    if (PUNCTUATION.includes(c)) {
      if ('([{'.includes(c)) {
        brackets.push({ value: c, offset: pos });
      } else if (')]}'.includes(c)) {
        const open = brackets.pop();
        if (!open) fail(`Unexpected "${c}"`, pos);
        const expected = CLOSERS[open!.value];
        if (expected !== c) fail(`Unclosed "${expected ?? open!.value}"`, open!.offset);
      }
      push('PUNCTUATION', c, pos, pos + 1);
      pos += 1;
      return;
    }
    m = STRING_SINGLE_RE.exec(r) ?? STRING_DOUBLE_PLAIN_RE.exec(r);
    if (m) {
      const quote = m[0][0];
      const inner = m[0].slice(1, -1);
      const value = quote === "'" ? inner.replace(/\\(')/g, '$1') : inner.replace(/\\(")/g, '$1');
      push('STRING', value, pos, pos + m[0].length);
      pos += m[0].length;
      return;
    }
    if (c === '"') {
      brackets.push({ value: '"', offset: pos });
      states.push('STRING');
      pos += 1;
      return;
    }
    fail(`Unexpected character [${c}]`, pos);
  };

  const lexVerbatim = (startMatch: RegExpExecArray): void => {
    pos += startMatch[0].length;
    VERBATIM_END_RE.lastIndex = pos;
    const end = VERBATIM_END_RE.exec(source);
    if (!end) fail('Unclosed verbatim tag.', pos);
    const textStart = pos;
    // Pebble checks `verbatimStartMatcher.group(0) != null`, which is always true: always ltrim.
    let text = javaLtrim(source.slice(pos, end!.index));
    if (end![1] !== undefined) text = javaRtrim(text);
    if (end![2] !== undefined) trimNextData = true;
    pos = end!.index + end![0].length;
    pushText(text, textStart, end!.index);
  };

  const tokenizeData = (): void => {
    while (rawIdx < raws.length && raws[rawIdx]!.start < pos) rawIdx++;
    const raw = raws[rawIdx];
    let delim = -1;
    for (let i = source.indexOf('{', pos); i !== -1 && i < n - 1; i = source.indexOf('{', i + 1)) {
      const c2 = source[i + 1];
      if (c2 === '{' || c2 === '%' || c2 === '#') {
        delim = i;
        break;
      }
    }
    if (raw && (delim === -1 || raw.start <= delim)) {
      let text = source.slice(pos, raw.start);
      if (trimNextData) {
        text = javaLtrim(text);
        trimNextData = false;
      }
      pushText(text, pos, raw.start);
      const t = push('RAW', source.slice(raw.start, raw.end), raw.start, raw.end);
      t.content = raw.content;
      pos = raw.end;
      rawIdx++;
      return;
    }
    const textEnd = delim === -1 ? n : delim;
    let text = source.slice(pos, textEnd);
    if (trimNextData) {
      text = javaLtrim(text);
      trimNextData = false;
    }
    const textToken = pushText(text, pos, textEnd);
    if (delim === -1) {
      pos = n;
      return;
    }
    const open = source.slice(delim, delim + 2);
    pos = delim + 2;
    const lead = LEADING_TRIM_RE.exec(rest());
    if (lead) {
      if (textToken) textToken.value = javaRtrim(textToken.value ?? '');
      pos += lead[0].length;
    }
    if (open === '{#') {
      const close = source.indexOf('#}', pos);
      if (close === -1) fail('Unclosed comment.', delim);
      if (COMMENT_TRAILING_TRIM_RE.test(source.slice(pos, close))) trimNextData = true;
      pos = close + 2;
    } else if (open === '{{') {
      push('PRINT_START', null, delim, delim + 2);
      states.push('PRINT');
    } else {
      const verbatim = VERBATIM_START_RE.exec(rest());
      if (verbatim) {
        lexVerbatim(verbatim);
      } else {
        push('EXECUTE_START', null, delim, delim + 2);
        states.push('EXECUTE');
      }
    }
  };

  const tokenizeBetween = (print: boolean): void => {
    const r = rest();
    if (TRAILING_TRIM_RE.test(r)) trimNextData = true;
    const close = (print ? PRINT_CLOSE_RE : EXECUTE_CLOSE_RE).exec(r);
    if (brackets.length === 0 && close) {
      const closeStart = pos + close[0].length - 2;
      push(print ? 'PRINT_END' : 'EXECUTE_END', print ? '}}' : '%}', closeStart, pos + close[0].length);
      pos += close[0].length;
      states.pop();
    } else {
      tokenizeExpression();
    }
  };

  const tokenizeString = (): void => {
    if (source.startsWith('#{', pos)) {
      brackets.push({ value: '#{', offset: pos });
      push('STRING_INTERPOLATION_START', null, pos, pos + 2);
      pos += 2;
      states.push('STRING_INTERPOLATION');
      return;
    }
    const m = STRING_NON_INTERPOLATED_RE.exec(rest());
    if (m && m[0].length > 0) {
      push('STRING', m[0], pos, pos + m[0].length);
      pos += m[0].length;
      return;
    }
    const open = brackets.pop();
    if (source[pos] !== '"') fail(`Unclosed "${open?.value ?? '"'}"`, open?.offset ?? pos);
    states.pop();
    pos += 1;
  };

  const tokenizeInterpolation = (): void => {
    const top = brackets[brackets.length - 1];
    const m = INTERPOLATION_CLOSE_RE.exec(rest());
    if (top?.value === '#{' && m) {
      brackets.pop();
      push('STRING_INTERPOLATION_END', null, pos + m[0].length - 1, pos + m[0].length);
      pos += m[0].length;
      states.pop();
    } else {
      tokenizeExpression();
    }
  };

  while (pos < n) {
    const before = pos;
    const beforeTokens = tokens.length;
    switch (states[states.length - 1]) {
      case 'DATA':
        tokenizeData();
        break;
      case 'PRINT':
        tokenizeBetween(true);
        break;
      case 'EXECUTE':
        tokenizeBetween(false);
        break;
      case 'STRING':
        tokenizeString();
        break;
      case 'STRING_INTERPOLATION':
        tokenizeInterpolation();
        break;
      default:
        pos = n;
    }
    if (pos === before && tokens.length === beforeTokens && states.length > 0) {
      // Defensive: never spin (Pebble itself can loop forever on e.g. a trailing backslash in a string).
      fail(`Unexpected character [${source[pos] ?? ''}]`, pos);
    }
  }
  push('EOF', null, n, n);
  const open = brackets.pop();
  if (open) fail(`Unclosed "${open.value}"`, open.offset);
  return tokens;
}
