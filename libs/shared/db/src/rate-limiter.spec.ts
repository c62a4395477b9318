import { createTestRedisNamespace } from '@bitro/testing';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { FixedWindowCounter } from './rate-limiter';

const namespace = createTestRedisNamespace();
const redis = new Redis(namespace.url);

afterAll(async () => {
  await namespace.clear();
  await redis.quit();
});

describe('FixedWindowCounter (real Redis)', () => {
  it('counts hits within a window and expires them with it', async () => {
    const counter = new FixedWindowCounter(redis, namespace.prefix, 300);
    expect((await counter.hit('a')).count).toBe(1);
    const second = await counter.hit('a');
    expect(second.count).toBe(2);
    expect(second.resetInMs).toBeGreaterThan(0);
    expect(second.resetInMs).toBeLessThanOrEqual(300);
    expect((await counter.peek('a')).count).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await counter.peek('a')).toEqual({ count: 0, resetInMs: 0 });
  });

  it('counts concurrent hits from several connections exactly', async () => {
    const others = Array.from({ length: 4 }, () => new Redis(namespace.url));
    try {
      const counters = others.map((connection) => new FixedWindowCounter(connection, namespace.prefix, 60_000));
      await Promise.all(Array.from({ length: 200 }, (_, i) => (counters[i % counters.length] as FixedWindowCounter).hit('shared')));
      expect((await new FixedWindowCounter(redis, namespace.prefix, 60_000).peek('shared')).count).toBe(200);
    } finally {
      await Promise.all(others.map((connection) => connection.quit()));
    }
  });

  it('forgets a key on reset', async () => {
    const counter = new FixedWindowCounter(redis, namespace.prefix, 60_000);
    await counter.hit('b');
    await counter.reset('b');
    expect((await counter.peek('b')).count).toBe(0);
  });
});
