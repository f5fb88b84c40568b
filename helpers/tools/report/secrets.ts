/**
 * The redaction check: proves that no known secret value reached a report file.
 *
 * `scanForSecrets(paths, secrets)` reads every file under the given directories (and plain files,
 * e.g. the history JSONL) and looks for each secret in the forms a report can carry it:
 *  - raw, URL-encoded, JSON-escaped, HTML-escaped, base64 and base64url (the stable prefix of the
 *    encoding, so it is also found when more bytes follow it);
 *  - inside base64 blobs, decoded (Allure's single-file report embeds every data file and attachment
 *    as base64; a `Basic` header is base64 of `user:password`), up to three levels deep;
 *  - inside ZIP archives (Playwright traces) and gzip files.
 * Findings name the file and the secret's NAME and form — never the value.
 *
 * Secrets that only exist inside a test run (the local stand-in's random webhook keys, tokens and
 * password) are registered during the run as salted fingerprints (`registerReportSecrets`), so the
 * check after the run can find them without any clear value ever being written to disk.
 */
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, inflateRawSync } from 'node:zlib';

export type SecretForm = 'raw' | 'url-encoded' | 'json-escaped' | 'html-escaped' | 'base64' | 'base64url';

export interface NamedSecret {
  /** What the finding says instead of the value, e.g. `KESTRA_PASSWORD`. */
  name: string;
  value: string;
}
export type SecretInput = string | NamedSecret;

export interface SecretFinding {
  /** Relative to the scanned directory; `#base64@<offset>` / `!<entry>` when found inside a blob or archive. */
  file: string;
  /** The secret's name (or `secret #n (k chars)`), never its value. */
  secret: string;
  form: SecretForm;
}

/** Shorter values are not checked: they would match by chance. */
export const MIN_SECRET_LENGTH = 6;
const MAX_DEPTH = 3;
/** A base64 / base64url run worth decoding: 12+ alphabet characters, then up to two `=`. */
const BASE64_RUN_MIN = 12;
const BASE64_ALPHABET = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-') BASE64_ALPHABET[c.charCodeAt(0)] = 1;
const MAX_NESTED_BYTES = 64 * 1024 * 1024;

const REPOSITORY_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** Where a run registers the fingerprints of its own secrets (git-ignored, outside the report). */
export const DEFAULT_FINGERPRINTS_FILE = join(REPOSITORY_ROOT, 'reports', 'secret-fingerprints.jsonl');

function named(secrets: readonly SecretInput[]): NamedSecret[] {
  return secrets.map((s, i) => (typeof s === 'string' ? { name: `secret #${i + 1} (${s.length} chars)`, value: s } : s));
}

const htmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** base64 of the value, cut to the characters that do not depend on what follows it. */
function stableBase64(bytes: Buffer): string {
  const whole = Math.floor(bytes.length / 3) * 3;
  return bytes.subarray(0, whole).toString('base64');
}

/**
 * The byte strings (as latin1 JS strings, one char per byte) a secret can appear as in a file.
 * Identical forms are listed once, under the first name.
 */
