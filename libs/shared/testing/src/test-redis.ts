import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

export interface TestRedisNamespace {
  url: string;
  /** Key prefix every key of this test file starts with. */
  prefix: string;
  /** Deletes every key under the prefix. */
  clear(): Promise<void>;
}

/** A key namespace of its own in the shared Redis for one test file. */
export function createTestRedisNamespace(): TestRedisNamespace {
  const prefix = `test:${randomBytes(6).toString('hex')}:`;
  return {
    url: TEST_REDIS_URL,
    prefix,
    async clear() {
      const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true });
      await redis.connect();
      try {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
          if (keys.length > 0) await redis.unlink(...keys);
          cursor = next;
        } while (cursor !== '0');
      } finally {
        await redis.quit();
      }
    },
  };
}
