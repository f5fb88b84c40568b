import { defineRule, examples, lintedFlows } from '../../rule.js';
import { parseConstraints } from '../../server.js';
import type { RuleProblem } from '../../types.js';

const ID = 'server-validate';

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'server',
  description: "With --server: the flow passes the Kestra server's own validation (POST /api/v1/{tenant}/flows/validate).",
  doc: "Each linted flow is posted to the server's validate endpoint; its `constraints` (bean validation and deserialization errors: unknown properties, missing required ones, invalid types) are reported as errors at the property they name (`tasks[0].uri`, Jackson's reference chain) or at the flow's id, its `warnings` and `deprecationPaths` as warnings. This checks every plugin the server has installed, including non-core ones.",
  examples: examples(ID, ['offending.yml', 'offending-missing.yml'], ['clean.yml']),
  async check(ctx) {
    const server = ctx.server;
    if (!server) return [];
    const flows = [...lintedFlows(ctx)];
    const out: RuleProblem[] = [];
    const answers = await mapLimit(flows, 4, (flow) => server.validate(flow.file.text));
    flows.forEach((flow, i) => {
      const answer = answers[i]!;
      const anchor = flow.idNode ?? flow.root;
      for (const c of parseConstraints(answer.constraints ?? '')) {
        let node = c.path ? flow.nodeAtPath(c.path) : undefined;
        if (!node) {
          const type = /Invalid type: ([\w.$]+)/.exec(c.message)?.[1];
          node = type ? [...flow.tasks, ...flow.triggers].find((t) => t.type === type)?.typeNode : undefined;
        }
        out.push(flow.file.at(node ?? anchor, `Kestra: ${c.path && c.path.length ? `${c.path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[')}: ` : ''}${c.message}`));
      }
      for (const w of answer.warnings ?? []) out.push({ ...flow.file.at(anchor, `Kestra warning: ${w}`), severity: 'warning' });
      for (const p of answer.deprecationPaths ?? []) {
        out.push({ ...flow.file.at(flow.nodeAtPath(p) ?? anchor, `Kestra: ${p} is deprecated`), severity: 'warning' });
      }
    });
    return out;
  },
});

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return results;
}
