import { defineRule, examples, lintedFlows } from '../../rule.js';
import { PRODUCTION_NOTION_API_URL, PRODUCTION_RESEND_API_URL } from '../../../../spec/endpoints.js';

const ID = 'hardcoded-api-url';

const APIS = [
  { name: 'Notion', host: new URL(PRODUCTION_NOTION_API_URL).host, env: 'envs.notion_api_url' },
  { name: 'Resend', host: new URL(PRODUCTION_RESEND_API_URL).host, env: 'envs.resend_api_url' },
];

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'project',
  description: 'Flows never hard-code the Notion or Resend API base URL; they read it from envs.',
  doc: `The API base URLs are deployment configuration (SPEC §8) so a test stack can point them at local stand-ins: write \`{{ envs.notion_api_url }}/v1/…\` and \`{{ envs.resend_api_url }}/emails\`, never ${APIS.map((a) => `\`${a.host}\``).join(' or ')} (hosts read from the spec module).`,
  examples: examples(ID, ['offending.yml'], ['clean.yml']),
  *check(ctx) {
    for (const flow of lintedFlows(ctx)) {
      for (const s of flow.strings()) {
        for (const api of APIS) {
          const i = s.value.indexOf(api.host);
          if (i < 0) continue;
          yield { file: flow.file.path, ...flow.file.scalarPos(s.node, i), message: `hard-coded ${api.name} API URL (${api.host}): use {{ ${api.env} }} so the deployment decides` };
        }
      }
    }
  },
});
