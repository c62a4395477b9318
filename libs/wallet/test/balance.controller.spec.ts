import type { AccessClaims } from '@bitro/auth';
import { type BtcKrwPrice, PriceUnavailableError } from '@bitro/price-feed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTransactionsRoute, historyPageSchema, walletBalanceSchema } from '../src/features/balance/balance.contracts';
import { BalanceController } from '../src/features/balance/balance.controller';
import { newUserId, ref, startWalletTest, type WalletTest } from './wallet-test';

let wallet: WalletTest;
let controller: BalanceController;
let currentPrice: () => Promise<BtcKrwPrice>;
const asOf = new Date('2026-11-24T12:00:00.000Z');
const userId = newUserId();
const principal = { sub: userId } as AccessClaims;

beforeAll(async () => {
  currentPrice = async () => ({ krwPerBtc: 140_000_000n, asOf, source: 'test' });
  wallet = await startWalletTest({ priceFeed: { currentPrice: () => currentPrice() }, env: { PRICE_FEED_TIMEOUT_MS: '200' } });
  controller = wallet.mod.get(BalanceController);
  await wallet.ledger.credit({ userId, amountSats: 123_456_789n, reference: ref('credit'), description: 'Gift card' });
  await wallet.ledger.hold({ userId, amountSats: 23_456_789n, reference: ref('hold'), description: 'Withdrawal' });
});

afterAll(async () => {
  await wallet?.close();
});

describe('BalanceController', () => {
  it('answers the balance as decimal strings with a KRW estimate rounded down', async () => {
    const body = walletBalanceSchema.parse(await controller.balance(principal));
    expect(body).toEqual({
      availableSats: '100000000',
      heldSats: '23456789',
      totalSats: '123456789',
      // 1 BTC at 140,000,000 KRW; 1.23456789 BTC = 172,839,504.6 KRW.
      krw: { priceKrwPerBtc: '140000000', availableKrw: '140000000', totalKrw: '172839504', asOf: asOf.toISOString(), source: 'test' },
    });
    expect(walletBalanceSchema.parse(await controller.balance({ sub: newUserId() } as AccessClaims))).toMatchObject({
      availableSats: '0',
      totalSats: '0',
      krw: { availableKrw: '0' },
    });
  });

  it('answers balances asked for at once each from its own accounts (they share one statement)', async () => {
    const other = newUserId();
    await wallet.ledger.credit({ userId: other, amountSats: 5n, reference: ref('other'), description: 'Gift card' });
    const [mine, theirs, nobodys, upperCase] = await Promise.all(
      [userId, other, newUserId(), userId.toUpperCase()].map((sub) => controller.balance({ sub } as AccessClaims)),
    );
    expect([mine, theirs, nobodys, upperCase].map((body) => [body.availableSats, body.heldSats])).toEqual([
      ['100000000', '23456789'],
      ['5', '0'],
      ['0', '0'],
      ['100000000', '23456789'],
    ]);
  });

  it('still answers the balance, with krw null, when the price feed fails or hangs', async () => {
    currentPrice = async () => {
      throw new PriceUnavailableError('ticker down');
    };
    expect(await controller.balance(principal)).toMatchObject({ totalSats: '123456789', krw: null });
    currentPrice = () => new Promise(() => undefined);
    expect(await controller.balance(principal)).toMatchObject({ availableSats: '100000000', krw: null });
  });

  it('pages the transactions with the query the contract parses', async () => {
    const query = getTransactionsRoute.query;
    const first = historyPageSchema.parse(await controller.transactions(principal, query.parse({ limit: '1' })));
    expect(first.items).toEqual([expect.objectContaining({ kind: 'hold', availableDeltaSats: '-23456789', heldDeltaSats: '23456789' })]);
    const second = historyPageSchema.parse(await controller.transactions(principal, query.parse({ limit: '1', cursor: first.nextCursor })));
    expect(second).toEqual({ items: [expect.objectContaining({ kind: 'credit', availableDeltaSats: '123456789', heldDeltaSats: '0' })], nextCursor: null });
    expect(query.parse({}).limit).toBe(20);
    expect(historyPageSchema.parse(await controller.transactions(principal, query.parse({ kind: 'debit' })))).toEqual({ items: [], nextCursor: null });
    expect(historyPageSchema.parse(await controller.transactions(principal, query.parse({ from: '2000-01-01', to: '2000-01-02' }))).items).toEqual([]);
  });

  it('rejects queries outside the contract', () => {
    const query = getTransactionsRoute.query;
    for (const bad of [{ limit: '0' }, { limit: '101' }, { limit: 'x' }, { cursor: 'nope' }, { kind: 'steal' }, { from: 'yesterday' }, { from: '2026-02-01', to: '2026-01-01' }]) {
      expect(query.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(query.safeParse({ from: '2026-01-01T00:00:00+09:00', to: '2026-01-02' }).success).toBe(true);
  });
});
