/**
 * Secrets never leave the Kestra client in clear. Every URL, message, body excerpt and progress
 * event goes through a Redactor, which replaces:
 *  - the key segment of any webhook path (`/executions/webhook/{ns}/{flow}/{key}`), wherever it
 *    appears (Micronaut echoes the request path in its 404 bodies), and
 *  - every registered secret (password, Basic token, webhook keys), raw and URL-encoded.
 */
export const REDACTED = '***';

const WEBHOOK_KEY = /(\/executions\/webhook\/[^/\s?#"'<>]+\/[^/\s?#"'<>]+\/)([^/\s?#"'<>&]+)/g;

export function redactWebhookKeys(text: string): string {
  return text.replace(WEBHOOK_KEY, `$1${REDACTED}`);
}

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Registers a secret; empty values are ignored. */
  add(secret: string | undefined): void {
    if (!secret) return;
    this.secrets.add(secret);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) this.secrets.add(encoded);
    // Inside JSON (attachments, response bodies) a secret with " or \ appears escaped.
    const jsonEscaped = JSON.stringify(secret).slice(1, -1);
    if (jsonEscaped !== secret) this.secrets.add(jsonEscaped);
  }

  text(input: string): string {
    let out = redactWebhookKeys(input);
    // Longest first, so a secret that contains another is replaced whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      out = out.split(secret).join(REDACTED);
    }
    return out;
  }

  /** A URL without user-info and with every secret replaced. */
  url(url: URL | string): string {
    const parsed = new URL(String(url));
    parsed.username = '';
    parsed.password = '';
    return this.text(parsed.toString());
  }
}

/** One line, at most `max` characters: whitespace collapsed, an ellipsis when truncated. */
export function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** A redactor that knows these secrets. */
export function redactorFor(secrets: readonly string[]): Redactor {
  const redactor = new Redactor();
  for (const secret of secrets) redactor.add(secret);
  return redactor;
}