export function secretForms(value: string): { form: SecretForm; bytes: string }[] {
  const utf8 = Buffer.from(value, 'utf8');
  const b64 = stableBase64(utf8);
  const candidates: [SecretForm, string][] = [
    ['raw', value],
    ['url-encoded', encodeURIComponent(value)],
    ['json-escaped', JSON.stringify(value).slice(1, -1)],
    ['html-escaped', htmlEscape(value)],
    ['base64', b64],
    ['base64url', b64.replace(/\+/g, '-').replace(/\//g, '_')],
  ];
  const seen = new Set<string>();
  const out: { form: SecretForm; bytes: string }[] = [];
  for (const [form, text] of candidates) {
    const bytes = Buffer.from(text, 'utf8').toString('latin1');
    if (bytes.length < MIN_SECRET_LENGTH || seen.has(bytes)) continue;
    seen.add(bytes);
    out.push({ form, bytes });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Fingerprints: a rolling hash over the first WINDOW bytes finds candidates in one pass, a salted
// SHA-256 of the whole form confirms them. A fingerprint file is as sensitive as a password hash
// file (a weak password can be guessed offline): it stays outside the report, git-ignored, mode 0600.

const WINDOW = 12;
const B = 0x01000193;

function prefixHash(bytes: Uint8Array, start: number, width: number): number {
  let h = 0;
  for (let i = start; i < start + width; i++) h = (Math.imul(h, B) + bytes[i]!) >>> 0;
  return h;
}

function sha(salt: string, bytes: Uint8Array): string {
  return createHash('sha256').update(salt).update(bytes).digest('hex');
}

export interface FingerprintForm {
  form: SecretForm;
  /** Length of the form in bytes. */
  len: number;
  /** Rolling hash of its first min(len, 12) bytes. */
  rk: number;
  /** SHA-256 of salt + form. */
  sha: string;
}
export interface SecretFingerprint {
  name: string;
  salt: string;
  forms: FingerprintForm[];
  /** ISO time of registration. */
  at?: string;
}

export function fingerprintSecret(secret: NamedSecret): SecretFingerprint {
  const salt = randomBytes(16).toString('hex');
  return {
    name: secret.name,
    salt,
    forms: secretForms(secret.value).map(({ form, bytes }) => {
      const buf = Buffer.from(bytes, 'latin1');
      return { form, len: buf.length, rk: prefixHash(buf, 0, Math.min(WINDOW, buf.length)), sha: sha(salt, buf) };
    }),
  };
}

/**
 * Registers a run's secrets for the redaction check after the run: appends their salted fingerprints
 * (never the values) to `file`. Safe to call from several workers at once (one append per secret).
 */
export function registerReportSecrets(secrets: readonly SecretInput[], file = DEFAULT_FINGERPRINTS_FILE): void {
  const usable = named(secrets).filter((s) => s.value.length >= MIN_SECRET_LENGTH);
  if (usable.length === 0) return;
  mkdirSync(dirname(file), { recursive: true });
  const at = new Date().toISOString();
  for (const secret of usable) appendFileSync(file, `${JSON.stringify({ ...fingerprintSecret(secret), at })}\n`, { mode: 0o600 });
}

/** The fingerprints registered so far (unreadable lines are skipped); [] when the file is absent. */
export function readSecretFingerprints(file = DEFAULT_FINGERPRINTS_FILE): SecretFingerprint[] {
  if (!existsSync(file)) return [];
  const out: SecretFingerprint[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const parsed = JSON.parse(line) as SecretFingerprint;
      if (typeof parsed.name === 'string' && typeof parsed.salt === 'string' && Array.isArray(parsed.forms)) out.push(parsed);
    } catch {
      // a torn line from an interrupted run: ignore it
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The scan.

interface Matcher {
  /** Calls `found(name, form)` for every secret present in `buf` (`text` is the same bytes as latin1). */
  scan(buf: Buffer, text: string, found: (name: string, form: SecretForm) => void): void;
  /** Identifies what it looks for: equal keys, equal findings on equal bytes. */
  key: string;
}

function plainMatcher(secrets: readonly NamedSecret[]): Matcher {
  const needles = secrets
    .filter((s) => s.value.length >= MIN_SECRET_LENGTH)
    .flatMap((s) => secretForms(s.value).map((f) => ({ name: s.name, ...f })));
  return {
    scan(_buf, text, found) {
      for (const n of needles) if (text.includes(n.bytes)) found(n.name, n.form);
    },
    key: `plain:${createHash('sha256').update(JSON.stringify(needles)).digest('hex')}`,
  };
}

function fingerprintMatcher(fingerprints: readonly SecretFingerprint[]): Matcher {
  // window width → (bitmap of hash bits, hash → candidates). A 16 KB bitmap stays in the CPU cache
  // (the 1 MB one missed it on every byte); a false positive costs one Map lookup.
  const byWidth = new Map<number, { bits: Uint8Array; byRk: Map<number, { fp: SecretFingerprint; form: FingerprintForm }[]> }>();
  for (const fp of fingerprints) {
    for (const form of fp.forms) {
      const width = Math.min(WINDOW, form.len);
      let slot = byWidth.get(width);
      if (!slot) byWidth.set(width, (slot = { bits: new Uint8Array(1 << 14), byRk: new Map() }));
      slot.bits[form.rk & 0x3fff] = 1;
      const list = slot.byRk.get(form.rk) ?? [];
      list.push({ fp, form });
      slot.byRk.set(form.rk, list);
    }
  }
  return {
    scan(buf, _text, found) {
      for (const [width, { bits, byRk }] of byWidth) {
        if (buf.length < width) continue;
        let pow = 1;
        for (let i = 1; i < width; i++) pow = Math.imul(pow, B) >>> 0;
        let h = prefixHash(buf, 0, width);
        const last = buf.length - width;
        for (let start = 0; ; start++) {
          if (bits[h & 0x3fff] === 1) {
            for (const { fp, form } of byRk.get(h) ?? []) {
              if (start + form.len <= buf.length && sha(fp.salt, buf.subarray(start, start + form.len)) === form.sha) found(fp.name, form.form);
            }
          }
          if (start >= last) break;
          h = (Math.imul((h - Math.imul(buf[start]!, pow)) | 0, B) + buf[start + width]!) >>> 0;
        }
      }
    },
    key: `fingerprints:${createHash('sha256').update(JSON.stringify(fingerprints.map((f) => [f.name, f.salt, f.forms]))).digest('hex')}`,
  };
}

/** Entries of a ZIP archive (stored or deflated); [] when it cannot be read. */
function zipEntries(buf: Buffer): { name: string; data: Buffer }[] {
  const out: { name: string; data: Buffer }[] = [];
  try {
    let eocd = -1;
    for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
      if (buf.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) return out;
    const count = buf.readUInt16LE(eocd + 10);
    let p = buf.readUInt32LE(eocd + 16);
    for (let n = 0; n < count && p + 46 <= buf.length && buf.readUInt32LE(p) === 0x02014b50; n++) {
      const method = buf.readUInt16LE(p + 10);
      const compressed = buf.readUInt32LE(p + 20);
      const nameLen = buf.readUInt16LE(p + 28);
      const extraLen = buf.readUInt16LE(p + 30);
      const commentLen = buf.readUInt16LE(p + 32);
      const local = buf.readUInt32LE(p + 42);
      const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
      p += 46 + nameLen + extraLen + commentLen;
      if (local + 30 > buf.length || buf.readUInt32LE(local) !== 0x04034b50) continue;
      const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      const raw = buf.subarray(start, start + compressed);
      if (method === 0) out.push({ name, data: raw });
      else if (method === 8) out.push({ name, data: inflateRawSync(raw, { maxOutputLength: MAX_NESTED_BYTES }) });
    }
  } catch {
    // a damaged or ZIP64 archive: its raw bytes are still scanned
  }
  return out;
}

const isZip = (b: Buffer) => b.length > 4 && b.readUInt32LE(0) === 0x04034b50;
const isGzip = (b: Buffer) => b.length > 2 && b[0] === 0x1f && b[1] === 0x8b;

/** Whether decoded base64 is worth scanning: mostly text, or an archive (random text decodes to noise). */
function worthScanning(decoded: Buffer): boolean {
  if (isZip(decoded) || isGzip(decoded)) return true;
  let printable = 0;
  for (const byte of decoded) if ((byte >= 0x20 && byte < 0x7f) || byte === 0x0a || byte === 0x0d || byte === 0x09) printable++;
  return printable >= decoded.length * 0.75;
}

// Large buffers recur: Allure's app bundle is a file of the multi-file report AND a base64 blob in
// the single file, and the summary page's bundle is the same in every report. Their findings (none,
// usually) are remembered by content and matchers, and replayed in the same order — the same result
// as scanning them again, at the cost of one hash. A result is reused at another nesting depth only
// when the depth limit cannot change it (the first scan never reached the limit, and the new budget
// covers the depth it did reach).
const CACHE_MIN_BYTES = 256 * 1024;
const CACHE_ENTRIES = 64;
interface Scanned {
  hits: { where: string; name: string; form: SecretForm }[];
  /** Levels of nesting it could go down (MAX_DEPTH - depth) and went down. */
  budget: number;
  reached: number;
}
const scanned = new Map<string, Scanned>();

/** Scans `buf` and what it contains; returns the deepest nesting level it scanned. */
function scanBuffer(buf: Buffer, label: string, depth: number, matchers: readonly Matcher[], report: (file: string, name: string, form: SecretForm) => void): number {
  if (buf.length < CACHE_MIN_BYTES) return scanBufferNow(buf, label, depth, matchers, report);
  const key = `${matchers.map((m) => m.key).join('\u0000')}\u0000${createHash('sha256').update(buf).digest('hex')}`;
  const budget = MAX_DEPTH - depth;
  let entry = scanned.get(key);
  if (!entry || !(budget === entry.budget || (entry.reached < entry.budget && budget >= entry.reached))) {
    const hits: Scanned['hits'] = [];
    const deepest = scanBufferNow(buf, '', depth, matchers, (where, name, form) => hits.push({ where, name, form }));
    if (!scanned.has(key) && scanned.size >= CACHE_ENTRIES) scanned.delete(scanned.keys().next().value!);
    scanned.set(key, (entry = { hits, budget, reached: deepest - depth }));
  }
  for (const hit of entry.hits) report(`${label}${hit.where}`, hit.name, hit.form);
  return depth + entry.reached;
}

function scanBufferNow(buf: Buffer, label: string, depth: number, matchers: readonly Matcher[], report: (file: string, name: string, form: SecretForm) => void): number {
  const text = buf.toString('latin1');
  for (const m of matchers) m.scan(buf, text, (name, form) => report(label, name, form));
  if (depth >= MAX_DEPTH) return depth;
  let deepest = depth;
  const nested = (data: Buffer, where: string) => (deepest = Math.max(deepest, scanBuffer(data, where, depth + 1, matchers, report)));
  if (isZip(buf)) {
    for (const entry of zipEntries(buf)) nested(entry.data, `${label}!${entry.name}`);
    return deepest;
  }
  if (isGzip(buf)) {
    try {
      nested(gunzipSync(buf, { maxOutputLength: MAX_NESTED_BYTES }), `${label}!gunzip`);
    } catch {
      // not really gzip
    }
    return deepest;
  }
  for (const [start, end] of base64Runs(buf)) {
    const decoded = Buffer.from(text.slice(start, end), 'base64');
    if (decoded.length < MIN_SECRET_LENGTH || !worthScanning(decoded)) continue;
    nested(decoded, `${label}#base64@${start}`);
  }
  return deepest;
}

/**
 * [start, end) of every maximal run of BASE64_RUN_MIN+ base64/base64url characters (with up to two
 * `=` after it) — what /[A-Za-z0-9+/_-]{12,}={0,2}/g matches, in one linear pass over the bytes
 * (the regex retried up to 12 characters at every position of the many shorter words of a JS bundle).
 */
function* base64Runs(buf: Uint8Array): Generator<[number, number]> {
  const n = buf.length;
  let i = 0;
  while (i < n) {
    if (BASE64_ALPHABET[buf[i]!] === 0) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && BASE64_ALPHABET[buf[j]!] === 1) j++;
    if (j - i >= BASE64_RUN_MIN) {
      let end = j;
      while (end < n && end - j < 2 && buf[end] === 0x3d) end++;
      yield [i, end];
    }
    i = j;
  }
}

function filesUnder(path: string): string[] {
  const st = statSync(path);
  if (st.isFile()) return [path];
  if (!st.isDirectory()) return [];
  return readdirSync(path, { withFileTypes: true }).flatMap((entry) => {
    const full = join(path, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    return entry.isFile() ? [full] : [];
  });
}

export interface ScanOptions {
  /** Fingerprints registered by the run (see registerReportSecrets). */
  fingerprints?: readonly SecretFingerprint[];
  /** Paths in findings are relative to this (default: the scanned directory itself, or the file's folder). */
  relativeTo?: string;
}

/**
 * Every (file, secret, form) where a known secret appears under `paths` (directories are walked,
 * files read whole; missing paths are skipped). Empty when the report is clean.
 */
export function scanForSecrets(paths: string | readonly string[], secrets: readonly SecretInput[], opts: ScanOptions = {}): SecretFinding[] {
  const list = typeof paths === 'string' ? [paths] : paths;
  const matchers: Matcher[] = [plainMatcher(named(secrets))];
  if (opts.fingerprints?.length) matchers.push(fingerprintMatcher(opts.fingerprints));
  const findings: SecretFinding[] = [];
  const seen = new Set<string>();
  for (const root of list) {
    if (!existsSync(root)) continue;
    const base = opts.relativeTo ?? (statSync(root).isDirectory() ? root : dirname(root));
    for (const file of filesUnder(root)) {
      const rel = relative(base, file).split(sep).join('/') || file;
      scanBuffer(readFileSync(file), rel, 0, matchers, (where, name, form) => {
        // One finding per top-level file, secret and form: the nested location of the first hit says enough.
        const key = `${rel}\u0000${name}\u0000${form}`;
        if (seen.has(key)) return;
        seen.add(key);
        findings.push({ file: where, secret: name, form });
      });
    }
  }
  return findings;
}

/**
 * One line for humans: which secrets, in which forms, in how many files, and the first place —
 * e.g. `KESTRA_PASSWORD (raw, base64), NOTION_TOKEN (raw) in 3 file(s), first in awesome/data/attachments/x.txt`.
 * Values are never shown.
 */
export function describeFindings(findings: readonly SecretFinding[]): string {
  if (findings.length === 0) return 'no known secret found';
  const forms = new Map<string, Set<SecretForm>>();
  for (const f of findings) forms.set(f.secret, (forms.get(f.secret) ?? new Set()).add(f.form));
  const secrets = [...forms].map(([name, set]) => `${name} (${[...set].join(', ')})`).join(', ');
  const files = new Set(findings.map((f) => f.file.split(/[#!]/)[0]));
  return `${secrets} in ${files.size} file(s), first in ${findings[0]!.file}`;
}
