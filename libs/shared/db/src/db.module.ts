import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { createPgPool, createRedis } from './connections';

export const PG_POOL = Symbol.for('bitro.pg.pool');
export const REDIS = Symbol.for('bitro.redis');

/** The process's one PostgreSQL pool and one Redis connection, closed on shutdown. */
@Global()
@Module({
  providers: [
    { provide: PG_POOL, inject: [BITRO_ENV], useFactory: (env: BitroEnv) => createPgPool(env.DATABASE_URL) },
    { provide: REDIS, inject: [BITRO_ENV], useFactory: (env: BitroEnv) => createRedis(env.REDIS_URL) },
  ],
  exports: [PG_POOL, REDIS],
})
export class DbModule implements OnApplicationShutdown {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.pool.end(), this.redis.quit()]);
  }
}
