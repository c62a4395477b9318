import { afterAll, describe, expect, it } from 'vitest';
import { createPgPool, createRedis } from './connections';
import { probePostgres, probeRedis } from './probes';

const pool = createPgPool(process.env['TEST_DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres', 1);
const redis = createRedis(process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379');
const deadPool = createPgPool('postgresql://postgres@127.0.0.1:1/none', 1);
const deadRedis = createRedis('redis://127.0.0.1:1', { lazyConnect: true });

afterAll(async () => {
  await Promise.allSettled([pool.end(), redis.quit(), deadPool.end()]);
  deadRedis.disconnect();
});

describe('health probes', () => {
  it('report reachable servers as up', async () => {
    expect(await probePostgres(pool)).toMatchObject({ name: 'postgres', up: true });
    expect(await probeRedis(redis)).toMatchObject({ name: 'redis', up: true });
  });

  it('report unreachable servers as down with the reason, within the timeout', async () => {
    const [postgres, redisDown] = await Promise.all([probePostgres(deadPool, 1_000), probeRedis(deadRedis, 1_000)]);
    expect(postgres).toMatchObject({ name: 'postgres', up: false });
    expect(postgres.error).toMatch(/ECONNREFUSED|connect/);
    expect(redisDown).toMatchObject({ name: 'redis', up: false });
    expect(redisDown.latencyMs).toBeLessThan(2_000);
  });
});
