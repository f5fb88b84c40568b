/**
 * Text that leaves the container target (container logs for Allure, progress lines, errors) goes
 * through here: ANSI colour codes stripped, every test secret replaced by `***` — in the forms it
 * can take on the way (plain, base64 as Kestra receives it, URL-encoded, inside a Basic token).
 */
export const REDACTED = '***';

// CSI (colours, cursor moves) and OSC (window titles, hyperlinks) sequences.
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** The forms a secret value can appear in. Values shorter than 4 characters are ignored (too noisy to redact). */
export function secretForms(value: string): string[] {
  if (value.length < 4) return [];
  const forms = new Set([value, Buffer.from(value, 'utf8').toString('base64'), encodeURIComponent(value)]);
  return [...forms];
}

export class SecretRedactor {
  readonly #forms = new Set<string>();

  constructor(secrets: Iterable<string> = []) {
    for (const secret of secrets) this.add(secret);
  }

  add(secret: string | undefined): this {
    if (secret) for (const form of secretForms(secret)) this.#forms.add(form);
    return this;
  }

  /** Registers the Basic token of a login, as an `Authorization` header would carry it. */
  addBasicAuth(username: string, password: string): this {
    this.#forms.add(Buffer.from(`${username}:${password}`, 'utf8').toString('base64'));
    return this.add(password);
  }

  text(input: string): string {
    let out = input;
    // Longest first, so a secret containing another is replaced whole.
    for (const form of [...this.#forms].sort((a, b) => b.length - a.length)) out = out.split(form).join(REDACTED);
    return out;
  }

  /** Container log text ready for a report: no ANSI codes, no secrets. */
  log(input: string): string {
    return this.text(stripAnsi(input));
  }
}
