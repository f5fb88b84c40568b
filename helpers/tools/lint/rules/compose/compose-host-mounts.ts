import { defineRule, examples } from '../../rule.js';

const ID = 'compose-host-mounts';

/** The host side of a volume entry, when it is a bind mount. */
export function hostSource(text: string): string | undefined {
  const long = /source=([^ ]*)/.exec(text);
  if (long) return /type=bind/.test(text) || /^[/~.]/.test(long[1]!) ? long[1] || undefined : undefined;
  const parts = text.split(':');
  if (parts.length < 2) return undefined;
  const src = parts[0]!;
  return /^[/~.]|^\$\{/.test(src) ? src : undefined;
}

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'compose',
  description: 'No absolute host mounts and no Docker socket.',
  doc: 'SPEC §8: the flows run no containers, so Kestra needs no Docker socket (`/var/run/docker.sock` gives root on the host). Absolute host paths (`/opt/kestra:/app/storage`, `~/…`) tie the service to one machine and bypass Dokploy\'s volumes: use named volumes.',
  examples: examples(ID, ['offending-socket.compose.yml', 'offending-absolute.compose.yml'], ['clean.compose.yml']),
  *check(ctx) {
    for (const c of ctx.composeFiles) {
      for (const s of c.compose?.services ?? []) {
        for (const v of s.volumes) {
          if (/docker\.sock/.test(v.text)) {
            yield c.file.at(v.node, `service '${s.name}' mounts the Docker socket: the flows run no containers (SPEC §8)`);
            continue;
          }
          const src = hostSource(v.text);
          if (src && /^[/~]/.test(src)) yield c.file.at(v.node, `service '${s.name}' mounts the host path ${src}: use a named volume`);
        }
      }
    }
  },
});
