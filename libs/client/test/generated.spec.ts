import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script without type declarations
import { generatedSchema, SCHEMA } from '../generate.mjs';

it('has the committed types of the committed OpenAPI document (else: npx nx run client:generate)', async () => {
  expect(readFileSync(SCHEMA as string, 'utf8') === (await (generatedSchema as () => Promise<string>)())).toBe(true);
}, 60_000);
