/**
 * The Kestra container's environment as flows see it — passed in as a record, never read from
 * process.env, so a test says exactly what Kestra has:
 *
 *  - `SECRET_<NAME>` holds a base64 value; `secret('<NAME>')` decodes it. Names are matched
 *    case-insensitively (EnvVarSecretService upper-cases both sides); a missing one is
 *    "Cannot find secret for key '<NAME>'." (SecretNotFoundException).
 *  - `ENV_<NAME>` is `envs.<name>`: prefix stripped, lower-cased (EnvVarsFunction / the `envs`
 *    variable, kestra.variables.env-vars-prefix = ENV_).
 */

export class SecretNotFoundError extends Error {
  override readonly name = 'SecretNotFoundError';
}

export class KestraEnvironment {
  readonly #secrets = new Map<string, string>();
  readonly #envs: Record<string, string> = {};

  constructor(env: Readonly<Record<string, string | undefined>> = {}) {
    for (const [key, value] of Object.entries(env)) {
      if (value === undefined) continue;
      if (key.startsWith('SECRET_') && key.length > 7) this.#secrets.set(key.slice(7).toUpperCase(), value);
      else if (key.startsWith('ENV_') && key.length > 4) this.#envs[key.slice(4).toLowerCase()] = value;
    }
  }

  /** `secret('NAME')`: the decoded value, or a SecretNotFoundError Kestra's wording. */
  secret(name: string): string {
    const encoded = this.#secrets.get(String(name).toUpperCase());
    if (encoded === undefined) throw new SecretNotFoundError(`Cannot find secret for key '${name}'.`);
    const clean = encoded.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) {
      throw new SecretNotFoundError(`Secret '${name}' is not valid base64 (SECRET_${String(name).toUpperCase()} must hold the base64 of the value)`);
    }
    return Buffer.from(clean, 'base64').toString('utf8');
  }

  /** Every decoded secret value (to recognise them, e.g. when redacting). */
  secretValues(): string[] {
    return [...this.#secrets.keys()].flatMap((name) => {
      try {
        return [this.secret(name)];
      } catch {
        return [];
      }
    });
  }

  /** The `envs` variable. */
  envs(): Record<string, string> {
    return { ...this.#envs };
  }
}

/** `SECRET_<NAME>` entries (base64) for plain values — what a deployment's .env holds. */
export function secretEnv(secrets: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(secrets).map(([name, value]) => [`SECRET_${name.toUpperCase()}`, Buffer.from(value, 'utf8').toString('base64')]));
}
