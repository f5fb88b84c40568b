import { isScalar } from 'yaml';
import type { Scalar } from 'yaml';
import { defineRule, examples, lintedFlows } from '../../rule.js';
import { FlowModel } from '../../flow-model.js';
import { IF, FALSE_RENDERINGS } from '../../../../kestra-model/catalog.js';
import { parseOne, isTemplate } from '../../templates.js';
import { pebble, type TemplateAst } from '../../pebble-adapter.js';

const ID = 'if-always-true';

type Part = { literal: string } | { any: true };

/** The rendered shape of a template: literal text and holes for expressions; null when tags make it unknowable. */
function shape(ast: TemplateAst): Part[] | null {
  const parts: Part[] = [];
  for (const node of ast.body) {
    if (node.kind === 'text') parts.push({ literal: node.value });
    else if (node.kind === 'raw') parts.push({ literal: node.content });
    else if (node.kind === 'print') {
      const e = node.expr;
      if (e.kind === 'literal' && (typeof e.value === 'string' || typeof e.value === 'boolean' || (typeof e.value === 'number' && Number.isInteger(e.value)) || e.value === null)) {
        parts.push({ literal: e.value === null ? '' : String(e.value) });
      } else parts.push({ any: true });
    } else return null;
  }
  return parts;
}

function canRender(parts: Part[], target: string): boolean {
  const re = parts.map((p) => ('literal' in p ? p.literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : '[\\s\\S]*')).join('');
  return new RegExp(`^${re}$`).test(target);
}

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'kestra',
  description: "An If condition can render a false value under Kestra's truthiness.",
  doc: 'Kestra renders an If `condition` to a string and treats only `false`, `0`, `-0` and the empty string as false (TruthUtils). Text outside `{{ }}` is kept: `"{{ inputs.status }} == \'active\'"` renders `active == \'active\'`, and a folded `>` scalar keeps a trailing newline (`"false\\n"`) — both are always true, so the `else` branch never runs. The comparison belongs inside the braces: `"{{ inputs.status == \'active\' }}"`. Constant conditions (`true`, `yes`, `"{{ 1 }}"`) are reported too.',
  examples: examples(ID, ['offending-text-outside.yml', 'offending-folded.yml', 'offending-constant.yml'], ['clean.yml']),
  *check(ctx) {
    for (const flow of lintedFlows(ctx)) {
      for (const task of flow.tasks) {
        if (task.canonicalType !== IF) continue;
        const node = FlowModel.node(task, 'condition');
        if (!isScalar(node)) continue;
        const raw = (node as Scalar).value;
        if (raw === null || raw === undefined) continue;
        const text = typeof raw === 'string' ? raw : String(raw);
        let parts: Part[] | null;
        if (typeof raw === 'string' && isTemplate(text)) {
          const { ast } = parseOne(text);
          if (!ast) continue; // pebble-syntax reports it
          parts = shape(ast);
        } else parts = [{ literal: text }];
        if (!parts) continue;
        if (parts.every((p) => 'literal' in p)) {
          const rendered = parts.map((p) => ('literal' in p ? p.literal : '')).join('');
          if (pebble.isTruthy(rendered)) yield flow.file.at(node, `If '${task.id}': the condition is the constant ${JSON.stringify(rendered)}, always true`);
          continue;
        }
        if (!FALSE_RENDERINGS.some((f) => canRender(parts!, f))) {
          const outside = parts.filter((p): p is { literal: string } => 'literal' in p && p.literal !== '').map((p) => JSON.stringify(p.literal));
          yield flow.file.at(node, `If '${task.id}': the condition can never render false, 0, -0 or "" because of the text ${outside.join(' and ')} outside {{ }}: it is always true — put the whole test inside one {{ }}`);
        }
      }
    }
  },
});
