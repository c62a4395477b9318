/**
 * The facts only the running code knows, loaded with jiti (TypeScript, decorators and their metadata, the
 * `@bitro/*` aliases of tsconfig.base.json):
 * - every event contract the contract libraries export, and its payload's JSON Schema (`z.toJSONSchema`, as a
 *   consumer validates it: zod's input side);
 * - the routes of each controller, from the same metadata Nest routes by and DocsModule builds the OpenAPI document
 *   from: the path and method Nest registers, and the route contract (`@Route`) for who may call it and its summary.
 * Nothing is started: modules are imported, no Nest application is created.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createJiti } from 'jiti';
import { EVENT_NAME } from './contract-catalog.mjs';
import { isContractLib } from './workspace.mjs';

/** @param {import('./workspace.mjs').Workspace} workspace */
export function createLoader(workspace) {
  const jiti = createJiti(pathToFileURL(join(workspace.root, 'package.json')).href, {
    alias: Object.fromEntries(workspace.aliases),
    interopDefault: true,
    fsCache: false,
    moduleCache: true,
  });
  return { import: (file) => jiti.import(file) };
}

const isEventContract = (value) =>
  !!value && typeof value === 'object' && typeof value.name === 'string' && EVENT_NAME.test(value.name) && typeof value.payload?.safeParse === 'function';

/**
 * Every event contract the contract libraries export (through their alias entry), by event name, with its JSON Schema.
 * @returns {Promise<Map<string, { name: string, queue: string | null, schema: Record<string, unknown> }>>}
 */
export async function loadEventSchemas(workspace, loader) {
  // The zod the contracts were built with (its registry holds their descriptions).
  const { z } = await loader.import('zod');
  const entries = [...workspace.aliases].filter(([, file]) => isContractLib(workspace.projectOf(file)));
  const events = new Map();
  for (const [, file] of entries.sort(([a], [b]) => a.localeCompare(b))) {
    const exports = await loader.import(file);
    for (const value of Object.values(exports)) {
      if (!isEventContract(value) || events.has(value.name)) continue;
      const { $schema, ...payload } = z.toJSONSchema(value.payload, { target: 'draft-2020-12', io: 'input' });
      const queue = typeof value.queue === 'string' ? value.queue : null;
      events.set(value.name, { name: value.name, queue, schema: { $schema, title: value.name, ...(queue ? { 'x-queue': queue } : {}), ...payload } });
    }
  }
  return events;
}

/** The event contracts the static scan and the runtime disagree on (both must see the same set). */
export function contractMismatches(catalog, schemas) {
  const staticNames = new Set(catalog.eventsByName.keys());
  return [
    ...[...schemas.keys()].filter((name) => !staticNames.has(name)).map((name) => `${name}: exported, but no \`const x = define...('${name}', ...)\` was found in a contract library`),
    ...[...staticNames].filter((name) => !schemas.has(name)).map((name) => `${name}: declared in ${catalog.eventsByName.get(name).file} but not exported by its library`),
  ].sort();
}

const joinPath = (...parts) => `/${parts.flatMap((p) => String(p ?? '').split('/')).filter(Boolean).join('/')}`;
const first = (value) => (Array.isArray(value) ? value[0] : value);

/**
 * The routes of the given controllers.
 * @param {{ className: string, absoluteFile: string }[]} controllers
 * @returns {Promise<{ method: string, path: string, access: string | null, summary: string | null, controller: string }[]>}
 */
export async function loadRoutes(loader, controllers) {
  if (controllers.length === 0) return [];
  const { RequestMethod } = await loader.import('@nestjs/common');
  const { PATH_METADATA, METHOD_METADATA } = await loader.import('@nestjs/common/constants');
  const routes = [];
  for (const { className, absoluteFile } of controllers) {
    const controller = (await loader.import(absoluteFile))[className];
    if (typeof controller !== 'function') throw new Error(`${absoluteFile} does not export the controller ${className}`);
    const prefix = first(Reflect.getMetadata(PATH_METADATA, controller));
    for (const name of Object.getOwnPropertyNames(controller.prototype)) {
      const handler = name === 'constructor' ? undefined : Object.getOwnPropertyDescriptor(controller.prototype, name)?.value;
      if (typeof handler !== 'function' || !Reflect.hasOwnMetadata(PATH_METADATA, handler)) continue;
      const contract = Reflect.getMetadataKeys(handler)
        .map((key) => Reflect.getMetadata(key, handler))
        .find((value) => value && typeof value === 'object' && 'access' in value && 'summary' in value);
      routes.push({
        method: RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler)] ?? '?',
        path: joinPath(prefix, first(Reflect.getMetadata(PATH_METADATA, handler))),
        access: contract?.access ?? null,
        summary: contract?.summary ?? null,
        controller: className,
      });
    }
  }
  return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}
