import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { generateFiles, OverwriteStrategy, type Tree } from '@nx/devkit';
import { domainDir, serviceApiDir } from '../workspace-paths';
import type { DomainNames } from './domain-names';

// Templates (EJS, `.template` so that no tool takes them for sources or projects) mirror the trees they become:
// files/lib -> libs/<name>, files/service-api -> libs/service-api/src/<name>. `__name__` and `__timestamp__` in a
// path are replaced.
const TEMPLATES = join(__dirname, 'files');
const TREES = [
  { templates: join(TEMPLATES, 'lib'), target: domainDir },
  { templates: join(TEMPLATES, 'service-api'), target: serviceApiDir },
];

/** The name of the first migration's folder: Prisma's `<yyyymmddhhmmss>_init`. */
export const MIGRATION_DIR = /^prisma\/migrations\/\d{14}_init\//;

export const migrationTimestamp = (now: Date): string => now.toISOString().replace(/\D/g, '').slice(0, 14);

export function writeDomainFiles(tree: Tree, names: DomainNames, now: Date): void {
  for (const { templates, target } of TREES) {
    generateFiles(tree, templates, target(names.name), { ...names, timestamp: migrationTimestamp(now) }, { overwriteStrategy: OverwriteStrategy.ThrowIfExisting });
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => (statSync(join(dir, entry)).isDirectory() ? filesUnder(join(dir, entry)) : [join(dir, entry)]));
}

/**
 * The files the generator writes for `name`, by folder, relative to it; the first migration's folder as
 * `prisma/migrations/<timestamp>_init/`, whatever its time.
 */
export function generatedFiles(name: string): Array<{ dir: string; files: Set<string> }> {
  return TREES.map(({ templates, target }) => ({
    dir: target(name),
    files: new Set(
      filesUnder(templates).map((file) =>
        relative(templates, file)
          .split('\\')
          .join('/')
          .replace(/\.template$/, '')
          .replaceAll('__name__', name)
          .replace('__timestamp__', '<timestamp>'),
      ),
    ),
  }));
}

/** A file's path relative to its domain folder as {@link generatedFiles} lists it. */
export const asGeneratedPath = (path: string): string => path.replace(MIGRATION_DIR, 'prisma/migrations/<timestamp>_init/');
