import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { inject } from 'vitest';

export const TEST_ADMIN_URL = process.env['TEST_DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withAdminClient<T>(adminUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * A database of its own for one test file, cloned from the migrated template that the global
 * setup prepared: files run in parallel without seeing each other's rows, and nothing is left behind.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = inject('templateDatabase');
  const name = `bitro_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient(TEST_ADMIN_URL, (client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  return {
    name,
    url: databaseUrl(TEST_ADMIN_URL, name),
    drop: () => dropWhenIdle(name),
  };
}

/**
 * pg's Pool.end() resolves before its connections have closed; dropping the database WITH (FORCE)
 * meanwhile kills them mid-close. So wait (briefly) until nobody is connected, then force the rest.
 */
async function dropWhenIdle(name: string): Promise<void> {
  await withAdminClient(TEST_ADMIN_URL, async (client) => {
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline) {
      const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
      if (rows[0]?.n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
}

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}
