import { getProjects, type Tree, visitNotIgnoredFiles } from '@nx/devkit';
import { hasTsconfigPath } from '../wiring/tsconfig-path';
import { domainDir, importPathOf, serviceApiDir } from '../workspace-paths';
import { domainNames } from './domain-names';

/** Lower-case words of letters and digits joined by `-`, starting with a letter: `loyalty`, `gift-points`. */
const KEBAB_CASE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** Postgres identifiers have at most 63 bytes; names of tables and indexes are built on it. */
const MAX_LENGTH = 40;

/**
 * Names a domain cannot have: folders and import paths the workspace already uses for something else, Postgres'
 * own schemas, and words that would make the generated code or routes read wrongly.
 */
const RESERVED = new Set([
  'admin', 'api', 'app', 'apps', 'auth', 'bitro', 'config', 'contract', 'contracts', 'core', 'db', 'dist', 'docs',
  'domain', 'domains', 'e2e', 'events', 'features', 'gateway', 'generated', 'health', 'http', 'information-schema',
  'internal', 'libs', 'messaging', 'node-modules', 'persistence', 'prisma', 'public', 'service-api', 'shared', 'src',
  'system', 'test', 'testing', 'tmp', 'tools', 'v1', 'workspace',
  // JavaScript's reserved words
  'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else',
  'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null',
  'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield',
]);

/** The Postgres schemas the domains' Prisma projects already use (`schemas = [...]` of each schema.prisma). */
function usedSchemas(tree: Tree): Set<string> {
  const schemas = new Set<string>();
  visitNotIgnoredFiles(tree, 'libs', (path) => {
    if (!path.endsWith('/schema.prisma')) return;
    const list = /^\s*schemas\s*=\s*\[([^\]]*)\]/m.exec(tree.read(path, 'utf-8') ?? '')?.[1] ?? '';
    for (const match of list.matchAll(/"([^"]+)"/g)) schemas.add(match[1]);
  });
  return schemas;
}

/** Throws a readable error when `name` cannot be a new domain of this workspace. */
export function assertNewDomainName(tree: Tree, name: string): void {
  const refuse = (why: string): never => {
    throw new Error(`Cannot create domain "${name}": ${why}`);
  };
  if (!KEBAB_CASE.test(name)) {
    refuse('a domain name is kebab-case: lower-case letters and digits, words joined by "-", starting with a letter (e.g. "loyalty", "gift-points").');
  }
  if (name.length > MAX_LENGTH) refuse(`a domain name has at most ${MAX_LENGTH} characters.`);
  if (RESERVED.has(name) || name.startsWith('pg-')) refuse('this name is reserved (a folder, import path or Postgres schema of the workspace, or a JavaScript word).');
  if (getProjects(tree).has(name)) refuse(`a project named "${name}" exists.`);
  for (const dir of [domainDir(name), serviceApiDir(name)]) if (tree.exists(dir)) refuse(`${dir} exists.`);
  if (hasTsconfigPath(tree, importPathOf(name))) refuse(`tsconfig.base.json already maps ${importPathOf(name)}.`);
  const schema = domainNames(name).schemaName;
  if (usedSchemas(tree).has(schema)) refuse(`another library's Prisma project uses the Postgres schema "${schema}".`);
}
