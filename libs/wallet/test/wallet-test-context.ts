import { randomUUID } from 'node:crypto';
import { Test, type TestingModule } from '@nestjs/testing';
import { AccessTokens, AuthModule } from '@bitro/auth';
import { ConfigModule } from '@bitro/config';
import { DbModule, PG_POOL } from '@bitro/db';
import { deliverEvent, type DomainEvent, MessagingModule } from '@bitro/messaging';
import { PRICE_FEED, PriceFeedModule, type PriceFeedPort } from '@bitro/price-feed';
import { WALLET_API, WALLET_OPS_API, type WalletApi, type WalletOpsApi } from '@bitro/service-api';
import { createTestDatabase, createTestRedisNamespace, type TestDatabase, type TestRedisNamespace, testEnv, HTTP_CONVENTIONS, listenForTests } from '@bitro/testing';
import type { Pool } from 'pg';
import { WalletEventSubscriber } from '../src/events/wallet-event.subscriber';
import { WalletModule } from '../src/wallet.module';
import { FAKE_GATEWAY_SECRET, type FakeGateway, startFakeGateway } from './fake-gateway-server';

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

interface WalletOptions {
  priceFeed?: PriceFeedPort;
  env?: Record<string, string>;
}

async function compileWallet(options: WalletOptions, http: boolean): Promise<{ moduleRef: TestingModule; database: TestDatabase; redis: TestRedisNamespace }> {
  const database = await createTestDatabase();
  const redis = createTestRedisNamespace();
  const env = testEnv(database, redis, { BITRO_ROLES: 'http', ...options.env });
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(env), DbModule, MessagingModule, PriceFeedModule, ...(http ? [AuthModule] : []), WalletModule],
    providers: http ? HTTP_CONVENTIONS : [],
  })
    .overrideProvider(PRICE_FEED)
    .useValue(options.priceFeed ?? fixedPriceFeed)
    .compile();
  return { moduleRef, database, redis };
}

function contextOf(moduleRef: TestingModule, redis: TestRedisNamespace, close: () => Promise<void>): WalletTestContext {
  return { moduleRef, wallet: moduleRef.get(WALLET_API), ops: moduleRef.get(WALLET_OPS_API), pool: moduleRef.get(PG_POOL), redisPrefix: redis.prefix, close };
}

/**
 * WalletModule as the app wires it, on a database and Redis namespace of its own, with a price feed
 * of the test's choosing. Only the `http` role unless `env` says otherwise: no event workers.
 */
export async function startWallet(options: WalletOptions = {}): Promise<WalletTestContext> {
  const { moduleRef, database, redis } = await compileWallet(options, false);
  await moduleRef.init();
  return contextOf(moduleRef, redis, async () => {
    await moduleRef.close();
    await database.drop();
    await redis.clear();
  });
}

export interface WalletTestApp extends WalletTestContext {
  url: string;
  gateway: FakeGateway;
  /** A new user id and an access token for it. */
  newUser(): { userId: string; token: string };
}

/** WalletModule served over HTTP on a random port (auth, problem answers, contract validation), calling a fake gateway. */
export async function startWalletApp(options: WalletOptions = {}): Promise<WalletTestApp> {
  const gateway = await startFakeGateway();
  const env = { GATEWAY_URL: gateway.url, GATEWAY_HMAC_SECRET: FAKE_GATEWAY_SECRET, GATEWAY_TIMEOUT_MS: '500', ...options.env };
  const { moduleRef, database, redis } = await compileWallet({ ...options, env }, true);
  const { app, url } = await listenForTests(moduleRef);
  const tokens = app.get(AccessTokens);
  const context = contextOf(moduleRef, redis, async () => {
    await app.close();
    await gateway.close();
    await Promise.all([database.drop(), redis.clear()]);
  });
  return {
    ...context,
    url,
    gateway,
    newUser() {
      const userId = randomUUID();
      return { userId, token: tokens.sign({ sub: userId, role: 'user', sid: randomUUID() }) };
    },
  };
}

export const newUserId = (): string => randomUUID();

/** A reference unique to one call site of one test run. */
export const ref = (label: string): string => `${label}:${randomUUID()}`;


/**
 * Hands an event to the wallet's subscriber as the messaging workers do: its inbox row and its handler in
 * one transaction of the subscriber. False when the inbox already had it (nothing handled).
 */
export function deliver(context: WalletTestContext, event: DomainEvent): Promise<boolean> {
  return deliverEvent(context.moduleRef.get(WalletEventSubscriber), event);
}
