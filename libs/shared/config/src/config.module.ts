import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { BitroEnv } from './bitro-env.schema';
import type { GatewayEnv } from './gateway-env.schema';

/** Injection token of the validated {@link BitroEnv} (bitro-api). */
export const BITRO_ENV = Symbol.for('bitro.env');
/** Injection token of the validated {@link GatewayEnv} (bitcoin-gateway). */
export const GATEWAY_ENV = Symbol.for('bitro.gateway.env');
/** Injection token of the process's {@link DbSettings}, whichever app it is. */
export const DB_SETTINGS = Symbol.for('bitro.db.settings');

/** Injection token of the process's {@link MessagingSettings}, whichever app it is. */
export const MESSAGING_SETTINGS = Symbol.for('bitro.messaging.settings');

/** Where a process keeps its data: what the shared DbModule connects to. */
export interface DbSettings {
  databaseUrl: string;
  poolSize: number;
  redisUrl: string;
}

/** How the shared MessagingModule runs in this process. */
export interface MessagingSettings {
  redisUrl: string;
  /** Every BullMQ key lives under `${keyPrefix}bull`. */
  keyPrefix: string;
  /** Runs the outbox relay and the event consumers. */
  worker: boolean;
  /** Keeps the job schedulers of repeating work (and re-creates them when Redis lost them). */
  scheduler: boolean;
  relayIntervalMs: number;
  maxAttempts: number;
  backoffMs: number;
  redeliveryAfterMs: number;
  newConsumerBackfillMs: number;
  retentionHours: number;
}

type MessagingEnv = Pick<
  BitroEnv,
  | 'REDIS_URL'
  | 'REDIS_KEY_PREFIX'
  | 'OUTBOX_RELAY_INTERVAL_MS'
  | 'EVENT_MAX_ATTEMPTS'
  | 'EVENT_BACKOFF_MS'
  | 'EVENT_REDELIVERY_AFTER_MS'
  | 'EVENT_NEW_CONSUMER_BACKFILL_MS'
  | 'EVENT_RETENTION_HOURS'
>;

function messagingSettings(env: MessagingEnv, roles: { worker: boolean; scheduler: boolean }): MessagingSettings {
  return {
    redisUrl: env.REDIS_URL,
    keyPrefix: env.REDIS_KEY_PREFIX,
    ...roles,
    relayIntervalMs: env.OUTBOX_RELAY_INTERVAL_MS,
    maxAttempts: env.EVENT_MAX_ATTEMPTS,
    backoffMs: env.EVENT_BACKOFF_MS,
    redeliveryAfterMs: env.EVENT_REDELIVERY_AFTER_MS,
    newConsumerBackfillMs: env.EVENT_NEW_CONSUMER_BACKFILL_MS,
    retentionHours: env.EVENT_RETENTION_HOURS,
  };
}

/** Provides an app's validated environment, and the database settings taken from it, to every module. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(env: BitroEnv): DynamicModule {
    const db: DbSettings = { databaseUrl: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE, redisUrl: env.REDIS_URL };
    const roles = { worker: env.BITRO_ROLES.includes('worker'), scheduler: env.BITRO_ROLES.includes('scheduler') };
    return ConfigModule.provide(BITRO_ENV, env, db, messagingSettings(env, roles));
  }

  /** `workers: false` for operator commands: nothing runs in the background. */
  static forGateway(env: GatewayEnv, { workers = true }: { workers?: boolean } = {}): DynamicModule {
    const db: DbSettings = { databaseUrl: env.GATEWAY_DATABASE_URL, poolSize: env.GATEWAY_DATABASE_POOL_SIZE, redisUrl: env.REDIS_URL };
    // A gateway process does everything; a second replica would share the work through BullMQ and advisory locks.
    return ConfigModule.provide(GATEWAY_ENV, env, db, messagingSettings(env, { worker: workers, scheduler: workers }));
  }

  private static provide(token: symbol, env: unknown, db: DbSettings, messaging: MessagingSettings): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: token, useValue: env },
        { provide: DB_SETTINGS, useValue: db },
        { provide: MESSAGING_SETTINGS, useValue: messaging },
      ],
      exports: [token, DB_SETTINGS, MESSAGING_SETTINGS],
    };
  }
}
