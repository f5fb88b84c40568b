import { isMap } from 'yaml';
import type { YAMLMap } from 'yaml';
import { defineRule, examples, lintedFlows } from '../../rule.js';
import { FlowModel } from '../../flow-model.js';
import { HTTP_REQUEST } from '../../../../kestra-model/catalog.js';
import { scalarString, valueNode } from '../../source.js';
import { NOTION_VERSION } from '../../../../spec/notion-model.js';

const ID = 'notion-version';

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'project',
  description: `Every Notion request sends Notion-Version: ${NOTION_VERSION} (the spec's constant).`,
  doc: `SPEC §7: the flows and the harness speak one Notion API version, \`NOTION_VERSION\` of the spec module (${NOTION_VERSION}: databases hold data sources, rows are queried through \`/v1/data_sources/{id}/query\`). A \`Notion-Version\` header with another value (the seeds' 2022-06-28) is reported at the value; an HTTP Request to the Notion API (its uri reads \`notion_api_url\` or names the Notion host) without the header (its own or from the flow's \`pluginDefaults\`) is reported at the task.`,
  examples: examples(ID, ['offending-old.yml', 'offending-missing.yml'], ['clean.yml']),
  *check(ctx) {
    for (const flow of lintedFlows(ctx)) {
      const reported = new Set<string>();
      for (const task of flow.tasks) {
        if (task.canonicalType !== HTTP_REQUEST) continue;
        // the task's own headers, then those its pluginDefaults fill in
        const sources = [FlowModel.node(task, 'headers'), ...flow.pluginDefaultsFor(task).map((d) => valueNode(d.values, 'headers'))];
        let found = false;
        for (const headers of sources) {
          if (found || !isMap(headers)) continue;
          for (const pair of (headers as YAMLMap).items) {
            const name = scalarString(pair.key);
            if (name?.toLowerCase() !== 'notion-version') continue;
            found = true;
            const value = scalarString(pair.value);
            const key = `${(pair.value as { range?: number[] } | null)?.range?.[0]}`;
            if (value !== NOTION_VERSION && !reported.has(key)) {
              reported.add(key);
              yield flow.file.at(pair.value ?? pair.key, `Notion-Version is ${JSON.stringify(value ?? null)}; the flows speak ${NOTION_VERSION} (NOTION_VERSION in the spec module)`);
            }
          }
        }
        const uri = FlowModel.str(task, 'uri') ?? '';
        if (!found && /notion_api_url|api\.notion\.com/i.test(uri)) {
          yield flow.file.at(task.idNode ?? task.node, `Notion request '${task.id}' sends no Notion-Version header (expected ${NOTION_VERSION})`);
        }
      }
    }
  },
});
