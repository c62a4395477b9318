import { createPgPool } from '@bitro/db';
import { createTestDatabase, type TestDatabase } from '@bitro/testing';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeNamed, pgTransaction, queryNamed, type SqlExecutor } from './sql-executor';

const SUM = { name: 'test.sum', text: 'SELECT ($1::int + $2::int) AS sum' };
const CREATE = { name: 'test.create', text: 'CREATE TEMP TABLE scratch (n int) ON COMMIT DROP' };

let database: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = createPgPool(database.url, 1);
});

afterAll(async () => {
  await pool.end();
  await database.drop();
});

const prepared = (tx: SqlExecutor) => tx.$queryRawUnsafe<Array<{ name: string }>>('SELECT name FROM pg_prepared_statements WHERE name LIKE $1 ORDER BY name', 'test.%');

describe('named statements', () => {
  it('prepares a statement once per connection on a pgTransaction, and answers its rows and counts', async () => {
    const sums = await pgTransaction(pool, async (tx) => [await queryNamed<{ sum: number }>(tx, SUM, [1, 2]), await queryNamed<{ sum: number }>(tx, SUM, [3, 4])]);
    expect(sums).toEqual([[{ sum: 3 }], [{ sum: 7 }]]);
    const written = await pgTransaction(pool, async (tx) => {
      await executeNamed(tx, CREATE, []);
      return executeNamed(tx, { name: 'test.insert', text: 'INSERT INTO scratch SELECT generate_series(1, $1::int)' }, [3]);
    });
    expect(written).toBe(3);
    // The pool holds one connection: the later transaction sees what the first prepared on it.
    expect(await pgTransaction(pool, prepared)).toEqual([{ name: 'test.create' }, { name: 'test.insert' }, { name: 'test.sum' }]);
  });

  it('runs the text as it is on any other executor (a Prisma transaction)', async () => {
    const calls: unknown[][] = [];
    const plain: SqlExecutor = {
      $executeRawUnsafe: async (query, ...values) => (calls.push([query, ...values]), 1),
      $queryRawUnsafe: async <T>(query: string, ...values: unknown[]) => (calls.push([query, ...values]), [{ sum: 3 }] as T),
    };
    expect(await queryNamed(plain, SUM, [1, 2])).toEqual([{ sum: 3 }]);
    expect(await executeNamed(plain, CREATE, [])).toBe(1);
    expect(calls).toEqual([[SUM.text, 1, 2], [CREATE.text]]);
  });
});
