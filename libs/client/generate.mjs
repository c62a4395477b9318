#!/usr/bin/env node
// `nx run client:generate`: the TypeScript types of the committed OpenAPI document (docs/openapi.json), written to
// src/generated/schema.d.ts. `--check` only compares and exits 1 when the committed file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const root = join(import.meta.dirname, '..', '..');
export const DOCUMENT = join(root, 'docs', 'openapi.json');
export const SCHEMA = join(import.meta.dirname, 'src', 'generated', 'schema.d.ts');

const HEADER = '// Generated from docs/openapi.json by `npx nx run client:generate` (openapi-typescript). Do not edit.\n\n';

/** The schema file's text as the committed document yields it now. */
export async function generatedSchema() {
  return HEADER + astToString(await openapiTS(pathToFileURL(DOCUMENT)));
}

if (process.argv[1] === import.meta.filename) {
  const text = await generatedSchema();
  if (process.argv.includes('--check')) {
    if (readFileSync(SCHEMA, 'utf8') !== text) {
      console.error('libs/client/src/generated/schema.d.ts is stale: run `npx nx run client:generate` and commit it.');
      process.exitCode = 1;
    }
  } else {
    writeFileSync(SCHEMA, text);
    console.log(`wrote ${SCHEMA}`);
  }
}
