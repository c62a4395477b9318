import { randomUUID } from 'node:crypto';
import { Test, type TestingModule } from '@nestjs/testing';
import { ConfigModule } from '@bitro/config';
import { DbModule, PG_POOL } from '@bitro/db';
import { MessagingModule } from '@bitro/messaging';
import { PRICE_FEED, PriceFeedModule, type PriceFeedPort } from '@bitro/price-feed';
import { WALLET_API, WALLET_OPS_API, type WalletApi, type WalletOpsApi } from '@bitro/service-api';
import { createTestDatabase, createTestRedisNamespace, type TestDatabase, type TestRedisNamespace, testEnv } from '@bitro/testing';
import type { Pool } from 'pg';
import { WalletModule } from '../src/wallet.module';

export interface WalletTestContext {
  moduleRef: TestingModule;
  wallet: WalletApi;
  ops: WalletOpsApi;
  /** The module's pool on the test database, for SQL checks and corruption. */
  pool: Pool;
  redisPrefix: string;
  close(): Promise<void>;
}

export const fixedPriceFeed: PriceFeedPort = { currentPrice: async () => ({ krwPerBtc: 140_000_000n, asOf: new Date(), source: 'test' }) };

/**
 * WalletModule as the app wires it, on a database and Redis namespace of its own, with a price feed
 * of the test's choosing. Only the `http` role unless `env` says otherwise: no event workers.
 */
export async function startWallet(options: { priceFeed?: PriceFeedPort; env?: Record<string, string> } = {}): Promise<WalletTestContext> {
  const database: TestDatabase = await createTestDatabase();
  const redis: TestRedisNamespace = createTestRedisNamespace();
  const env = testEnv(database, redis, {
    BITRO_ROLES: 'http',
    ...options.env,
  });
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(env), DbModule, MessagingModule, PriceFeedModule, WalletModule],
  })
    .overrideProvider(PRICE_FEED)
    .useValue(options.priceFeed ?? fixedPriceFeed)
    .compile();
  await moduleRef.init();
  return {
    moduleRef,
    wallet: moduleRef.get(WALLET_API),
    ops: moduleRef.get(WALLET_OPS_API),
    pool: moduleRef.get(PG_POOL),
    redisPrefix: redis.prefix,
    async close() {
      await moduleRef.close();
      await database.drop();
      await redis.clear();
    },
  };
}

export const newUserId = (): string => randomUUID();

/** A reference unique to one call site of one test run. */
export const ref = (label: string): string => `${label}:${randomUUID()}`;
