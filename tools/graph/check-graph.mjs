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
 *
 * It then checks the boundary declarations (ADR 0024): every domain library and app declares in the
 * `metadata.bitro` of its project.json exactly the service-api tokens it injects and the events it consumes
 * (./declarations.mjs, pure; the uses are read from the source by tools/docs/static-facts.mjs, without running it).
 * One summary line when they match, else one line per problem and exit code 1.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readStaticFacts } from '../docs/static-facts.mjs';
import { checkDeclarations, countDeclarations } from './declarations.mjs';
import { countProjectsAndEdges, findForbiddenEdges, formatForbiddenEdge } from './forbidden-edges.mjs';

export { countProjectsAndEdges, findForbiddenEdges, formatForbiddenEdge } from './forbidden-edges.mjs';
export { checkDeclarations } from './declarations.mjs';

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

/** The boundary declarations of the projects under `root` that do not match their code (one line each), and how many were checked. */
export function findDeclarationProblems(root = workspaceRoot) {
  const { workspace, catalog, facts } = readStaticFacts(root);
  const projects = workspace.projects.filter((p) => facts.has(p.name)).map((p) => ({ ...p, projectJson: workspace.rel(p.projectJson) }));
  const known = { tokens: new Set([...catalog.tokens.values()].map((t) => t.name)), events: new Set(catalog.eventsByName.keys()) };
  return { problems: checkDeclarations(projects, facts, known), projects: projects.length, declared: countDeclarations(projects) };
}

export async function main() {
  let graphFile;
  let depConstraints;
  let declarations;
  try {
    depConstraints = await loadDepConstraints();
    graphFile = computeProjectGraph();
    declarations = findDeclarationProblems();
  } catch (error) {
    console.error(`graph:check: ${error instanceof Error ? error.message : error}`);
    return 2;
  }
  const forbidden = findForbiddenEdges(graphFile, depConstraints);
  const { projects, edges } = countProjectsAndEdges(graphFile);
  let status = 0;
  if (forbidden.length > 0) {
    console.error(`graph:check: ${forbidden.length} forbidden dependency edge(s) (depConstraints of eslint.config.mjs):`);
    for (const edge of forbidden) console.error(formatForbiddenEdge(edge));
    status = 1;
  } else {
    console.log(
      `graph:check: OK, ${projects} projects and ${edges} project-to-project edges checked against ${depConstraints.length} depConstraints (npm edges ignored).`,
    );
  }
  if (declarations.problems.length > 0) {
    console.error(`graph:check: ${declarations.problems.length} boundary declaration problem(s) (metadata.bitro of project.json, docs/adr/0024-module-contracts.md):`);
    for (const problem of declarations.problems) console.error(problem);
    status = 1;
  } else {
    console.log(`graph:check: OK, the metadata.bitro of ${declarations.projects} domain libraries and apps (${declarations.declared} declared tokens and events) match their code.`);
  }
  return status;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
