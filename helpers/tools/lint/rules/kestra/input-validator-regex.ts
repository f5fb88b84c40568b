import { defineRule, examples, lintedFlows } from '../../rule.js';
import { stringAt, valueNode } from '../../source.js';
import { regexSyntaxError, unsafeRegexReason, MAX_SAFE_REGEX_LENGTH } from '../../regex-check.js';

const ID = 'input-validator-regex';

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'kestra',
  description: "A STRING input's `validator` compiles as a Java regex; a ReDoS-prone one is a warning.",
  doc: `Kestra validates \`StringInput.validator\` when the flow is saved (\`@Regex\`, RegexValidator.java: \`Pattern.compile\`, "invalid pattern [...]"), so an unbalanced group, an unterminated class, a stray \`{\` or an unknown escape (\`\\q\`) refuses the deploy: an error. Newer Kestra (after kestra-io/kestra#17281, \`@SafeRegexValidation\`) also refuses "unsafe" validators — longer than ${MAX_SAFE_REGEX_LENGTH} characters, or a group holding a quantifier or an alternation that is itself repeated (\`(a+)+\`, \`(a|b)*\`, \`(\\.\\d+)?\`, \`(?:x)+\`): the pinned 1.3.x accepts them, so they are a warning that blocks the upgrade. Write \`(\\d+|\\d+\\.\\d+)\` instead of \`\\d+(\\.\\d+)?\`. Patterns using Java-only syntax (possessive quantifiers, atomic groups, inline flags) are not judged offline.`,
  examples: examples(ID, ['offending-syntax.yml', 'offending-unsafe.yml'], ['clean.yml']),
  *check(ctx) {
    for (const flow of lintedFlows(ctx)) {
      for (const input of flow.inputs) {
        if (input.type !== 'STRING') continue;
        const pattern = stringAt(input.node, 'validator');
        if (pattern === undefined) continue;
        const node = valueNode(input.node, 'validator');
        const syntax = regexSyntaxError(pattern);
        if (syntax) {
          yield flow.file.at(node, `input '${input.id ?? '?'}': invalid pattern [${pattern}]: ${syntax}`);
          continue;
        }
        const unsafe = unsafeRegexReason(pattern);
        if (unsafe) yield { ...flow.file.at(node, `input '${input.id ?? '?'}': validator ${unsafe}; newer Kestra refuses it as prone to catastrophic backtracking`), severity: 'warning' };
      }
    }
  },
});
