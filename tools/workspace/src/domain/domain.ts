import { type GeneratorCallback, logger, type Tree } from '@nx/devkit';
import { addToDomains } from '../wiring/domains-module';
import { addServiceApiExport } from '../wiring/service-api-export';
import { addTsconfigPath } from '../wiring/tsconfig-path';
import { entryPointOf, importPathOf } from '../workspace-paths';
import { writeDomainFiles } from './domain-files';
import { domainNames } from './domain-names';
import { generatePrismaClient } from './prisma-client';
import { assertNewDomainName } from './validate-name';

export interface DomainOptions {
  name: string;
  skipPrismaGenerate?: boolean;
}

/**
 * `nx g @bitro/workspace:domain <name>`: a domain library in the shape of libs/README.md, its service-api
 * contracts, its import path, and its module in bitro-api's DOMAINS. Only Tree edits, so `--dry-run` writes nothing;
 * the Prisma client is generated after the files are written.
 */
export async function domainGenerator(tree: Tree, options: DomainOptions, now = new Date()): Promise<GeneratorCallback> {
  assertNewDomainName(tree, options.name);
  const names = domainNames(options.name);
  writeDomainFiles(tree, names, now);
  addTsconfigPath(tree, importPathOf(names.name), entryPointOf(names.name));
  addServiceApiExport(tree, names.name);
  addToDomains(tree, { className: `${names.className}Module`, importPath: importPathOf(names.name) });

  return () => {
    if (!options.skipPrismaGenerate) generatePrismaClient(tree.root, names.name);
    logger.info(
      [
        `Domain "${names.name}" created (libs/${names.name}/README.md says what to do next).`,
        `  test it:          npx nx run ${names.name}:test`,
        `  migrate your dev database: npm run db:migrate`,
      ].join('\n'),
    );
  };
}

export default domainGenerator;
