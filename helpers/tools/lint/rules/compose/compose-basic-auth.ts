import { isSeq } from 'yaml';
import type { YAMLSeq, Node } from 'yaml';
import { defineRule, examples, list } from '../../rule.js';
import { mapAt, valueNode, keyNode, scalarString, stringAt } from '../../source.js';
import { WEBHOOK_HANDLERS, webhookPath } from '../../../../spec/endpoints.js';
import type { RuleProblem } from '../../types.js';

const ID = 'compose-basic-auth';

/** The webhook path styles the open URLs must cover: tenant (`/api/v1/main/…`) and tenant-less. */
export function webhookSamples(): { style: string; path: string }[] {
  return Object.values(WEBHOOK_HANDLERS).flatMap((h) => [
    { style: 'tenant', path: webhookPath(h, 'KEY') },
    { style: 'tenant-less', path: webhookPath(h, 'KEY', { tenantless: true }) },
  ]);
}

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'compose',
  description: 'Basic auth is on, with credentials from variables and open-urls covering both webhook path styles.',
  doc: 'SPEC §8: basic auth is on (mandatory since Kestra 0.24) and only the webhook routes are open. In the Kestra service\'s `KESTRA_CONFIGURATION`, `kestra.server.basic-auth` must not be disabled, must have a username and a password, and its `open-urls` (prefixes Kestra matches with startsWith) must cover the webhook path of every handler in both styles the spec\'s `webhookPath` builds — `/api/v1/main/executions/webhook/…` and the tenant-less `/api/v1/executions/webhook/…` — without opening the rest of the API.',
  examples: examples(ID, ['offending-one-style.compose.yml', 'offending-disabled.compose.yml'], ['clean.compose.yml']),
  *check(ctx) {
    for (const c of ctx.composeFiles) {
      const compose = c.compose;
      const kestra = compose?.kestra;
      if (!compose || !kestra) continue;
      const cfg = compose.kestraConfiguration();
      const at = (node: Node | undefined, message: string): RuleProblem => ({ file: c.file.path, ...compose.configPos(node), message });
      const server = mapAt(mapAt(cfg?.root, 'kestra'), 'server');
      const auth = mapAt(server, 'basic-auth') ?? mapAt(server, 'basicAuth');
      if (!cfg || !auth) {
        yield c.file.at(cfg ? cfg.scalar : kestra.nameNode, `service '${kestra.name}': no kestra.server.basic-auth in KESTRA_CONFIGURATION — basic auth must be on with open-urls for the webhooks`);
        continue;
      }
      if (stringAt(auth, 'enabled') === 'false') yield at(valueNode(auth, 'enabled'), 'basic auth is disabled: the UI and API would be open to the internet');
      for (const k of ['username', 'password']) {
        const v = stringAt(auth, k);
        if (v === undefined || v.trim() === '') yield at(keyNode(auth, 'enabled') ?? cfg.root.items[0]?.key as Node, `basic-auth ${k} is not set`);
      }
      const urlsNode = valueNode(auth, 'open-urls') ?? valueNode(auth, 'openUrls');
      const urls = isSeq(urlsNode) ? (urlsNode as YAMLSeq).items.map((i) => ({ value: scalarString(i) ?? '', node: i as Node })) : [];
      if (urls.length === 0) {
        yield at(keyNode(auth, 'enabled') ?? (auth.items[0]?.key as Node), 'basic-auth has no open-urls: the webhooks would require a login');
        continue;
      }
      for (const u of urls) {
        if (['/', '/api', '/api/', '/api/v1', '/api/v1/', '/api/v1/main', '/api/v1/main/'].includes(u.value) || u.value === '') yield at(u.node, `open-url '${u.value}' opens the whole API, not just the webhooks`);
      }
      const uncovered = webhookSamples().filter((s) => !urls.some((u) => u.value !== '' && s.path.startsWith(u.value)));
      const styles = [...new Set(uncovered.map((s) => s.style))];
      if (styles.length > 0) {
        const example = uncovered[0]!.path.replace(/[^/]+\/[^/]+\/KEY$/, '');
        yield at(urlsNode, `open-urls do not cover the ${list(styles)} webhook path${styles.length > 1 ? 's' : ''} (e.g. ${example}…)`);
      }
    }
  },
});
