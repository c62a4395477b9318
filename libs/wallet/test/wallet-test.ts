import { randomUUID } from 'node:crypto';
import type { InjectionToken } from '@nestjs/common';
import type { EventContractLike } from '@bitro/messaging';
import { PRICE_FEED, type PriceFeedPort } from '@bitro/price-feed';
import { AUDIT_API, USER_API, WALLET_OPS_API, type WalletOpsApi } from '@bitro/service-api';
import { TestUsers } from '@bitro/service-api/testing';
import { type ModuleTest, RecordingAudit, startModuleTest } from '@bitro/testing';
import type { z } from 'zod';
import { WalletModule } from '../src/wallet.module';
import { FAKE_GATEWAY_SECRET, type FakeGateway, startFakeGateway } from './fake-gateway-server';
import { TestLedger } from './test-ledger';

const fixedPriceFeed: PriceFeedPort = { currentPrice: async () => ({ krwPerBtc: 140_000_000n, asOf: new Date(), source: 'test' }) };

export interface WalletTestOptions {
  /** Serve the wallet's routes (auth, problem answers, route contracts) on a random local port. */
  http?: boolean;
  priceFeed?: PriceFeedPort;
  /** BitroEnv values; only the `http` role unless they say otherwise: no event workers. */
  env?: Record<string, string>;
  /** Stand-ins for some of the wallet's own providers (e.g. a use case whose calls a route test records). */
  overrides?: Array<{ provide: InjectionToken; useValue: unknown }>;
}

export interface WalletTest {
  /** WalletModule running on the module test harness. */
  mod: ModuleTest;
  /** The ledger: movements, balances, history. */
  ledger: TestLedger;
  ops: WalletOpsApi;
  /** USER_API: every user active unless frozen or missing. */
  users: TestUsers;
  /** AUDIT_API: the admin actions the wallet recorded. */
  audit: RecordingAudit;
  /** bitcoin-gateway's internal API, which the wallet calls at GATEWAY_URL. */
  gateway: FakeGateway;
  /** A new user id (an admin's with `role: 'admin'`) and an access token for it. */
  signIn(role?: 'user' | 'admin'): { userId: string; token: string };
  /** The payloads of `contract` in the outbox that name `userId`, oldest first. */
  announced<C extends EventContractLike<z.ZodType<{ userId: string }>>>(contract: C, userId: string): Promise<Array<z.output<C['payload']>>>;
  close(): Promise<void>;
}

/** WalletModule as the app wires it, the user and audit domains and the price feed stubbed, calling a fake gateway. */
export async function startWalletTest(options: WalletTestOptions = {}): Promise<WalletTest> {
  const gateway = await startFakeGateway();
  const users = new TestUsers();
  const audit = new RecordingAudit();
  let mod: ModuleTest;
  try {
    mod = await startModuleTest({
      module: WalletModule,
      stubs: [
        { provide: USER_API, useValue: users },
        { provide: AUDIT_API, useValue: audit },
        { provide: PRICE_FEED, useValue: options.priceFeed ?? fixedPriceFeed },
      ],
      env: { GATEWAY_URL: gateway.url, GATEWAY_HMAC_SECRET: FAKE_GATEWAY_SECRET, GATEWAY_TIMEOUT_MS: '500', ...options.env },
      http: options.http,
      overrides: options.overrides,
    });
  } catch (error) {
    await gateway.close();
    throw error;
  }
  return {
    mod,
    ledger: new TestLedger(mod),
    ops: mod.get(WALLET_OPS_API),
    users,
    audit,
    gateway,
    signIn(role = 'user') {
      const userId = randomUUID();
      return { userId, token: mod.token({ role, userId }) };
    },
    async announced(contract, userId) {
      return (await mod.events(contract)).map((event) => event.payload).filter((payload) => payload.userId === userId);
    },
    async close() {
      try {
        await mod.close();
      } finally {
        await gateway.close();
      }
    },
  };
}

export const newUserId = (): string => randomUUID();

/** A reference unique to one call site of one test run. */
export const ref = (label: string): string => `${label}:${randomUUID()}`;
