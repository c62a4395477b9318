import { parseJson, type Tree } from '@nx/devkit';
import { TSCONFIG_BASE } from '../workspace-paths';

// Edited as text, one line in and the same line out, so that adding and removing a path leaves the file byte for
// byte as it was (rewriting it as JSON would reformat every path array).

const PATHS_START = /^\s*"paths":\s*\{\s*$/;
const OBJECT_END = /^\s*\},?\s*$/;
/** A one-line entry of a domain library (not one of libs/shared) followed by more entries. */
const DOMAIN_ENTRY = /^\s*"@bitro\/[^"]+":\s*\["\.\/libs\/(?!shared\/)[^"]*"\],\s*$/;

const entryLine = (indent: string, importPath: string, entryPoint: string): string =>
  `${indent}${JSON.stringify(importPath)}: [${JSON.stringify(entryPoint)}],`;

const isEntryOf = (line: string, importPath: string): boolean => line.trimStart().startsWith(`${JSON.stringify(importPath)}:`);

export function hasTsconfigPath(tree: Tree, importPath: string): boolean {
  return importPath in (parseJson(tree.read(TSCONFIG_BASE, 'utf-8') ?? '{}').compilerOptions?.paths ?? {});
}

/** Adds `"<importPath>": ["<entryPoint>"],` after the last domain library's entry (or first, when there is none). */
export function addTsconfigPath(tree: Tree, importPath: string, entryPoint: string): void {
  const lines = (tree.read(TSCONFIG_BASE, 'utf-8') ?? '').split('\n');
  const start = lines.findIndex((line) => PATHS_START.test(line));
  const end = lines.findIndex((line, index) => index > start && OBJECT_END.test(line));
  if (start < 0 || end < 0 || end === start + 1) {
    throw new Error(`${TSCONFIG_BASE}: expected "paths": { on a line of its own, followed by one entry per line`);
  }
  let after = start;
  for (let index = start + 1; index < end; index++) if (DOMAIN_ENTRY.test(lines[index])) after = index;
  const indent = /^\s*/.exec(lines[start + 1])?.[0] ?? '';
  lines.splice(after + 1, 0, entryLine(indent, importPath, entryPoint));
  writeChecked(tree, lines.join('\n'));
}

/** Removes the line of `importPath` from the paths (nothing when there is none). */
export function removeTsconfigPath(tree: Tree, importPath: string): void {
  const text = tree.read(TSCONFIG_BASE, 'utf-8') ?? '';
  const lines = text.split('\n');
  const kept = lines.filter((line) => !isEntryOf(line, importPath));
  if (kept.length !== lines.length) writeChecked(tree, kept.join('\n'));
}

function writeChecked(tree: Tree, text: string): void {
  parseJson(text); // throws with the position when the edit broke the file
  tree.write(TSCONFIG_BASE, text);
}
