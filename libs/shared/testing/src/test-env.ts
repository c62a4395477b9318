import { type BitroEnv, bitroEnvSchema, loadEnv } from '@bitro/config';
import type { TestDatabase } from './test-database';
import type { TestRedisNamespace } from './test-redis';

/** bitro-api's environment on a test file's database and Redis namespace, with test secrets. */
export function testEnv(
  database: Pick<TestDatabase, 'url'>,
  redis: Pick<TestRedisNamespace, 'url' | 'prefix'>,
  overrides: Record<string, string> = {},
): BitroEnv {
  return loadEnv(bitroEnvSchema, {
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: redis.prefix,
    JWT_SECRET: TEST_JWT_SECRET,
    PIN_HASH_KEY: 'test-pin-hash-key-0123456789abcdef-0123456789',
    // Many apps share a test process: no metrics port unless a test asks for one.
    METRICS_PORT: '0',
    ...overrides,
  });
}

/** bitro-api's environment for a module test that opens no database or Redis connection. */
export function offlineTestEnv(overrides: Record<string, string> = {}): BitroEnv {
  return testEnv({ url: 'postgresql://postgres@127.0.0.1:5432/unused' }, { url: 'redis://127.0.0.1:6379', prefix: 'unused:' }, overrides);
}

export const TEST_JWT_SECRET = 'test-jwt-secret-0123456789abcdef-0123456789';
