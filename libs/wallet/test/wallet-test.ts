import { randomUUID } from 'node:crypto';
import { type DynamicModule, Module, type ValueProvider } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { AccessTokens, AuthModule } from '@bitro/auth';
import { ConfigModule } from '@bitro/config';
import { DbModule, PG_POOL } from '@bitro/db';
import { deliverEvent, type DomainEvent, MessagingModule } from '@bitro/messaging';
import { PRICE_FEED, PriceFeedModule, type PriceFeedPort } from '@bitro/price-feed';
import { AUDIT_API, USER_API, type UserApi, WALLET_OPS_API, type WalletOpsApi } from '@bitro/service-api';
import {
  createTestDatabase,
  createTestRedisNamespace,
  RecordingAudit,
  type TestDatabase,
  type TestRedisNamespace,
  testEnv,
  HTTP_CONVENTIONS,
  listenForTests,
} from '@bitro/testing';
import { TestUsers } from '@bitro/service-api/testing';
import type { Pool } from 'pg';
import { WalletConsumer } from '../src/events/wallet.consumer';
import { WalletModule } from '../src/wallet.module';
import { FAKE_GATEWAY_SECRET, type FakeGateway, startFakeGateway } from './fake-gateway-server';
import { TestLedger } from './test-ledger';

/** The other domains' tokens the wallet injects, global as in the app. */
@Module({})
class OtherDomains {
  static forRoot(users: UserApi, audit: RecordingAudit): DynamicModule {
    return { module: OtherDomains, global: true, providers: [{ provide: USER_API, useValue: users }, { provide: AUDIT_API, useValue: audit }], exports: [USER_API, AUDIT_API] };
  }
}

export interface WalletTestContext {
  moduleRef: TestingModule;
  /** The ledger: movements, balances, history. */
  wallet: TestLedger;
  ops: WalletOpsApi;
  users: TestUsers;
  /** AUDIT_API: the admin actions the wallet recorded. */
  audit: RecordingAudit;
  /** The module's pool on the test database, for SQL checks and corruption. */
  pool: Pool;
  redisPrefix: string;
  close(): Promise<void>;
}

export const fixedPriceFeed: PriceFeedPort = { currentPrice: async () => ({ krwPerBtc: 140_000_000n, asOf: new Date(), source: 'test' }) };

interface WalletOptions {
  priceFeed?: PriceFeedPort;
  env?: Record<string, string>;
  /** Stand-ins for some of the wallet's own providers (e.g. a use case whose calls a route test records). */
  overrides?: ValueProvider[];
}

interface CompiledWallet {
  moduleRef: TestingModule;
  database: TestDatabase;
  redis: TestRedisNamespace;
  users: TestUsers;
  audit: RecordingAudit;
}

async function compileWallet(options: WalletOptions, http: boolean): Promise<CompiledWallet> {
  const database = await createTestDatabase();
  const redis = createTestRedisNamespace();
  const env = testEnv(database, redis, { BITRO_ROLES: 'http', ...options.env });
  const users = new TestUsers();
  const audit = new RecordingAudit();
  const builder = Test.createTestingModule({
    imports: [ConfigModule.forRoot(env), DbModule, MessagingModule, PriceFeedModule, OtherDomains.forRoot(users, audit), ...(http ? [AuthModule] : []), WalletModule],
    providers: http ? HTTP_CONVENTIONS : [],
  })
    .overrideProvider(PRICE_FEED)
    .useValue(options.priceFeed ?? fixedPriceFeed);
  for (const { provide, useValue } of options.overrides ?? []) builder.overrideProvider(provide).useValue(useValue);
  const moduleRef = await builder.compile();
  return { moduleRef, database, redis, users, audit };
}

function contextOf({ moduleRef, redis, users, audit }: CompiledWallet, close: () => Promise<void>): WalletTestContext {
  return { moduleRef, wallet: new TestLedger(moduleRef), ops: moduleRef.get(WALLET_OPS_API), users, audit, pool: moduleRef.get(PG_POOL), redisPrefix: redis.prefix, close };
}

/**
 * WalletModule as the app wires it, on a database and Redis namespace of its own, with a price feed
 * of the test's choosing. Only the `http` role unless `env` says otherwise: no event workers.
 */
export async function startWallet(options: WalletOptions = {}): Promise<WalletTestContext> {
  const compiled = await compileWallet(options, false);
  const { moduleRef, database, redis } = compiled;
  await moduleRef.init();
  return contextOf(compiled, async () => {
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
  /** A new admin's id and an access token for them (`role`: a user's, to be refused). */
  signIn(role?: 'admin' | 'user'): { id: string; token: string };
}

/** WalletModule served over HTTP on a random port (auth, problem answers, contract validation), calling a fake gateway. */
export async function startWalletApp(options: WalletOptions = {}): Promise<WalletTestApp> {
  const gateway = await startFakeGateway();
  const env = { GATEWAY_URL: gateway.url, GATEWAY_HMAC_SECRET: FAKE_GATEWAY_SECRET, GATEWAY_TIMEOUT_MS: '500', ...options.env };
  const compiled = await compileWallet({ ...options, env }, true);
  const { moduleRef, database, redis } = compiled;
  const { app, url } = await listenForTests(moduleRef);
  const tokens = app.get(AccessTokens);
  const context = contextOf(compiled, async () => {
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
    signIn(role = 'admin') {
      const id = randomUUID();
      return { id, token: tokens.sign({ sub: id, role, sid: randomUUID() }) };
    },
  };
}

export const newUserId = (): string => randomUUID();

/** A reference unique to one call site of one test run. */
export const ref = (label: string): string => `${label}:${randomUUID()}`;


/**
 * Hands an event to the wallet's consumer as the messaging workers do: its inbox row and its handler in
 * one transaction of the consumer. False when the inbox already had it (nothing handled).
 */
export function deliver(context: WalletTestContext, event: DomainEvent): Promise<boolean> {
  return deliverEvent(context.moduleRef.get(WalletConsumer), event);
}
