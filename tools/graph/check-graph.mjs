#!/usr/bin/env node
/**
 * `npm run graph:check`: computes the Nx project graph of the working tree and checks
 * EVERY project-to-project edge against the `depConstraints` of the root
 * eslint.config.mjs (the same array `@nx/enforce-module-boundaries` uses).
 *
 * Exit code: 0 when every edge is allowed (one summary line), 1 when an edge is
 * forbidden (one line per edge: `source (tags) -> target (tags): rule violated`),
 * 2 when the graph could not be computed or the constraints could not be loaded.
 *
 * The graph comes from `nx graph --file=<tmp>.json` with NX_DAEMON=false, so a running
 * daemon cannot serve a graph of an older tree. Set NX_WORKSPACE_DATA_DIRECTORY to
 * keep the graph cache somewhere else than .nx/workspace-data (the boundary test does).
 *
 * The checking logic lives in ./forbidden-edges.mjs (pure, unit tested).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { countProjectsAndEdges, findForbiddenEdges, formatForbiddenEdge } from './forbidden-edges.mjs';

export { countProjectsAndEdges, findForbiddenEdges, formatForbiddenEdge } from './forbidden-edges.mjs';

export const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The `depConstraints` exported by the root eslint.config.mjs (the single source of truth). */
export async function loadDepConstraints(root = workspaceRoot) {
  const configUrl = pathToFileURL(join(root, 'eslint.config.mjs')).href;
  const { depConstraints } = await import(configUrl);
  if (!Array.isArray(depConstraints) || depConstraints.length === 0) {
    throw new Error(`${configUrl} does not export a non-empty \`depConstraints\` array`);
  }
  return depConstraints;
}

/** Runs `nx graph --file=<tmp>.json` in `root` (without the daemon) and returns the parsed file. */
export function computeProjectGraph(root = workspaceRoot) {
  const require = createRequire(join(root, 'package.json'));
  const nxPackageJsonPath = require.resolve('nx/package.json');
  const nxBin = JSON.parse(readFileSync(nxPackageJsonPath, 'utf8')).bin.nx;
  const dir = mkdtempSync(join(tmpdir(), 'bitro-graph-check-'));
  const file = join(dir, 'graph.json');
  try {
    const result = spawnSync(process.execPath, [join(dirname(nxPackageJsonPath), nxBin), 'graph', `--file=${file}`], {
      cwd: root,
      env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true' },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (result.error) throw result.error;
    if (result.status !== 0) {
      throw new Error(`nx graph exited with ${result.status ?? result.signal}:\n${result.stdout}${result.stderr}`);
    }
    return JSON.parse(readFileSync(file, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function main() {
  let graphFile;
  let depConstraints;
  try {
    depConstraints = await loadDepConstraints();
    graphFile = computeProjectGraph();
  } catch (error) {
    console.error(`graph:check: ${error instanceof Error ? error.message : error}`);
    return 2;
  }
  const forbidden = findForbiddenEdges(graphFile, depConstraints);
  const { projects, edges } = countProjectsAndEdges(graphFile);
  if (forbidden.length > 0) {
    console.error(`graph:check: ${forbidden.length} forbidden dependency edge(s) (depConstraints of eslint.config.mjs):`);
    for (const edge of forbidden) console.error(formatForbiddenEdge(edge));
    return 1;
  }
  console.log(
    `graph:check: OK, ${projects} projects and ${edges} project-to-project edges checked against ${depConstraints.length} depConstraints (npm edges ignored).`,
  );
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
