/** Java String/regex/URL helpers used by the filters. */
import { EvalFailure } from './errors.js';

/** String#trim(): strips chars <= U+0020. */
export function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return s.slice(start, end);
}

const regexCache = new Map<string, RegExp>();

/** Compiles a java.util.regex pattern as a global JS RegExp (common subset). */
export function javaRegex(pattern: string): RegExp {
  const hit = regexCache.get(pattern);
  if (hit) {
    hit.lastIndex = 0;
    return hit;
  }
  let source = pattern;
  let flags = 'g';
  const inline = /^\(\?([imsx]+)\)/.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    if (inline[1]!.includes('i')) flags += 'i';
    if (inline[1]!.includes('m')) flags += 'm';
    if (inline[1]!.includes('s')) flags += 's';
  }
  source = source.replace(/\\A/g, '^').replace(/\\[zZ]/g, '$');
  let re: RegExp;
  try {
    re = new RegExp(source, flags);
  } catch (e) {
    throw new EvalFailure(`java.util.regex.PatternSyntaxException: ${(e as Error).message} near index 0\n${pattern}`);
  }
  regexCache.set(pattern, re);
  return re;
}

/** String#split(regex, limit) (java.util.regex.Pattern#split semantics). */
export function javaSplit(input: string, regex: string, limit: number): string[] {
  const re = javaRegex(regex);
  const list: string[] = [];
  let index = 0;
  const limited = limit > 0;
  for (let m = re.exec(input); m; m = re.exec(input)) {
    const start = m.index;
    const end = start + m[0].length;
    if (m[0].length === 0) {
      if (start >= input.length) break;
      re.lastIndex = start + 1;
    }
    if (!limited || list.length < limit - 1) {
      if (index === 0 && start === 0 && start === end) continue;
      list.push(input.slice(index, start));
      index = end;
    } else if (list.length === limit - 1) {
      list.push(input.slice(index));
      index = end;
      break;
    }
  }
  if (index === 0) return [input];
  if (!limited || list.length < limit) list.push(input.slice(index));
  if (limit === 0) while (list.length > 0 && list[list.length - 1] === '') list.pop();
  return list;
}

/** String#replaceAll(regex, replacement) with Java replacement syntax ($1, ${name}, \x). */
export function javaReplaceAll(input: string, regex: string, replacement: string): string {
  const re = javaRegex(regex);
  return input.replace(re, (...match: unknown[]) => {
    const last = match[match.length - 1];
    const named = typeof last === 'object' && last !== null ? (last as Record<string, string | undefined>) : undefined;
    const groups = match.slice(0, named ? -3 : -2) as (string | undefined)[];
    let out = '';
    for (let i = 0; i < replacement.length; i++) {
      const c = replacement[i]!;
      if (c === '\\') {
        i++;
        if (i >= replacement.length) throw new EvalFailure('character to be escaped is missing');
        out += replacement[i];
      } else if (c === '$') {
        i++;
        if (replacement[i] === '{') {
          const close = replacement.indexOf('}', i);
          const name = replacement.slice(i + 1, close);
          if (close === -1 || !named || !(name in named)) throw new EvalFailure(`No group with name {${name}}`);
          out += named[name] ?? '';
          i = close;
        } else {
          let digits = '';
          while (i < replacement.length && /[0-9]/.test(replacement[i]!)) {
            const candidate = digits + replacement[i];
            if (digits !== '' && Number(candidate) >= groups.length) break;
            digits = candidate;
            i++;
          }
          i--;
          if (digits === '') throw new EvalFailure('Illegal group reference');
          const g = Number(digits);
          if (g >= groups.length) throw new EvalFailure(`No group ${g}`);
          out += groups[g] ?? '';
        }
      } else {
        out += c;
      }
    }
    return out;
  });
}

/** java.net.URLEncoder.encode(s, UTF-8) */
export function urlEncode(s: string): string {
  let out = '';
  for (const ch of s) {
    if (/^[A-Za-z0-9.\-*_]$/.test(ch)) out += ch;
    else if (ch === ' ') out += '+';
    else {
      for (const b of Buffer.from(ch, 'utf8')) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out;
}

/** java.net.URLDecoder.decode(s, UTF-8) */
export function urlDecode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; ) {
    const c = s[i]!;
    if (c === '+') {
      out += ' ';
      i++;
    } else if (c === '%') {
      const bytes: number[] = [];
      while (i < s.length && s[i] === '%') {
        const hex = s.slice(i + 1, i + 3);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) {
          throw new EvalFailure(`URLDecoder: Illegal hex characters in escape (%) pattern - Error at index 0 in: "${hex}"`);
        }
        bytes.push(parseInt(hex, 16));
        i += 3;
      }
      out += Buffer.from(bytes).toString('utf8');
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** io.kestra.core.utils.Slugify.of */
export function slugify(input: string): string {
  let slug = input.replace(/[ \t\n\x0B\f\r]/g, '-').normalize('NFD').replace(/[^A-Za-z0-9_-]/g, '');
  slug = slug.replace(/_/g, '-');
  while (slug.includes('--')) slug = slug.replace(/--/g, '-');
  if (slug.startsWith('-')) slug = slug.slice(1);
  if (slug.endsWith('-')) slug = slug.slice(0, -1);
  return slug.toLowerCase();
}
