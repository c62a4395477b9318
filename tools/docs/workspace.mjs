/**
 * The workspace as the module docs see it: the Nx projects under libs/ and apps/ (their project.json), the
 * `@bitro/*` path aliases of tsconfig.base.json, and which project a file belongs to. Found by walking the tree,
 * never from a fixed list, so a new or moved library is picked up as it is.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';

/** Directory names never walked: dependencies, build output, caches, generated code. */
export const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'tmp', 'coverage', 'generated', '.nx', '.data', '.git']);
const PROJECT_TREES = ['libs', 'apps'];

/**
 * @typedef {{ injects?: string[], consumes?: string[] }} BitroMetadata
 * @typedef {{ name: string, root: string, sourceRoot: string, tags: string[], bitro: BitroMetadata | undefined, projectJson: string }} Project
 * @typedef {{ root: string, projects: Project[], aliases: Map<string, string>, projectOf(file: string): Project | undefined, rel(file: string): string }} Workspace
 */

function findProjectJsons(dir, found = []) {
  if (!existsSync(dir)) return found;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name)) findProjectJsons(join(dir, entry.name), found);
    else if (entry.isFile() && entry.name === 'project.json') found.push(join(dir, entry.name));
  }
  return found;
}

/** `@bitro/x` → absolute entry file, from tsconfig.base.json `paths` (first target of each). */
function readAliases(root) {
  const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8'));
  const paths = tsconfig.compilerOptions?.paths ?? {};
  return new Map(Object.entries(paths).map(([alias, [target]]) => [alias, resolve(root, target)]));
}

/** @returns {Workspace} */
export function loadWorkspace(root) {
  const projects = PROJECT_TREES.flatMap((tree) => findProjectJsons(join(root, tree)))
    .map((file) => {
      const json = JSON.parse(readFileSync(file, 'utf8'));
      const projectRoot = dirname(file);
      return {
        name: json.name ?? basename(projectRoot),
        root: projectRoot,
        sourceRoot: json.sourceRoot ? resolve(root, json.sourceRoot) : join(projectRoot, 'src'),
        tags: json.tags ?? [],
        bitro: json.metadata?.bitro,
        projectJson: file,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  // Longest root first, so a project nested in another's folder owns its own files.
  const byDepth = [...projects].sort((a, b) => b.root.length - a.root.length);
  return {
    root,
    projects,
    aliases: readAliases(root),
    projectOf: (file) => byDepth.find((p) => file === p.root || file.startsWith(p.root + sep)),
    rel: (file) => relative(root, file).split(sep).join('/'),
  };
}

export const hasTag = (project, tag) => project?.tags.includes(tag) ?? false;
export const isDomain = (project) => hasTag(project, 'type:domain');
export const isApp = (project) => hasTag(project, 'type:app');
/** The libraries that hold event contracts and service-api tokens (ADR 4, ADR 9). */
export const isContractLib = (project) => hasTag(project, 'type:service-api') || hasTag(project, 'type:contract');
export const isSharedLib = (project) => hasTag(project, 'type:shared');

const SOURCE_FILE = /\.(ts|mts|cts)$/;
const NOT_SOURCE = /(\.spec|\.test|\.d)\.[cm]?ts$/;

/** The production TypeScript files of a project: its source root without tests, test helpers or generated code. */
export function sourceFilesOf(project) {
  const files = [];
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && entry.name !== 'test' && entry.name !== 'testing') walk(path);
      } else if (SOURCE_FILE.test(entry.name) && !NOT_SOURCE.test(entry.name)) {
        files.push(path);
      }
    }
  };
  walk(project.sourceRoot);
  return files;
}
