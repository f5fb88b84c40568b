/**
 * What `npm run <script>` runs, without starting npm (about 0.4 s of CPU a run): the node arguments
 * of a package.json script of the form `node <file> [args…]`, the file made absolute. Specs that
 * prove a command's contract spawn exactly this, so they follow the script wherever it points.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPOSITORY_ROOT } from '../../helpers/kestra-model/repository-flows.js';

export function npmScriptArgs(script: string): string[] {
  const { scripts } = JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const line = scripts[script];
  const match = line === undefined ? null : /^node (\S+)((?: [^\s'"]+)*)$/.exec(line);
  if (!match) throw new Error(`package.json: script "${script}" is not "node <file> [args…]" (${line ?? 'missing'})`);
  return [join(REPOSITORY_ROOT, match[1]!), ...match[2]!.split(' ').filter(Boolean)];
}
