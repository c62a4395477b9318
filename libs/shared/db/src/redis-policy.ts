import type { Redis } from 'ioredis';

/**
 * What is wrong with a Redis for BullMQ (ADR 15): an eviction policy other than `noeviction` silently drops queued jobs
 * and job schedulers under memory pressure; without persistence a restart empties every queue. Nothing is lost for
 * good either way (PostgreSQL keeps the publication record), but work waits for the sweeper. Empty when all is well
 * or when Redis does not let us read its configuration (managed services often forbid CONFIG).
 */
export async function redisPolicyWarnings(redis: Redis): Promise<string[]> {
  let config: Record<string, string>;
  try {
    const pairs = (await redis.call('CONFIG', 'GET', '*')) as string[];
    config = {};
    for (let i = 0; i + 1 < pairs.length; i += 2) config[pairs[i] as string] = pairs[i + 1] as string;
  } catch {
    return [];
  }
  const warnings: string[] = [];
  const policy = config['maxmemory-policy'];
  if (policy !== undefined && policy !== 'noeviction') {
    warnings.push(`Redis maxmemory-policy is "${policy}": it may evict queued jobs and job schedulers. Set maxmemory-policy noeviction.`);
  }
  if (config['appendonly'] === 'no' && (config['save'] ?? '') === '') {
    warnings.push('Redis persists nothing (appendonly no, no save points): a restart empties every queue until the sweeper re-delivers. Enable AOF in production.');
  }
  return warnings;
}
