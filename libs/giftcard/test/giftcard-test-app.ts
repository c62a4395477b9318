import { type DynamicModule, Module, type Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { AccessTokens, AuthModule } from '@bitro/auth';
import { type BitroEnv, ConfigModule } from '@bitro/config';
import { DbModule, PG_POOL } from '@bitro/db';
import { MessagingModule, Outbox } from '@bitro/messaging';
import { type BtcKrwPrice, FixedPriceFeed, PRICE_FEED, PriceFeedModule, type PriceFeedPort, PriceUnavailableError } from '@bitro/price-feed';
import { AUDIT_API, USER_API, type UserApi } from '@bitro/service-api';
import { TestUsers } from '@bitro/service-api/testing';
import { createTestDatabase, createTestRedisNamespace, RecordingAudit, type TestDatabase, type TestRedisNamespace, testEnv, HTTP_CONVENTIONS, listenForTests } from '@bitro/testing';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { expect } from 'vitest';
import { GiftcardModule } from '../src';
import { GiftcardPrisma } from '../src/persistence/giftcard-prisma';

/** USER_API and AUDIT_API, global as the app makes them, from the stand-ins. */
@Module({})
class TestDomainsModule {
  static forRoot(users: UserApi, audit: RecordingAudit): DynamicModule {
    return {
      module: TestDomainsModule,
      global: true,
      providers: [
        { provide: USER_API, useValue: users },
        { provide: AUDIT_API, useValue: audit },
      ],
      exports: [USER_API, AUDIT_API],
    };
  }
}

/** The fixed price, or PriceUnavailableError while `available` is false. */
export class SwitchablePriceFeed implements PriceFeedPort {
  available = true;
  private readonly fixed: FixedPriceFeed;

  constructor(readonly krwPerBtc: bigint) {
    this.fixed = new FixedPriceFeed(krwPerBtc);
  }

  currentPrice(): Promise<BtcKrwPrice> {
    if (!this.available) return Promise.reject(new PriceUnavailableError('test: price feed switched off'));
    return this.fixed.currentPrice();
  }
}

export interface GiftcardTestApp {
  url: string;
  env: BitroEnv;
  app: NestFastifyApplication;
  users: TestUsers;
  /** AUDIT_API: what the module reported to the audit trail. */
  audit: RecordingAudit;
  prices: SwitchablePriceFeed;
  prisma: GiftcardPrisma;
  pool: Pool;
  outbox: Outbox;
  /** A new user id and an access token for it. */
  newUser(): { userId: string; token: string };
  /** A new admin's id and an access token for it. */
  newAdmin(): { userId: string; token: string };
  close(): Promise<void>;
}

/**
 * The gift-card module on a random port, with the global modules the app gives it (config, db, auth,
 * messaging, price feed) and stand-ins of USER_API and AUDIT_API; a database and a Redis namespace of its own.
 * `replace`: providers of the module replaced by test doubles (class → double).
 */
export async function startGiftcardApp(overrides: Record<string, string> = {}, replace: Map<Type, unknown> = new Map()): Promise<GiftcardTestApp> {
  const database: TestDatabase = await createTestDatabase();
  const redis: TestRedisNamespace = createTestRedisNamespace();
  const env = testEnv(database, redis, {
    OUTBOX_RELAY_INTERVAL_MS: '50',
    EVENT_BACKOFF_MS: '50',
    ...overrides,
  });
  const users = new TestUsers();
  const audit = new RecordingAudit();
  const prices = new SwitchablePriceFeed(env.FIXED_PRICE_KRW_PER_BTC);
  const builder = Test.createTestingModule({
    imports: [ConfigModule.forRoot(env), DbModule, AuthModule, MessagingModule, PriceFeedModule, TestDomainsModule.forRoot(users, audit), GiftcardModule],
    providers: HTTP_CONVENTIONS,
  })
    .overrideProvider(PRICE_FEED)
    .useValue(prices);
  for (const [provider, double] of replace) builder.overrideProvider(provider).useValue(double);
  const moduleRef = await builder.compile();
  const { app, url } = await listenForTests(moduleRef, { bodyLimit: env.BODY_LIMIT_BYTES });
  app.enableShutdownHooks();
  const tokens = app.get(AccessTokens);
  const signIn = (role: 'user' | 'admin') => {
    const userId = randomUUID();
    return { userId, token: tokens.sign({ sub: userId, role, sid: randomUUID() }) };
  };
  return {
    url,
    env,
    app,
    users,
    audit,
    prices,
    prisma: app.get(GiftcardPrisma),
    pool: app.get<Pool>(PG_POOL),
    outbox: app.get(Outbox),
    newUser: () => signIn('user'),
    newAdmin: () => signIn('admin'),
    async close() {
      await app.close();
      await Promise.all([database.drop(), redis.clear()]);
    },
  };
}

export { requestJson as call, type JsonResponse } from '@bitro/testing';

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** How many events of this name about this redemption are in the outbox. */
export async function outboxCount(pool: Pool, eventName: string, redemptionId: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "messaging"."outbox" WHERE name = $1 AND payload->>'redemptionId' = $2`,
    [eventName, redemptionId],
  );
  return rows[0]?.n ?? 0;
}

/** Asserts a problem+json answer of this status and code. */
export function expectProblem(answer: { status: number; headers: Headers; body: unknown }, status: number, code: string): void {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(answer.body).toMatchObject({ type: `https://bitro.dev/problems/${code}`, status });
}
