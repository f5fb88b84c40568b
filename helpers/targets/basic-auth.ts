/** The secret forms of Basic credentials: the password, and the header token that carries it. */
export function basicAuthSecrets(credentials: { username: string; password: string }): string[] {
  return [credentials.password, Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')];
}
