// @bitro/client for the scripts of tools/ (plain ES modules): the library's build, dist/libs/client.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildProjects } from './services.mjs';

const root = join(import.meta.dirname, '..', '..');

/** The client module; `build` first runs `nx run client:build` (cached when nothing changed). */
export async function loadBitroClient({ build = true } = {}) {
  if (build) buildProjects(root, ['client']);
  return import(pathToFileURL(join(root, 'dist', 'libs', 'client', 'index.js')).href);
}
