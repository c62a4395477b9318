import type { Redis } from 'ioredis';
import type { Pool } from 'pg';

export interface ProbeResult {
  name: string;
  up: boolean;
  latencyMs: number;
  error?: string;
}

async function probe(name: string, timeoutMs: number, check: () => Promise<unknown>): Promise<ProbeResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { name, up: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { name, up: false, latencyMs: Math.round(performance.now() - started), error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

export const probePostgres = (pool: Pool, timeoutMs = 2_000) => probe('postgres', timeoutMs, () => pool.query('SELECT 1'));
export const probeRedis = (redis: Redis, timeoutMs = 2_000) => probe('redis', timeoutMs, () => redis.ping());
