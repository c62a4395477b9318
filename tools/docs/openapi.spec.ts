/**
 * docs/openapi.json tells the truth: it is what `npm run docs:openapi` generates from the route contracts, and every
 * problem the libraries of bitro-api throw with a literal code is documented under its status by some operation.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateOpenApi, OPENAPI_FILE } from './openapi.mjs';

const root = resolve(import.meta.dirname, '../..');
const committed = readFileSync(join(root, OPENAPI_FILE), 'utf8');

/** Libraries whose problems bitro-api does not answer: bitcoin-gateway's domain and contract. */
const NOT_BITRO_API = new Set(['libs/bitcoin', 'libs/gateway-contract']);
/** Answered by the router before any route is found (framework-errors.ts), so documented by none. */
const BEFORE_ANY_ROUTE = new Set(['malformed-url', 'uri-too-long']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return ['node_modules', 'generated', 'test'].includes(entry.name) || NOT_BITRO_API.has(path.slice(root.length + 1)) ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('docs/openapi.json', () => {
  it('is what `npm run docs:openapi` generates', async () => {
    expect(await generateOpenApi(root)).toBe(committed);
  }, 120_000);

  it('documents every problem the libraries throw with a literal code, under its status', () => {
    type Operation = { responses: Record<string, { content?: Record<string, { schema?: { allOf?: Array<{ properties?: { type?: { enum?: string[] } } }> } }> }> };
    const document = JSON.parse(committed) as { paths: Record<string, Record<string, Operation>> };
    const documented = new Set<string>();
    for (const operation of Object.values(document.paths).flatMap((methods) => Object.values(methods))) {
      for (const [status, response] of Object.entries(operation.responses)) {
        for (const type of response.content?.['application/problem+json']?.schema?.allOf?.[1]?.properties?.type?.enum ?? []) documented.add(`${status} ${type.replace('https://bitro.dev/problems/', '')}`);
      }
    }
    const thrown = new Set<string>();
    for (const file of sourceFiles(join(root, 'libs'))) {
      for (const [, status, code] of readFileSync(file, 'utf8').matchAll(/ProblemException\(\s*(\d{3}),\s*'([a-z0-9-]+)'/g)) {
        if (!BEFORE_ANY_ROUTE.has(code as string)) thrown.add(`${status} ${code}`);
      }
    }
    expect(thrown.size).toBeGreaterThan(30);
    expect([...thrown].filter((problem) => !documented.has(problem)).sort()).toEqual([]);
  });
});
