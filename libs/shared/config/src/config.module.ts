import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { BitroEnv } from './bitro-env.schema';
import type { GatewayEnv } from './gateway-env.schema';

/** Injection token of the validated {@link BitroEnv} (bitro-api). */
export const BITRO_ENV = Symbol.for('bitro.env');
/** Injection token of the validated {@link GatewayEnv} (bitcoin-gateway). */
export const GATEWAY_ENV = Symbol.for('bitro.gateway.env');
/** Injection token of the process's {@link DbSettings}, whichever app it is. */
export const DB_SETTINGS = Symbol.for('bitro.db.settings');

/** Where a process keeps its data: what the shared DbModule connects to. */
export interface DbSettings {
  databaseUrl: string;
  poolSize: number;
  redisUrl: string;
}

/** Provides an app's validated environment, and the database settings taken from it, to every module. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(env: BitroEnv): DynamicModule {
    const db: DbSettings = { databaseUrl: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE, redisUrl: env.REDIS_URL };
    return ConfigModule.provide(BITRO_ENV, env, db);
  }

  static forGateway(env: GatewayEnv): DynamicModule {
    const db: DbSettings = { databaseUrl: env.GATEWAY_DATABASE_URL, poolSize: env.GATEWAY_DATABASE_POOL_SIZE, redisUrl: env.REDIS_URL };
    return ConfigModule.provide(GATEWAY_ENV, env, db);
  }

  private static provide(token: symbol, env: unknown, db: DbSettings): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: token, useValue: env },
        { provide: DB_SETTINGS, useValue: db },
      ],
      exports: [token, DB_SETTINGS],
    };
  }
}
