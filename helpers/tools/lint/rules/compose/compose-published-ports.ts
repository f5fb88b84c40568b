import { defineRule, examples } from '../../rule.js';

const ID = 'compose-published-ports';
const PRIVATE_PORTS = ['5432', '8080', '8081'];

/** The container and host ports of a `ports:` entry (short or long syntax). */
export function portsOf(text: string): string[] {
  const long = /target=(\d+)/.exec(text);
  const published = /published=(\d+)/.exec(text);
  if (long) return [long[1]!, ...(published ? [published[1]!] : [])];
  const noProto = text.split('/')[0]!;
  return noProto.split(':').flatMap((p) => {
    const range = /^(\d+)-(\d+)$/.exec(p);
    if (range) {
      const out: string[] = [];
      for (let i = Number(range[1]); i <= Number(range[2]) && out.length < 100; i++) out.push(String(i));
      return out;
    }
    return /^\d+$/.test(p) ? [p] : [];
  });
}

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'compose',
  description: 'No published ports for 5432, 8080 or 8081: traffic comes through Traefik only.',
  doc: 'Publishing PostgreSQL (5432) or Kestra\'s API/UI (8080) and management port (8081) on the host bypasses Traefik, TLS and basic auth and exposes them to the internet. Use `expose:` (container network only) and the Traefik labels.',
  examples: examples(ID, ['offending.compose.yml'], ['clean.compose.yml']),
  *check(ctx) {
    for (const c of ctx.composeFiles) {
      for (const s of c.compose?.services ?? []) {
        for (const p of s.ports) {
          const hit = portsOf(p.text).find((x) => PRIVATE_PORTS.includes(x));
          if (hit) yield c.file.at(p.node, `service '${s.name}' publishes port ${hit} on the host: remove it (use expose: and Traefik)`);
        }
      }
    }
  },
});
