import { defineRule, examples, lintedFlows } from '../../rule.js';
import { templatePos } from '../../templates.js';

const ID = 'pebble-syntax';

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'kestra',
  description: 'Every Pebble expression parses: balanced `{{ }}`/`{% %}`, quotes and brackets, known syntax.',
  doc: 'Each string of the flow that contains `{{`, `{%` or `{#` is parsed with the project\'s Pebble parser (helpers/kestra-model/pebble, the grammar Kestra uses). An unclosed delimiter, an unbalanced bracket or quote, or an unparsable expression is reported at the offending character inside the YAML string — Kestra would only fail at run time, when the task renders the property.',
  examples: examples(ID, ['offending-unclosed.yml', 'offending-bracket.yml'], ['clean.yml']),
  *check(ctx) {
    for (const flow of lintedFlows(ctx)) {
      for (const t of ctx.templates(flow)) {
        if (t.error) yield { file: flow.file.path, ...templatePos(flow, t, t.error.offset), message: `Pebble: ${t.error.message}` };
      }
    }
  },
});
