import { basename, dirname, relative, sep } from 'node:path';
import { defineRule, examples } from '../../rule.js';

const ID = 'namespace-folder';

export default defineRule({
  id: ID,
  severity: 'error',
  profile: 'project',
  description: 'A flow lives at `kestra/flows/<namespace as folders>/<id>.yml`.',
  doc: 'The folder under `kestra/flows` is the namespace (one folder per dot: `christmas/handlers` is `christmas.handlers`) and the file name is the id: `kestra/flows/christmas/handlers/signup-handler.yml` holds namespace `christmas.handlers`, id `signup-handler`. Deployment and the harness find flows by this convention.',
  examples: examples(ID, ['offending', 'offending-id'], ['clean']),
  *check(ctx) {
    for (const f of ctx.flows) {
      const flow = f.flow;
      if (!flow || !f.flowsRoot) continue;
      const rel = relative(f.flowsRoot, f.file.path);
      const folder = dirname(rel);
      const expectedNamespace = folder === '.' ? '' : folder.split(sep).join('.');
      const expectedId = basename(rel).replace(/\.ya?ml$/i, '');
      if (flow.namespace !== undefined) {
        if (expectedNamespace === '') yield flow.file.at(flow.namespaceNode, `flow file sits directly in kestra/flows: move it to kestra/flows/${flow.namespace.split('.').join('/')}/`);
        else if (flow.namespace !== expectedNamespace) yield flow.file.at(flow.namespaceNode, `namespace '${flow.namespace}' does not match the folder: this file's folder means '${expectedNamespace}'`);
      }
      if (flow.id !== undefined && flow.id !== expectedId) yield flow.file.at(flow.idNode, `id '${flow.id}' does not match the file name '${basename(rel)}' (expected id '${expectedId}')`);
    }
  },
});
