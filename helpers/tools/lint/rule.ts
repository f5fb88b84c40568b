/** Small helpers every rule module uses. */
import type { LintContext } from './rule-context.js';
import type { FlowModel } from './flow-model.js';
import type { Rule } from './types.js';

export function defineRule(rule: Rule): Rule {
  return rule;
}

/** The linted flows that parsed into a mapping. */
export function* lintedFlows(ctx: LintContext): Generator<FlowModel> {
  for (const f of ctx.flows) if (f.flow) yield f.flow;
}

/** Example paths of a rule: `fixtures/lint/<rule-id>/<name>` (a file, or a folder linted as a repository). */
export function examples(ruleId: string, offending: string[], clean: string[]): Rule['examples'] {
  return {
    offending: offending.map((n) => `fixtures/lint/${ruleId}/${n}`),
    clean: clean.map((n) => `fixtures/lint/${ruleId}/${n}`),
  };
}

/** `a`, `a and b`, `a, b and c`. */
export function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
