#!/usr/bin/env node
/**
 * `npm run docs:openapi`: writes bitro-api's OpenAPI document to docs/openapi.json, the file clients generate from
 * (libs/client). It is the document bitro-api serves at /docs/openapi.json: the same `buildOpenApiDocument` over the
 * route contracts of the controllers of the same modules (found by walking the Nest module metadata from bitro-api's
 * DomainsModule; apps/bitro-api/test/openapi.e2e.spec.ts compares the served document with the file).
 *
 * `npm run docs:openapi -- --check` writes nothing and fails (exit 1) when the committed file differs. Exit 2: the
 * code could not be loaded.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workspaceRoot } from './modules.mjs';
import { createLoader } from './runtime-facts.mjs';
import { loadWorkspace } from './workspace.mjs';

export const OPENAPI_FILE = 'docs/openapi.json';
const APP = 'apps/bitro-api/src/app';

/** Every controller class of a Nest module and the modules it imports (static or dynamic, forwardRef too). */
function controllersOf(root, keys) {
  const seen = new Set();
  const controllers = [];
  const visit = (entry) => {
    const module = typeof entry?.forwardRef === 'function' ? entry.forwardRef() : entry;
    if (!module || seen.has(module)) return;
    seen.add(module);
    const klass = typeof module === 'function' ? module : module.module;
    const dynamic = typeof module === 'function' ? {} : module;
    controllers.push(...(Reflect.getMetadata(keys.CONTROLLERS, klass) ?? []), ...(dynamic.controllers ?? []));
    for (const imported of [...(Reflect.getMetadata(keys.IMPORTS, klass) ?? []), ...(dynamic.imports ?? [])]) visit(imported);
  };
  visit(root);
  return [...new Set(controllers)];
}

/** The document as bitro-api serves it, as the text written to docs/openapi.json. */
export async function generateOpenApi(root = workspaceRoot) {
  const loader = createLoader(loadWorkspace(root));
  const { MODULE_METADATA } = await loader.import('@nestjs/common/constants');
  const { ROUTE_CONTRACT, buildOpenApiDocument } = await loader.import('@bitro/http');
  const { DomainsModule } = await loader.import(join(root, APP, 'domains.module.ts'));
  const { API_DESCRIPTION } = await loader.import(join(root, APP, 'api-info.ts'));
  const routes = controllersOf(DomainsModule, MODULE_METADATA).flatMap((controller) =>
    Object.getOwnPropertyNames(controller.prototype)
      .map((name) => (name === 'constructor' ? undefined : Reflect.getMetadata(ROUTE_CONTRACT, controller.prototype[name])))
      .filter(Boolean),
  );
  return `${JSON.stringify(buildOpenApiDocument(routes, API_DESCRIPTION), null, 2)}\n`;
}

export async function main(argv = process.argv.slice(2), root = workspaceRoot) {
  let text;
  try {
    text = await generateOpenApi(root);
  } catch (error) {
    console.error(`docs:openapi: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
    return 2;
  }
  const file = join(root, OPENAPI_FILE);
  if (argv.includes('--check')) {
    if (!existsSync(file) || readFileSync(file, 'utf8') !== text) {
      console.error(`docs:openapi: ${OPENAPI_FILE} is ${existsSync(file) ? 'stale' : 'missing'}; run \`npm run docs:openapi\` to regenerate.`);
      return 1;
    }
    console.log(`docs:openapi: OK, ${OPENAPI_FILE} matches the route contracts.`);
    return 0;
  }
  writeFileSync(file, text);
  console.log(`docs:openapi: wrote ${OPENAPI_FILE}.`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // Imported modules may keep handles open: the result is final once main returns.
  process.exit(await main());
}
