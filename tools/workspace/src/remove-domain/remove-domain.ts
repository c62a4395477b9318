import { type GeneratorCallback, getProjects, type Tree } from '@nx/devkit';
import { asGeneratedPath, generatedFiles } from '../domain/domain-files';
import { domainNames } from '../domain/domain-names';
import { removeApiTag } from '../wiring/api-tag';
import { removeFromDomains } from '../wiring/domains-module';
import { removeServiceApiExport } from '../wiring/service-api-export';
import { removeTsconfigPath } from '../wiring/tsconfig-path';
import { filesUnder, treeFiles } from '../workspace-files';
import { importPathOf } from '../workspace-paths';
import { regenerateApiDocument, regenerateModuleDocs } from '../workspace-scripts';

export interface RemoveDomainOptions {
  name: string;
  force?: boolean;
}

/**
 * `nx g @bitro/workspace:remove-domain <name>`: takes out exactly what `domain` added for `name`: its two folders
 * (the generated Prisma client with them), its service-api export, its tsconfig path and its line in bitro-api's
 * DOMAINS; then regenerates docs/modules without it. Refuses a domain with files the generator did not write, unless
 * `force`.
 */
export async function removeDomainGenerator(tree: Tree, options: RemoveDomainOptions): Promise<GeneratorCallback> {
  const { name } = options;
  const project = getProjects(tree).get(name);
  if (!project?.tags?.includes('type:domain')) throw new Error(`Cannot remove domain "${name}": there is no project "${name}" tagged type:domain.`);

  const foreign = generatedFiles(name).flatMap(({ dir, files }) => filesUnder(treeFiles(tree), dir).filter((file) => !files.has(asGeneratedPath(file))).map((file) => `${dir}/${file}`));
  if (foreign.length > 0 && !options.force) {
    const shown = foreign.slice(0, 10).join('\n  ');
    throw new Error(
      `Cannot remove domain "${name}": it has files the domain generator did not write, so it is more than a generated domain ` +
        `(pass --force to remove them too):\n  ${shown}${foreign.length > 10 ? `\n  ... and ${foreign.length - 10} more` : ''}`,
    );
  }

  for (const { dir } of generatedFiles(name)) if (tree.exists(dir)) tree.delete(dir);
  removeTsconfigPath(tree, importPathOf(name));
  removeServiceApiExport(tree, name);
  removeFromDomains(tree, { className: `${domainNames(name).className}Module`, importPath: importPathOf(name) });
  removeApiTag(tree, name);
  return () => {
    regenerateModuleDocs(tree.root);
    regenerateApiDocument(tree.root);
  };
}

export default removeDomainGenerator;
