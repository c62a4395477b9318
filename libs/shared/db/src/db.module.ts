import { Global, Inject, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DB_SETTINGS, type DbSettings } from '@bitro/config';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { createPgPool, createRedis } from './connections';
import { PgPoolCollector } from './pg-pool.collector';
import { PG_POOL, REDIS } from './tokens';
import { redisPolicyWarnings } from './redis-policy';


/** The process's one PostgreSQL pool and one Redis connection (from DB_SETTINGS), closed on shutdown. */
@Global()
@Module({
  providers: [
    {
      provide: PG_POOL,
      inject: [DB_SETTINGS],
      useFactory: (settings: DbSettings) => {
        const logger = new Logger('postgres');
        return createPgPool(settings.databaseUrl, settings.poolSize, (error) => logger.warn(`Idle PostgreSQL connection lost: ${error.message}`));
      },
    },
    {
      provide: REDIS,
      inject: [DB_SETTINGS],
      useFactory: (settings: DbSettings) => {
        const logger = new Logger('redis');
        let lastLogged = 0;
        return createRedis(settings.redisUrl, {
          onError: (error) => {
            // ioredis reports every reconnection attempt; one line per 10 s is enough.
            if (Date.now() - lastLogged < 10_000) return;
            lastLogged = Date.now();
            logger.warn(`Redis connection error: ${error.message}`);
          },
        });
      },
    },
    PgPoolCollector,
  ],
  exports: [PG_POOL, REDIS],
})
export class DbModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /** Says loudly, once, when Redis is set up to lose jobs (not awaited: a Redis that is down must not hold the start). */
  onApplicationBootstrap(): void {
    const logger = new Logger('redis');
    redisPolicyWarnings(this.redis).then(
      (warnings) => warnings.forEach((warning) => logger.warn(warning)),
      () => undefined,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.pool.end(), this.redis.quit()]);
  }
}
