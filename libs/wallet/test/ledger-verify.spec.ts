import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUserId, ref, startWalletTest, type WalletTest } from './wallet-test';

let wallet: WalletTest;

beforeAll(async () => {
  wallet = await startWalletTest();
});

afterAll(async () => {
  await wallet?.close();
});

const accountId = async (code: string): Promise<string> =>
  (await wallet.mod.pool.query<{ id: string }>(`SELECT id FROM "wallet"."accounts" WHERE code = $1`, [code])).rows[0]?.id as string;

describe('verifyLedger', () => {
  it('finds nothing wrong in a ledger only the wallet wrote', async () => {
    const userId = newUserId();
    await wallet.ledger.credit({ userId, amountSats: 9_000n, reference: ref('credit'), description: 'c' });
    await wallet.ledger.hold({ userId, amountSats: 4_000n, reference: ref('hold'), description: 'h' });
    const report = await wallet.ops.verifyLedger();
    expect(report).toEqual({
      journals: 2,
      postings: 4,
      // The three house accounts and the user's two.
      accounts: 5,
      unbalancedJournals: [],
      balanceMismatches: [],
      negativeUserAccounts: [],
      ok: true,
    });
  });

  it('names a tampered cached balance, an unbalanced journal and a negative user account', async () => {
    const userId = newUserId();
    const credit = await wallet.ledger.credit({ userId, amountSats: 5_000n, reference: ref('credit'), description: 'c' });
    const debit = await wallet.ledger.debit({ userId, amountSats: 1_000n, reference: ref('debit'), description: 'd' });
    const available = await accountId(`user:${userId}:available`);
    const held = await accountId(`user:${userId}:held`);
    const fees = await accountId('house:fees');

    // Someone adds sats to a cached balance...
    await wallet.mod.pool.query(`UPDATE "wallet"."accounts" SET balance = balance + 777 WHERE id = $1`, [available]);
    // ...and edits one posting of a journal (the fee account now got 1,500 for a 1,000 debit).
    await wallet.mod.pool.query(`UPDATE "wallet"."postings" SET amount_sats = 1500 WHERE journal_id = $1 AND account_id = $2`, [debit.journalId, fees]);
    // The balance guard refuses a negative user balance, even from SQL...
    await expect(wallet.mod.pool.query(`UPDATE "wallet"."accounts" SET balance = -1 WHERE id = $1`, [held])).rejects.toThrow(/would go negative/);
    // ...unless someone switches it off.
    await wallet.mod.pool.query(`ALTER TABLE "wallet"."accounts" DISABLE TRIGGER "accounts_balance_guard"`);
    await wallet.mod.pool.query(`UPDATE "wallet"."accounts" SET balance = -1 WHERE id = $1`, [held]);

    const report = await wallet.ops.verifyLedger();
    expect(report.ok).toBe(false);
    expect(report.unbalancedJournals).toEqual([{ journalId: debit.journalId, sum: 500n }]);
    expect(report.balanceMismatches).toEqual(
      expect.arrayContaining([
        { accountId: available, cached: 4_777n, computed: 4_000n },
        { accountId: fees, cached: 1_000n, computed: 1_500n },
        { accountId: held, cached: -1n, computed: 0n },
      ]),
    );
    expect(report.balanceMismatches).toHaveLength(3);
    expect(report.negativeUserAccounts).toEqual([{ accountId: held, balance: -1n }]);
    expect(report.unbalancedJournals.map((journal) => journal.journalId)).not.toContain(credit.journalId);
  });
});
