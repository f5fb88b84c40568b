import { defineRule, examples } from '../../rule.js';

const ID = 'compose-image-pinned';

/** The tag of an image reference (`name:tag`, `registry:5000/name:tag`), undefined when untagged. */
export function imageTag(image: string): { tag: string | undefined; digest: boolean } {
  const digest = image.includes('@');
  const ref = image.split('@')[0]!;
  const lastSlash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return { tag: colon > lastSlash ? ref.slice(colon + 1) : undefined, digest };
}

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'compose',
  description: 'Every image is pinned to a version tag (never `latest`, never untagged).',
  doc: 'SPEC §8: image tags are pinned, so a redeploy never silently upgrades Kestra or PostgreSQL (Kestra\'s `latest` moves across major versions). `image: kestra/kestra`, `kestra/kestra:latest` and `:develop` are reported; a digest (`@sha256:…`) counts as pinned.',
  examples: examples(ID, ['offending-latest.compose.yml', 'offending-untagged.compose.yml'], ['clean.compose.yml']),
  *check(ctx) {
    for (const c of ctx.composeFiles) {
      for (const s of c.compose?.services ?? []) {
        if (s.image === undefined || s.image.includes('${')) continue;
        const { tag, digest } = imageTag(s.image);
        if (digest) continue;
        if (tag === undefined) yield c.file.at(s.imageNode, `service '${s.name}': image ${s.image} has no tag — pin a version`);
        else if (/^(latest|develop|dev|nightly|edge|main|master)(-.*)?$/i.test(tag)) yield c.file.at(s.imageNode, `service '${s.name}': image tag '${tag}' moves — pin a version`);
      }
    }
  },
});
