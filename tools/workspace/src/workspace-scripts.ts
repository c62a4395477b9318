import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { domainDir } from './workspace-paths';

// What a generator runs once its files are written (a generator's callback: never on --dry-run).

function runScript(root: string, script: string, args: string[]): void {
  execFileSync(process.execPath, [join(root, script), ...args], { cwd: root, stdio: 'inherit' });
}

/** Generates the domain's Prisma client (src/generated, git-ignored) with the workspace's Prisma runner. */
export function generatePrismaClient(root: string, name: string): void {
  runScript(root, 'tools/prisma/prisma.mjs', ['generate', '--config', join(root, domainDir(name), 'prisma.config.ts')]);
}

/** `npm run docs:modules`: docs/modules follows the domains (a canvas each, the overview, the event schemas). */
export function regenerateModuleDocs(root: string): void {
  runScript(root, 'tools/docs/modules.mjs', []);
}

/**
 * `npm run docs:openapi` then `nx run client:generate`: the committed OpenAPI document and the typed client's types
 * follow the routes (both are checked for freshness in npm test).
 */
export function regenerateApiDocument(root: string): void {
  runScript(root, 'tools/docs/openapi.mjs', []);
  runScript(root, 'libs/client/generate.mjs', []);
}
