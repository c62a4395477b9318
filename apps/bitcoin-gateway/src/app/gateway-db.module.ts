import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { GatewayEnv } from '@bitro/config';
import { createPgPool, createRedis, PG_POOL, REDIS } from '@bitro/db';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { GATEWAY_ENV } from './gateway-env.module';

/**
 * The gateway's PostgreSQL pool (GATEWAY_DATABASE_URL, its own credentials and schema) and Redis connection,
 * under @bitro/db's tokens; closed on shutdown.
 */
@Global()
@Module({
  providers: [
    {
      provide: PG_POOL,
      inject: [GATEWAY_ENV],
      useFactory: (env: GatewayEnv) => {
        const logger = new Logger('postgres');
        return createPgPool(env.GATEWAY_DATABASE_URL, env.GATEWAY_DATABASE_POOL_SIZE, (error) => logger.warn(`Idle PostgreSQL connection lost: ${error.message}`));
      },
    },
    {
      provide: REDIS,
      inject: [GATEWAY_ENV],
      useFactory: (env: GatewayEnv) => {
        const logger = new Logger('redis');
        let lastLogged = 0;
        return createRedis(env.REDIS_URL, {
          onError: (error) => {
            if (Date.now() - lastLogged < 10_000) return;
            lastLogged = Date.now();
            logger.warn(`Redis connection error: ${error.message}`);
          },
        });
      },
    },
  ],
  exports: [PG_POOL, REDIS],
})
export class GatewayDbModule implements OnApplicationShutdown {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.pool.end(), this.redis.quit()]);
  }
}
