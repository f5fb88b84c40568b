import { defineRule, examples } from '../../rule.js';
import { PRODUCTION_KESTRA_URL } from '../../../../spec/endpoints.js';
import type { RuleProblem } from '../../types.js';

const ID = 'compose-traefik';
const NETWORK = 'dokploy-network';
const HOST = new URL(PRODUCTION_KESTRA_URL).host;
const PORT = '8080';

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'compose',
  description: `Kestra is on the external ${NETWORK} with complete, consistent Traefik labels (Host ${HOST}, websecure, certresolver, port ${PORT}).`,
  doc: `Dokploy's Traefik reaches services over the external \`${NETWORK}\` network. The Kestra service must join it (declared \`external: true\` at the top level) and carry: \`traefik.enable=true\`, \`traefik.docker.network=${NETWORK}\` (Kestra is on two networks), a router whose rule is \`Host(\\\`${HOST}\\\`)\` (the host of PRODUCTION_KESTRA_URL in the spec module) on the \`websecure\` entrypoint with a \`tls.certresolver\`, and \`traefik.http.services.<name>.loadbalancer.server.port=${PORT}\`. Every router's \`service=\` and \`middlewares=\` must name a service and middlewares defined by labels (or by a provider: \`name@file\`).`,
  examples: examples(ID, ['offending-no-network.compose.yml', 'offending-labels.compose.yml'], ['clean.compose.yml']),
  *check(ctx) {
    for (const c of ctx.composeFiles) {
      const compose = c.compose;
      const kestra = compose?.kestra;
      if (!compose || !kestra) continue;
      const file = c.file;
      const out: RuleProblem[] = [];
      const here = kestra.nameNode;
      if (!kestra.networks.some((n) => n.name === NETWORK)) out.push(file.at(kestra.networks[0]?.node ?? here, `service '${kestra.name}' is not on the ${NETWORK} network: Traefik cannot reach it`));
      const topNet = compose.networks.find((n) => n.name === NETWORK);
      if (!topNet) out.push(file.at(here, `the ${NETWORK} network is not declared at the top level (networks: ${NETWORK}: external: true)`));
      else if (!topNet.external) out.push(file.at(topNet.node, `the ${NETWORK} network must be external: true (it is Dokploy's, not this project's)`));

      const labels = new Map(kestra.labels.map((l) => [l.key.trim(), l]));
      const value = (k: string) => labels.get(k)?.value?.trim();
      const labelsAt = kestra.labels[0]?.keyNode ?? here;
      if (value('traefik.enable') !== 'true') out.push(file.at(labels.get('traefik.enable')?.valueNode ?? labelsAt, 'traefik.enable=true is missing'));
      const dn = labels.get('traefik.docker.network');
      if (!dn) out.push(file.at(labelsAt, `traefik.docker.network=${NETWORK} is missing (Kestra is on more than one network)`));
      else if (dn.value?.trim() !== NETWORK) out.push(file.at(dn.valueNode, `traefik.docker.network is '${dn.value}'; expected ${NETWORK}`));

      const middlewares = new Set<string>();
      for (const l of kestra.labels) {
        const m = /^traefik\.http\.middlewares\.([^.]+)\./.exec(l.key.trim());
        if (m) middlewares.add(m[1]!);
      }
      const routers = new Map<string, Map<string, { value: string; node: unknown }>>();
      const services = new Map<string, Map<string, { value: string; node: unknown }>>();
      for (const l of kestra.labels) {
        const r = /^traefik\.http\.routers\.([^.]+)\.(.+)$/.exec(l.key.trim());
        const s = /^traefik\.http\.services\.([^.]+)\.(.+)$/.exec(l.key.trim());
        const target = r ? routers : s ? services : undefined;
        const m = r ?? s;
        if (!target || !m) continue;
        const props = target.get(m[1]!) ?? new Map();
        props.set(m[2]!, { value: (l.value ?? '').trim(), node: l.valueNode });
        target.set(m[1]!, props);
      }
      const hostRule = new RegExp(`Host\\(\\s*[\`'"]${HOST.replace(/\./g, '\\.')}[\`'"]\\s*\\)`);
      const secure = [...routers].filter(([, p]) => /websecure/.test(p.get('entrypoints')?.value ?? ''));
      if (secure.length === 0) out.push(file.at(labelsAt, 'no Traefik router on the websecure entrypoint (HTTPS)'));
      for (const [name, p] of secure) {
        const rule = p.get('rule');
        if (!rule) out.push(file.at(labelsAt, `router '${name}' has no rule: expected Host(\`${HOST}\`)`));
        else if (!hostRule.test(rule.value)) out.push(file.at(rule.node, `router '${name}' rule is ${rule.value}; expected Host(\`${HOST}\`)`));
        if (!p.get('tls.certresolver')?.value) out.push(file.at(p.get('entrypoints')!.node, `router '${name}' on websecure has no tls.certresolver: no certificate will be issued`));
      }
      for (const [name, p] of routers) {
        const rule = p.get('rule');
        if (rule && !hostRule.test(rule.value) && /Host\(/.test(rule.value)) {
          if (!secure.some(([n]) => n === name)) out.push(file.at(rule.node, `router '${name}' rule is ${rule.value}; expected Host(\`${HOST}\`)`));
        }
        if (!p.get('entrypoints')) out.push(file.at(rule?.node ?? labelsAt, `router '${name}' has no entrypoints`));
        const mw = p.get('middlewares');
        for (const used of (mw?.value ?? '').split(',').map((x) => x.trim()).filter(Boolean)) {
          if (!used.includes('@') && !middlewares.has(used)) out.push(file.at(mw!.node, `router '${name}' uses middleware '${used}', which no traefik.http.middlewares label defines`));
        }
        const svc = p.get('service');
        if (svc && !services.has(svc.value)) out.push(file.at(svc.node, `router '${name}' points at service '${svc.value}', which no traefik.http.services label defines`));
      }
      if (services.size === 0) out.push(file.at(labelsAt, `traefik.http.services.<name>.loadbalancer.server.port=${PORT} is missing`));
      for (const [name, p] of services) {
        const port = p.get('loadbalancer.server.port');
        if (!port) out.push(file.at(labelsAt, `service '${name}' has no loadbalancer.server.port (expected ${PORT})`));
        else if (port.value !== PORT) out.push(file.at(port.node, `service '${name}' sends traffic to port ${port.value}; Kestra's UI and API listen on ${PORT}`));
      }
      yield* out;
    }
  },
});
