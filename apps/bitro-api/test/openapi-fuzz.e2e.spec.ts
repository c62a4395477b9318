import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from '@fast-check/vitest';
import { afterAll, describe, expect } from 'vitest';
import { answerFault, faultsOf, type FuzzCase, fuzzCases, type Identity, send } from './fuzz/fuzz-request';
import { operationsOf, UNDOCUMENTED_OPERATIONS } from './fuzz/openapi-operations';
import { signInAdmin, signUp, startTestApp } from './test-app';

/**
 * Property-based fuzzing of every route of the OpenAPI document with wrong values (types, bounds, encodings, NUL, very
 * long, unicode, deep nesting, duplicate keys, wrong content types), as a user and as an admin. `npm test` runs a fixed
 * seed and FUZZ_RUNS cases per kind of fault of each operation; a longer run by hand: `FUZZ_RUNS=50 FUZZ_SEED=<any> npx vitest run
 * test/openapi-fuzz.e2e.spec.ts` in apps/bitro-api.
 */
/** Cases per kind of fault of each operation (a parameter, a body field, the body or headers as a whole; at least 8 kinds). */
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 3);
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261205);

describe('every route of the OpenAPI document, given wrong values', async () => {
  // The routes come from the running app's document, so the app starts while the tests are collected.
  const api = await startTestApp({ IMAGE_DIR: await mkdtemp(join(tmpdir(), 'bitro-fuzz-images-')), LOG_LEVEL: 'warn' });
  const tokens: Record<Identity, string | undefined> = { anonymous: undefined, user: (await signUp(api)).token, admin: (await signInAdmin(api)).token };
  const document = (await (await fetch(`${api.url}/docs/openapi.json`)).json()) as Parameters<typeof operationsOf>[0];
  const operations = [...operationsOf(document), ...UNDOCUMENTED_OPERATIONS];
  const answers = new Map<number, number>();
  let requests = 0;

  afterAll(async () => {
    const byStatus = [...answers.entries()].sort(([a], [b]) => a - b).map(([status, count]) => `${status}: ${count}`);
    console.info(`OpenAPI fuzz: ${operations.length} operations, ${requests} requests (seed ${SEED}, ${RUNS} per kind of fault); answers ${byStatus.join(', ')}`);
    await api.close();
    await rm(api.env.IMAGE_DIR, { recursive: true, force: true });
  });

  test('the document lists the routes', () => {
    expect(operations.length).toBeGreaterThanOrEqual(40 + UNDOCUMENTED_OPERATIONS.length);
  });

  operations.forEach((operation, index) => {
    const identities: Identity[] = operation.access === 'public' ? ['anonymous', 'user'] : ['user', 'admin'];
    test.prop([fuzzCases(operation, identities)], { numRuns: RUNS * Math.max(faultsOf(operation).length, 8), seed: SEED + index, endOnFailure: true })(
      `${operation.method} ${operation.path}: never 5xx, always problem+json, field faults with pointers`,
      async (fuzzCase: FuzzCase) => {
        requests += 1;
        for (const answer of await send(api.url, operation.method, fuzzCase, tokens[fuzzCase.identity])) {
          answers.set(answer.status, (answers.get(answer.status) ?? 0) + 1);
          expect(answerFault(answer), `${fuzzCase.identity} ${operation.method} ${fuzzCase.path.slice(0, 300)} (${fuzzCase.fault})`).toBeNull();
        }
      },
      120_000,
    );
  });
});
