import { Redis } from 'ioredis';
import { Client } from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_ADMIN_URL, withAdminClient } from './test-database';
import { createTestRedisNamespace } from './test-redis';

const databaseExists = (name: string) =>
  withAdminClient(TEST_ADMIN_URL, async (client) => (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1);

describe('test isolation', () => {
  it('gives each caller its own migrated database and drops it afterwards', async () => {
    const [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    expect(a.name).not.toBe(b.name);
    const client = new Client({ connectionString: a.url });
    await client.connect();
    try {
      // The template carries every domain's migrations.
      const tables = await client.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'user' ORDER BY 1");
      expect(tables.rows.map((row) => row.table_name)).toEqual(['_prisma_migrations', 'email_verifications', 'known_devices', 'recovery_codes', 'refresh_tokens', 'users']);
      await client.query(`INSERT INTO "user".users (id, email, password_hash, display_name, updated_at) VALUES (gen_random_uuid(), 'only-in-a@example.com', 'x', 'A', now())`);
    } finally {
      await client.end();
    }
    const other = new Client({ connectionString: b.url });
    await other.connect();
    try {
      expect((await other.query('SELECT count(*)::int AS n FROM "user".users')).rows[0].n).toBe(0);
    } finally {
      await other.end();
    }
    await Promise.all([a.drop(), b.drop()]);
    expect(await databaseExists(a.name)).toBe(false);
    expect(await databaseExists(b.name)).toBe(false);
  });

  it('gives each caller its own Redis key prefix and clears only its keys', async () => {
    const mine = createTestRedisNamespace();
    const theirs = createTestRedisNamespace();
    const redis = new Redis(mine.url);
    try {
      await redis.set(`${mine.prefix}a`, '1');
      await redis.set(`${mine.prefix}b`, '2');
      await redis.set(`${theirs.prefix}a`, '3');
      await mine.clear();
      expect(await redis.keys(`${mine.prefix}*`)).toEqual([]);
      expect(await redis.get(`${theirs.prefix}a`)).toBe('3');
    } finally {
      await theirs.clear();
      await redis.quit();
    }
  });
});
