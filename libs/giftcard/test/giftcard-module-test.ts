import { randomUUID } from 'node:crypto';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import type { EventContractLike } from '@bitro/messaging';
import { type BtcKrwPrice, createPriceFeed, PRICE_FEED, type PriceFeedPort, PriceUnavailableError } from '@bitro/price-feed';
import { AUDIT_API, USER_API } from '@bitro/service-api';
import { TestUsers } from '@bitro/service-api/testing';
import { type JsonResponse, type ModuleTest, type ModuleTestOptions, RecordingAudit, startModuleTest } from '@bitro/testing';
import { GiftcardModule } from '../src';
import { GiftcardPrisma } from '../src/persistence/giftcard-prisma';

/** The price feed the app would make from the env, or PriceUnavailableError while `available` is false. */
export class SwitchablePriceFeed implements PriceFeedPort {
  available = true;

  constructor(private readonly feed: PriceFeedPort) {}

  currentPrice(): Promise<BtcKrwPrice> {
    if (!this.available) return Promise.reject(new PriceUnavailableError('test: price feed switched off'));
    return this.feed.currentPrice();
  }
}

export interface GiftcardModuleTest {
  mod: ModuleTest;
  /** USER_API: every user active unless frozen here. */
  users: TestUsers;
  /** AUDIT_API: what the module reported to the audit trail. */
  audit: RecordingAudit;
  /** PRICE_FEED, switchable off. */
  prices: SwitchablePriceFeed;
  prisma: GiftcardPrisma;
  /** A new user id and an access token for it. */
  newUser(): { userId: string; token: string };
  /** POST /v1/giftcards/redemptions under `key` (a new one unless given; no header when null). */
  redeem<T = Record<string, unknown>>(token: string, body: unknown, key?: string | null): Promise<JsonResponse<T>>;
  /** The payloads, as stored (not parsed by the contract), of the events of `contract` about this redemption in the outbox. */
  published(contract: EventContractLike, redemptionId: string): Promise<unknown[]>;
  close(): Promise<void>;
}

/**
 * GiftcardModule on the module test harness, served over HTTP, with stubs for the user and audit domains and a
 * switchable price feed; `env` and `overrides` as the harness takes them.
 */
export async function startGiftcardModule(options: Omit<ModuleTestOptions, 'module' | 'stubs'> = {}): Promise<GiftcardModuleTest> {
  const users = new TestUsers();
  const audit = new RecordingAudit();
  const mod = await startModuleTest({
    module: GiftcardModule,
    stubs: [
      { provide: USER_API, useValue: users },
      { provide: AUDIT_API, useValue: audit },
      { provide: PRICE_FEED, inject: [BITRO_ENV], useFactory: (env: BitroEnv) => new SwitchablePriceFeed(createPriceFeed(env)) },
    ],
    http: true,
    ...options,
  });
  return {
    mod,
    users,
    audit,
    prices: mod.get<SwitchablePriceFeed>(PRICE_FEED),
    prisma: mod.get(GiftcardPrisma),
    newUser() {
      const userId = randomUUID();
      return { userId, token: mod.token({ userId }) };
    },
    redeem<T>(token: string, body: unknown, key: string | null = randomUUID()) {
      return mod.request<T>('POST', '/v1/giftcards/redemptions', { token, body, headers: key === null ? {} : { 'idempotency-key': key } });
    },
    async published(contract, redemptionId) {
      const { rows } = await mod.pool.query<{ payload: unknown }>(
        `SELECT payload FROM "messaging"."outbox" WHERE name = $1 AND payload->>'redemptionId' = $2 ORDER BY occurred_at, id`,
        [contract.name, redemptionId],
      );
      return rows.map((row) => row.payload);
    },
    close: () => mod.close(),
  };
}

/** Asserts a problem+json answer of this status and code. */

export { expectProblem } from '@bitro/testing';
