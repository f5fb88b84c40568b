/**
 * The redaction check's scanner (helpers/tools/report/secrets.ts): every form a secret can take in a
 * report file, inside base64 blobs, ZIP traces and gzip files; run-time secrets checked through
 * salted fingerprints that never store a value; findings that never print one.
 */
import { test, expect, type TestInfo } from '../support/unit-test.js';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { attachJson } from '../support/attach.js';
import { redactorFor } from '../../helpers/clients/redact.js';
import {
  describeFindings, fingerprintSecret, MIN_SECRET_LENGTH, readSecretFingerprints, registerReportSecrets, scanForSecrets, secretForms,
  type NamedSecret, type SecretFinding,
} from '../../helpers/tools/report/secrets.js';

let dir: string;
test.beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'report-scan-'));
});
test.afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const PASSWORD: NamedSecret = { name: 'KESTRA_PASSWORD', value: 'pw-Ab/+:@&"<x>\\9~?' };
const KEY: NamedSecret = { name: 'KESTRA_WEBHOOK_KEY_SIGNUP', value: 'whK3yK3yK3yK3yK3yK3yK3y' };
const b64 = (s: string) => Buffer.from(s).toString('base64');

function write(name: string, content: string | Buffer): void {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
}

/** A minimal ZIP (one deflated entry), like a Playwright trace. */
function zip(name: string, content: string): Buffer {
  const data = deflateRawSync(Buffer.from(content));
  const fileName = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(content.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  central.writeUInt32LE(0, 42);
  const cdOffset = local.length + fileName.length + data.length;
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(1, 8);
  eocd.writeUInt16LE(1, 10);
  eocd.writeUInt32LE(central.length + fileName.length, 12);
  eocd.writeUInt32LE(cdOffset, 16);
  return Buffer.concat([local, fileName, data, central, fileName, eocd]);
}

const where = (findings: SecretFinding[]) => findings.map((f) => `${f.file} ${f.secret} ${f.form}`).sort();

test('secretForms: raw, URL-encoded, JSON- and HTML-escaped, base64 and base64url — each once', () => {
  const forms = Object.fromEntries(secretForms(PASSWORD.value).map((f) => [f.form, f.bytes]));
  expect(forms).toEqual({
    raw: PASSWORD.value,
    'url-encoded': encodeURIComponent(PASSWORD.value),
    'json-escaped': 'pw-Ab/+:@&\\"<x>\\\\9~?',
    'html-escaped': 'pw-Ab/+:@&amp;&quot;&lt;x&gt;\\9~?',
    base64: 'cHctQWIvKzpAJiI8eD5cOX4/',
    base64url: 'cHctQWIvKzpAJiI8eD5cOX4_',
  });
  // A token-like key has fewer distinct forms.
  expect(secretForms(KEY.value).map((f) => f.form)).toEqual(['raw', 'base64']);
});

test('finds a secret raw, URL-encoded, escaped and base64-encoded, and names the secret, never its value', () => {
  write('raw.txt', `token=${KEY.value}\n`);
  write('query.log', `GET /x?password=${encodeURIComponent(PASSWORD.value)}`);
  write('payload.json', JSON.stringify({ password: PASSWORD.value }));
  write('page.html', `<td>${PASSWORD.value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</td>`);
  write('blob.txt', `data ${b64(KEY.value)} end`);
  write('clean/nothing.txt', `token=*** password=*** ${KEY.value.slice(0, 8)}`);
  const findings = scanForSecrets(dir, [PASSWORD, KEY]);
  expect(where(findings)).toEqual([
    'blob.txt KESTRA_WEBHOOK_KEY_SIGNUP base64',
    'blob.txt#base64@5 KESTRA_WEBHOOK_KEY_SIGNUP raw',
    'page.html KESTRA_PASSWORD html-escaped',
    'payload.json KESTRA_PASSWORD json-escaped',
    'query.log KESTRA_PASSWORD url-encoded',
    'raw.txt KESTRA_WEBHOOK_KEY_SIGNUP raw',
  ]);
  const text = JSON.stringify(findings) + describeFindings(findings);
  for (const s of [PASSWORD, KEY]) for (const f of secretForms(s.value)) expect(text).not.toContain(f.bytes);
});

test('looks inside base64 the way reports carry it: Basic headers, Allure\'s single file, data URIs', () => {
  write('headers.json', JSON.stringify({ authorization: `Basic ${b64(`admin@example.com:${PASSWORD.value}`)}` }));
  // Allure's single-file report: every data file base64-encoded in the page, attachments inside those.
  const attachment = `log line: key=${KEY.value}`;
  write('single-file/index.html', `<script>d("data/attachments/1.txt",${JSON.stringify(b64(attachment))}),d("data/test-results/2.json",${JSON.stringify(b64(JSON.stringify({ nested: b64(`password ${PASSWORD.value}`) })))})</script>`);
  write('img.html', `<img src="data:text/plain;base64,${b64(`xx ${KEY.value}`)}">`);
  const findings = scanForSecrets(dir, [PASSWORD, KEY]);
  expect(findings.filter((f) => f.file.startsWith('headers.json#base64@')).map((f) => [f.secret, f.form])).toEqual([['KESTRA_PASSWORD', 'raw']]);
  expect(findings.some((f) => f.file.startsWith('single-file/index.html#base64@') && f.secret === KEY.name && f.form === 'raw')).toBe(true);
  expect(findings.some((f) => /^single-file\/index\.html#base64@\d+#base64@\d+$/.test(f.file) && f.secret === PASSWORD.name && f.form === 'raw'), 'two levels deep').toBe(true);
  expect(findings.some((f) => f.file.startsWith('img.html#base64@') && f.secret === KEY.name)).toBe(true);
  // A raw search alone would have found nothing:
  expect(scanForSecrets(dir, [PASSWORD, KEY]).filter((f) => f.form === 'raw' && !f.file.includes('#'))).toEqual([]);
});

test('a large file met again (Allure\'s bundle: a file of the multi-file report AND a blob in the single file) gives the same findings, depth limit included', () => {
  // PASSWORD three base64 levels inside `bundle`: found in the file itself (levels 1-3), not in its
  // base64 copy, where it would be a fourth level. Random content: no earlier scan has seen it.
  const level3 = `pass ${PASSWORD.value} end`;
  const level2 = `data ${b64(level3)} end`;
  const level1 = `blob ${b64(level2)} end`;
  const bundle = `/* ${randomBytes(8).toString('hex')} */\n${'var longName = 1; // text\n'.repeat(12_000)}key ${KEY.value} ${b64(level1)}\n`;
  expect(bundle.length).toBeGreaterThan(256 * 1024); // large enough to be remembered
  const app = join(dir, 'awesome', 'app.js');
  const single = join(dir, 'single-file', 'index.html');
  write('awesome/app.js', bundle);
  write('single-file/index.html', `<script src="data:text/javascript;base64,${b64(bundle)}"></script>`);
  const secrets = (f: SecretFinding[]) => [...new Set(f.map((x) => `${x.secret} ${x.form}`))].sort();

  // The copy first (one level deeper), then the file: the deeper level is scanned again, and found.
  const inCopy = scanForSecrets(single, [PASSWORD, KEY]);
  expect(secrets(inCopy)).not.toContain('KESTRA_PASSWORD raw');
  expect(inCopy.some((f) => f.file.startsWith('index.html#base64@') && f.secret === KEY.name && f.form === 'raw')).toBe(true);
  const inFile = scanForSecrets(app, [PASSWORD, KEY]);
  expect(inFile.find((f) => f.secret === PASSWORD.name)?.file).toMatch(/^app\.js#base64@\d+#base64@\d+#base64@\d+$/);
  expect(inFile.find((f) => f.secret === KEY.name && f.form === 'raw')?.file).toBe('app.js');

  // Both in one scan, and again (remembered): the same findings each time, in the same order.
  const both = scanForSecrets(dir, [PASSWORD, KEY]);
  expect(both).toEqual(scanForSecrets(dir, [PASSWORD, KEY]));
  expect(where(both)).toEqual(where([...inFile.map((f) => ({ ...f, file: `awesome/${f.file}` })), ...inCopy.map((f) => ({ ...f, file: `single-file/${f.file}` }))]));
  // Other secrets, other findings: what is remembered is per set of secrets.
  expect(scanForSecrets(dir, [KEY]).some((f) => f.secret === PASSWORD.name)).toBe(false);
});

test('looks inside ZIP archives (Playwright traces) and gzip files', () => {
  write('trace.zip', zip('trace.network', `{"request":{"headers":[{"name":"x-api-key","value":"${KEY.value}"}]}}`));
  write('log.gz', gzipSync(`password=${PASSWORD.value}`));
  expect(where(scanForSecrets(dir, [PASSWORD, KEY]))).toEqual([
    'log.gz!gunzip KESTRA_PASSWORD raw',
    'trace.zip!trace.network KESTRA_WEBHOOK_KEY_SIGNUP raw',
  ]);
});

test('plain strings get a generic name; short values, missing paths and clean trees give no finding', () => {
  write('a.txt', 'abc secret-value-1 abc');
  expect(scanForSecrets(dir, ['secret-value-1'])).toEqual([{ file: 'a.txt', secret: 'secret #1 (14 chars)', form: 'raw' }]);
  expect(scanForSecrets(dir, ['abc'.slice(0, MIN_SECRET_LENGTH - 1)]), 'too short to check').toEqual([]);
  expect(scanForSecrets([join(dir, 'missing'), join(dir, 'a.txt')], ['nothing-like-this'])).toEqual([]);
  expect(scanForSecrets(join(dir, 'a.txt'), ['secret-value-1'])[0]!.file).toBe('a.txt');
});

test('fingerprints find the same forms as clear values, and the fingerprint file holds no value', () => {
  const file = join(dir, 'fp', 'fingerprints.jsonl');
  registerReportSecrets([PASSWORD, KEY, { name: 'too short', value: 'abc' }], file);
  const saved = readFileSync(file, 'utf8');
  expect(saved.trim().split('\n')).toHaveLength(2);
  expect(scanForSecrets(join(dir, 'fp'), [PASSWORD, KEY]), 'no form of either value in the file').toEqual([]);

  write('r/start.txt', KEY.value); // at offset 0 and at the very end of the buffer
  write('r/query.log', `x?password=${encodeURIComponent(PASSWORD.value)}&y=1`);
  write('r/headers.json', JSON.stringify({ authorization: `Basic ${b64(`u:${PASSWORD.value}`)}` }));
  write('r/trace.zip', zip('0-trace.trace', `…${KEY.value}…`));
  const fingerprints = readSecretFingerprints(file);
  expect(where(scanForSecrets(join(dir, 'r'), [], { fingerprints }))).toEqual(where(scanForSecrets(join(dir, 'r'), [PASSWORD, KEY])));
  expect(scanForSecrets(join(dir, 'r'), [], { fingerprints }).length).toBe(4);
});

test('fingerprints: salted (the same secret twice gives different hashes), torn lines ignored, many writers append safely', () => {
  const a = fingerprintSecret(KEY);
  const b = fingerprintSecret(KEY);
  expect(a.forms[0]!.sha).not.toBe(b.forms[0]!.sha);
  expect(a.forms[0]!.rk).toBe(b.forms[0]!.rk);

  const file = join(dir, 'fp.jsonl');
  for (let i = 0; i < 20; i++) registerReportSecrets([{ name: `worker ${i}`, value: `${KEY.value}-${i}` }], file);
  writeFileSync(file, `${readFileSync(file, 'utf8')}{"name":"torn`, { flag: 'w' });
  const read = readSecretFingerprints(file);
  expect(read).toHaveLength(20);
  expect(readSecretFingerprints(join(dir, 'absent.jsonl'))).toEqual([]);
});

test('describeFindings: one line with names, forms, the number of files and the first place', () => {
  const line = describeFindings([
    { file: 'awesome/data/attachments/a.txt', secret: 'KESTRA_PASSWORD', form: 'raw' },
    { file: 'single-file/index.html#base64@10', secret: 'KESTRA_PASSWORD', form: 'raw' },
    { file: 'single-file/index.html', secret: 'NOTION_TOKEN', form: 'base64' },
  ]);
  expect(line).toBe('KESTRA_PASSWORD (raw), NOTION_TOKEN (base64) in 2 file(s), first in awesome/data/attachments/a.txt');
  expect(describeFindings([])).toBe('no known secret found');
});

// A secret holding `"` or `\\` is escaped inside the JSON attachJson builds; the Redactor registers
// that JSON-escaped form too, so it is masked like the raw one.
test('attachJson masks a secret with a quote or backslash (JSON-escaped form) — the scan finds nothing', async () => {
  const bodies: string[] = [];
  const fakeInfo = { attach: async (_name: string, opts: { body: string }) => void bodies.push(opts.body) } as unknown as TestInfo;
  await attachJson(fakeInfo, 'payload', { password: PASSWORD.value, key: KEY.value }, redactorFor([PASSWORD.value, KEY.value]));
  write('attachment.json', bodies[0]!);
  expect(bodies[0]).toContain('"key": "***"');
  expect(bodies[0]).toContain('"password": "***"');
  expect(scanForSecrets(dir, [PASSWORD, KEY])).toEqual([]);
});
