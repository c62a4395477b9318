#!/usr/bin/env node
/**
 * `npm run docs:modules`: derives docs/modules/ from the code: a canvas per domain (`<domain>.md`), an overview with
 * Mermaid diagrams (`README.md`) and the JSON Schema of every event contract (`events/<event>.schema.json`).
 *
 * `npm run docs:modules -- --check` writes nothing; it fails (exit 1) when a generated file differs from what is
 * committed (listing them, "run `npm run docs:modules` to regenerate"), or when a published `vN` event contract
 * changed in a breaking way since the base (./event-versions.mjs; `--base <rev>` sets the base). Exit 2: the code
 * could not be read (a contract the static scan and the runtime disagree on, a module that does not load).
 *
 * The workspace root is where this file lies (../..), so a copy of the workspace documents itself.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EVENTS_DIR, SNAPSHOT_SUFFIX, checkEventVersions, formatEventVersionProblems, loadBaseSnapshots } from './event-versions.mjs';
import { collectEnvDefaults } from './intervals.mjs';
import { buildModel } from './modules-model.mjs';
import { prismaFactsOf } from './prisma-schema.mjs';
import { renderCanvas } from './render-canvas.mjs';
import { renderOverview } from './render-overview.mjs';
import { contractMismatches, createLoader, loadEventSchemas, loadRoutes } from './runtime-facts.mjs';
import { readStaticFacts } from './static-facts.mjs';

export const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const MODULES_DIR = 'docs/modules';
const REGENERATE = 'run `npm run docs:modules` to regenerate';

/**
 * Every generated file, by path relative to the root, and the current event schemas.
 * @returns {Promise<{ files: Map<string, string>, schemas: Map<string, object> }>}
 */
export async function generate(root = workspaceRoot) {
  const { workspace, index, catalog, facts } = readStaticFacts(root);
  const loader = createLoader(workspace);
  const schemas = await loadEventSchemas(workspace, loader);
  const mismatches = contractMismatches(catalog, schemas);
  if (mismatches.length > 0) throw new Error(`the event contracts found in the source and those exported differ:\n  ${mismatches.join('\n  ')}`);
  const routes = new Map();
  for (const [name, f] of facts) routes.set(name, await loadRoutes(loader, f.controllers));
  const prisma = new Map(workspace.projects.map((p) => [p.name, prismaFactsOf(p)]));
  const model = buildModel({ workspace, facts, routes, prisma, schemas, envDefaults: collectEnvDefaults(workspace, index) });

  const files = new Map([[`${MODULES_DIR}/README.md`, renderOverview(model)]]);
  for (const domain of model.domains) files.set(`${MODULES_DIR}/${domain.name}.md`, renderCanvas(model, domain));
  for (const event of model.events.values()) files.set(`${EVENTS_DIR}/${event.name}${SNAPSHOT_SUFFIX}`, `${JSON.stringify(event.schema, null, 2)}\n`);
  return { files, schemas: new Map([...model.events.values()].map((e) => [e.name, e.schema])) };
}

/** The generated files now on disk (Markdown in docs/modules, schema snapshots in its events/). */
function existingGeneratedFiles(root) {
  const list = (dir, keep) => (existsSync(join(root, dir)) ? readdirSync(join(root, dir)).filter(keep).map((f) => `${dir}/${f}`) : []);
  return [...list(MODULES_DIR, (f) => f.endsWith('.md')), ...list(EVENTS_DIR, (f) => f.endsWith(SNAPSHOT_SUFFIX))];
}

/** Generated files that differ from the disk: `path (differs | missing | not generated any more)`. */
export function staleFiles(root, files) {
  const stale = [];
  for (const [path, content] of files) {
    const file = join(root, path);
    if (!existsSync(file)) stale.push(`${path} (missing)`);
    else if (readFileSync(file, 'utf8') !== content) stale.push(`${path} (differs)`);
  }
  for (const path of existingGeneratedFiles(root)) if (!files.has(path)) stale.push(`${path} (not generated any more)`);
  return stale.sort();
}

function write(root, files) {
  for (const path of existingGeneratedFiles(root)) if (!files.has(path)) rmSync(join(root, path));
  for (const [path, content] of files) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

function parseArgs(argv) {
  const check = argv.includes('--check');
  const baseAt = argv.indexOf('--base');
  const base = argv.find((a) => a.startsWith('--base='))?.slice('--base='.length) ?? (baseAt >= 0 ? argv[baseAt + 1] : undefined);
  return { check, base };
}

export async function main(argv = process.argv.slice(2), root = workspaceRoot) {
  const { check, base } = parseArgs(argv);
  let generated;
  try {
    generated = await generate(root);
  } catch (error) {
    console.error(`docs:modules: ${error instanceof Error ? error.message : error}`);
    return 2;
  }
  const { files, schemas } = generated;
  let status = 0;
  if (check) {
    const stale = staleFiles(root, files);
    if (stale.length > 0) {
      console.error(`docs:modules: ${stale.length} generated file(s) are stale:\n  ${stale.join('\n  ')}\n${REGENERATE}`);
      status = 1;
    } else {
      console.log(`docs:modules: OK, ${files.size} generated files match the code.`);
    }
  } else {
    write(root, files);
    console.log(`docs:modules: wrote ${files.size} files in ${MODULES_DIR}/.`);
  }

  const snapshots = loadBaseSnapshots(root, base);
  if (snapshots.label === null) {
    console.log(`docs:modules: event versions not checked (${snapshots.reason}).`);
  } else {
    const problems = checkEventVersions(snapshots.schemas, schemas);
    if (problems.length > 0) {
      console.error(formatEventVersionProblems(problems, snapshots.label));
      status = 1;
    } else {
      console.log(`docs:modules: OK, ${snapshots.schemas.size} published event contracts are compatible with ${snapshots.label}.`);
    }
  }
  return status;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // Some imported modules keep handles open (clients, timers): the result is final once main returns.
  process.exit(await main());
}
