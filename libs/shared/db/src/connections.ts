import { Redis } from 'ioredis';
import { Pool } from 'pg';

export function createPgPool(databaseUrl: string, max = 10, onError: (error: Error) => void = () => undefined): Pool {
  const pool = new Pool({ connectionString: databaseUrl, max, connectionTimeoutMillis: 5_000, idleTimeoutMillis: 30_000 });
  // An idle connection that dies (PostgreSQL restarted) must not become an uncaught exception; the pool replaces it.
  pool.on('error', onError);
  // Nor one that dies while checked out (57P01 "terminating connection"): its query fails and the pool discards it,
  // but the Client also emits 'error', which without a listener of its own would end the process.
  pool.on('connect', (client) => client.on('error', onError));
  return pool;
}

/**
 * A Redis connection that fails fast instead of queueing commands forever while Redis is down,
 * so a request (or a readiness probe) gets an answer.
 */
export function createRedis(redisUrl: string, options: { lazyConnect?: boolean; onError?: (error: Error) => void } = {}): Redis {
  const redis = new Redis(redisUrl, {
    lazyConnect: options.lazyConnect ?? false,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    connectTimeout: 5_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  // Without a listener ioredis prints every reconnection failure; commands still fail and are reported.
  redis.on('error', options.onError ?? (() => undefined));
  return redis;
}
