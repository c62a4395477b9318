/** The facts read from the source without running it: what graph:check needs, and the base of the module docs. */
import { buildContractCatalog } from './contract-catalog.mjs';
import { collectModuleFacts, hasModuleFacts } from './module-facts.mjs';
import { createSourceIndex } from './source-index.mjs';
import { loadWorkspace } from './workspace.mjs';

export { hasModuleFacts };

export function readStaticFacts(root) {
  const workspace = loadWorkspace(root);
  const index = createSourceIndex(workspace);
  const catalog = buildContractCatalog(workspace, index);
  const facts = collectModuleFacts(workspace, index, catalog);
  return { workspace, index, catalog, facts };
}
