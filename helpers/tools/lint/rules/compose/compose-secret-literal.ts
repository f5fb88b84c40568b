import { isMap, isSeq } from 'yaml';
import type { YAMLMap, YAMLSeq, Node } from 'yaml';
import { defineRule, examples } from '../../rule.js';
import { scalarString } from '../../source.js';
import type { RuleProblem } from '../../types.js';
import type { ComposeFile } from '../../rule-context.js';

const ID = 'compose-secret-literal';

const SECRET_KEY = /(password|passwd|secret|token|api[-_]?key|private[-_]?key|access[-_]?key|credential|encryption[-_]?key)/i;
const TOKEN_VALUE = /\b(ntn_[A-Za-z0-9]{20,}|secret_[A-Za-z0-9]{20,}|re_[A-Za-z0-9_]{16,}|sk_(live|test)_[A-Za-z0-9]{10,}|gh[pousr]_[A-Za-z0-9]{20,}|xox[abp]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16})\b/;

function isLiteral(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '' && !value.includes('${');
}

function* configSecrets(c: ComposeFile, node: unknown, path: string[]): Generator<RuleProblem> {
  const compose = c.compose!;
  if (isMap(node)) {
    for (const pair of (node as YAMLMap).items) {
      const key = scalarString(pair.key) ?? '?';
      const v = scalarString(pair.value);
      if (SECRET_KEY.test(key) && isLiteral(v)) yield { file: c.file.path, ...compose.configPos(pair.value as Node), message: `KESTRA_CONFIGURATION ${[...path, key].join('.')} is a literal secret: read it from a \${VARIABLE}` };
      else yield* configSecrets(c, pair.value, [...path, key]);
    }
  } else if (isSeq(node)) {
    for (const item of (node as YAMLSeq).items) yield* configSecrets(c, item, path);
  }
}

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'compose',
  description: 'No secret literals in the compose file: passwords, tokens and keys come from ${VARIABLES}.',
  doc: 'The compose file is committed: an environment entry whose name says it is a secret (`*PASSWORD*`, `*SECRET*`, `*TOKEN*`, `*API_KEY*`, …, including every `SECRET_*` flow secret), a secret-named key of `KESTRA_CONFIGURATION` (`password:`, `secret-key:`), or a value shaped like a known token (Notion `ntn_…`, Resend `re_…`, GitHub, Slack, AWS) must be a `${VARIABLE}` set in Dokploy, never a literal.',
  examples: examples(ID, ['offending-env.compose.yml', 'offending-config.compose.yml'], ['clean.compose.yml']),
  *check(ctx) {
    for (const c of ctx.composeFiles) {
      const compose = c.compose;
      if (!compose) continue;
      for (const s of compose.services) {
        for (const e of s.environment) {
          if (e.key === 'KESTRA_CONFIGURATION') continue;
          if (SECRET_KEY.test(e.key) && isLiteral(e.value)) {
            yield { file: c.file.path, ...compose.entryValuePos(e), message: `service '${s.name}': ${e.key} is a literal secret — use \${${e.key}} and document it in .env.example` };
          } else if (e.value && TOKEN_VALUE.test(e.value)) {
            yield { file: c.file.path, ...compose.entryValuePos(e), message: `service '${s.name}': ${e.key} holds what looks like an API token` };
          }
        }
        for (const l of s.labels) {
          if (/basicauth\.users$/i.test(l.key) && isLiteral(l.value)) yield { file: c.file.path, ...compose.entryValuePos(l), message: `service '${s.name}': ${l.key} holds password hashes — use a \${VARIABLE}` };
        }
      }
      const cfg = compose.kestraConfiguration();
      if (cfg) yield* configSecrets(c, cfg.root, []);
    }
  },
});
