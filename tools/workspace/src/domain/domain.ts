import { type GeneratorCallback, logger, type Tree } from '@nx/devkit';
import { addApiTag } from '../wiring/api-tag';
import { addToDomains } from '../wiring/domains-module';
import { addServiceApiExport } from '../wiring/service-api-export';
import { addTsconfigPath } from '../wiring/tsconfig-path';
import { entryPointOf, importPathOf } from '../workspace-paths';
import { generatePrismaClient, regenerateApiDocument, regenerateModuleDocs } from '../workspace-scripts';
import { writeDomainFiles } from './domain-files';
import { domainNames } from './domain-names';
import { assertNewDomainName } from './validate-name';

export interface DomainOptions {
  name: string;
}

/**
 * `nx g @bitro/workspace:domain <name>`: a domain library in the shape of libs/README.md, its service-api
 * contracts, its import path, and its module in bitro-api's DOMAINS. Only Tree edits, so `--dry-run` writes nothing;
 * once the files are written, it generates the domain's Prisma client and regenerates docs/modules.
 */
export async function domainGenerator(tree: Tree, options: DomainOptions, now = new Date()): Promise<GeneratorCallback> {
  assertNewDomainName(tree, options.name);
  const names = domainNames(options.name);
  writeDomainFiles(tree, names, now);
  addTsconfigPath(tree, importPathOf(names.name), entryPointOf(names.name));
  addServiceApiExport(tree, names.name);
  addToDomains(tree, { className: `${names.className}Module`, importPath: importPathOf(names.name) });
  addApiTag(tree, names.name, `${names.title.charAt(0).toUpperCase()}${names.title.slice(1)}: items of the signed-in user.`);

  return () => {
    generatePrismaClient(tree.root, names.name);
    regenerateModuleDocs(tree.root);
    regenerateApiDocument(tree.root);
    const next = [
      [`npx nx run ${names.name}:test`, 'its module test'],
      ['npm run db:migrate', 'its schema in your database'],
    ];
    const width = Math.max(...next.map(([command]) => command.length)) + 2;
    logger.info([`Domain "${names.name}" created: libs/${names.name}/README.md says what to grow or replace.`, ...next.map(([command, what]) => `  ${command.padEnd(width)}${what}`)].join('\n'));
  };
}

export default domainGenerator;
