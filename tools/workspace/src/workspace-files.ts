import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Tree } from '@nx/devkit';

/** Read access to a workspace: the file system, or a generator's Tree. Paths are relative to the workspace root. */
export interface WorkspaceFiles {
  /** The entries of a directory; none for a file or a path that does not exist. */
  children(dir: string): string[];
  isFile(path: string): boolean;
  read(path: string): string;
}

export const treeFiles = (tree: Tree): WorkspaceFiles => ({
  children: (dir) => tree.children(dir),
  isFile: (path) => tree.isFile(path),
  read: (path) => tree.read(path, 'utf-8') ?? '',
});

export function diskFiles(root: string): WorkspaceFiles {
  const stat = (path: string) => statSync(join(root, path), { throwIfNoEntry: false });
  return {
    children: (dir) => (stat(dir)?.isDirectory() ? readdirSync(join(root, dir)) : []),
    isFile: (path) => stat(path)?.isFile() ?? false,
    read: (path) => readFileSync(join(root, path), 'utf-8'),
  };
}

/** Every file under `dir`, relative to it and sorted, without generated code (the Prisma clients) and node_modules. */
export function filesUnder(files: WorkspaceFiles, dir: string, prefix = ''): string[] {
  return [...files.children(dir)].sort().flatMap((child) => {
    if (child === 'generated' || child === 'node_modules') return [];
    const path = `${prefix}${child}`;
    return files.isFile(`${dir}/${child}`) ? [path] : filesUnder(files, `${dir}/${child}`, `${path}/`);
  });
}
