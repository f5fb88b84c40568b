import { isScalar, isSeq } from 'yaml';
import { defineRule, examples } from '../../rule.js';
import type { RuleProblem } from '../../types.js';
import type { SourceFile } from '../../source.js';

const ID = 'yaml-syntax';

function* checkFile(file: SourceFile, what: 'flow' | 'compose'): Generator<RuleProblem> {
  if (file.text.trim() === '' || file.isEmpty) {
    yield { file: file.path, line: 1, column: 1, message: what === 'flow' ? 'empty file: a flow needs at least id, namespace and tasks' : 'empty compose file' };
    return;
  }
  if (file.syntaxErrors.length > 0) {
    // the first error only: later ones are usually consequences of it
    const e = file.syntaxErrors[0]!;
    yield { file: file.path, line: e.line, column: e.column, message: `YAML syntax: ${e.message}` };
    return;
  }
  const contents = file.doc?.contents;
  if (contents && !file.root) {
    const found = isSeq(contents) ? 'a list' : isScalar(contents) ? 'plain text' : 'not a mapping';
    yield { file: file.path, ...file.nodePos(contents), message: `not a YAML mapping (found ${found}): ${what === 'flow' ? 'a flow is a mapping with id, namespace and tasks' : 'a compose file is a mapping with services'}` };
  }
}

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'kestra',
  description: 'The file is valid YAML and its top level is a mapping.',
  doc: 'Reports the first YAML syntax error (bad indentation, unclosed brackets or quotes, duplicate keys) at the position the YAML parser gives, empty files, and files whose top level is not a mapping (plain text, a list). Kestra rejects all of these before looking at the flow.',
  examples: examples(ID, ['offending-indent.yml', 'offending-duplicate-key.yml', 'offending-text.yml', 'offending-empty.yml'], ['clean.yml']),
  *check(ctx) {
    for (const f of ctx.flows) yield* checkFile(f.file, 'flow');
    for (const c of ctx.composeFiles) yield* checkFile(c.file, 'compose');
  },
});
