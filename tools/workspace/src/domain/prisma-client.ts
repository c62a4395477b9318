import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { domainDir } from '../workspace-paths';

/** Generates the domain's Prisma client (src/generated, git-ignored) with the workspace's Prisma runner. */
export function generatePrismaClient(root: string, name: string): void {
  execFileSync(process.execPath, [join(root, 'tools/prisma/prisma.mjs'), 'generate', '--config', join(root, domainDir(name), 'prisma.config.ts')], {
    cwd: root,
    stdio: 'inherit',
  });
}
