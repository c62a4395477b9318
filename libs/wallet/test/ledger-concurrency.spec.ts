import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../src/features/ledger/ledger-entry';
import { InsufficientFundsError } from '../src/features/ledger/ledger.errors';
import { newUserId, ref, startWalletTest, type WalletTest } from './wallet-test';

let wallet: WalletTest;

beforeAll(async () => {
  wallet = await startWalletTest();
});

afterAll(async () => {
  await wallet?.close();
});

const settled = <T>(promises: Array<Promise<T>>) => Promise.allSettled(promises);
const rejectionsOf = (results: Array<PromiseSettledResult<unknown>>) =>
  results.filter((result): result is PromiseRejectedResult => result.status === 'rejected').map((result) => result.reason as unknown);

describe('concurrency', () => {
  it('lets exactly as many concurrent debits through as the balance covers', async () => {
    const userId = newUserId();
    await wallet.ledger.credit({ userId, amountSats: 30_000n, reference: ref('credit'), description: 'Gift card' });

    const results = await settled(
      // 60 debits that all lock the same account: enough for the race, few enough that the last one gets a pooled
      // connection within its timeout on a busy 2-core CI machine (they run one after another on the row lock).
      Array.from({ length: 60 }, (_, i) => wallet.ledger.debit({ userId, amountSats: 1_000n, reference: ref(`debit-${i}`), description: 'Fee' })),
    );
    const rejections = rejectionsOf(results);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(30);
    expect(rejections).toHaveLength(30);
    for (const reason of rejections) expect(reason).toBeInstanceOf(InsufficientFundsError);

    expect(await wallet.ledger.balance(userId)).toMatchObject({ availableSats: 0n, heldSats: 0n });
    const debits = await wallet.mod.pool.query(`SELECT count(*)::int AS n FROM "wallet"."journals" WHERE user_id = $1 AND kind = 'debit'`, [userId]);
    expect(debits.rows[0].n).toBe(30);
    expect(await wallet.ops.verifyLedger()).toMatchObject({ ok: true, negativeUserAccounts: [] });
  });

  it('posts one journal when the same reference arrives many times at once', async () => {
    const userId = newUserId();
    const input = { userId, amountSats: 12_345n, reference: ref('redemption'), description: 'Gift card' };
    const entries = await Promise.all(Array.from({ length: 20 }, () => wallet.ledger.credit({ ...input })));
    expect(new Set(entries.map((entry: LedgerEntry) => entry.journalId)).size).toBe(1);
    expect(await wallet.ledger.balance(userId)).toMatchObject({ availableSats: 12_345n });
  });

  it('closes a hold once when a release and a settle race', async () => {
    const userId = newUserId();
    await wallet.ledger.credit({ userId, amountSats: 20_000n, reference: ref('credit'), description: 'Gift card' });
    const holds = await Promise.all(
      Array.from({ length: 10 }, (_, i) => wallet.ledger.hold({ userId, amountSats: 2_000n, reference: ref(`hold-${i}`), description: 'W' })),
    );
    const results = await settled(
      holds.flatMap((hold) => [
        wallet.ledger.release({ userId, holdReference: hold.reference, reference: ref('release'), description: 'Failed' }),
        wallet.ledger.settle({ userId, holdReference: hold.reference, reference: ref('settle'), description: 'Sent' }),
      ]),
    );
    const released = results.filter((result, i) => result.status === 'fulfilled' && i % 2 === 0).length;
    const rejections = rejectionsOf(results);
    expect(rejections).toHaveLength(10);
    for (const reason of rejections) expect(reason).toMatchObject({ name: 'HoldClosedError' });
    expect(await wallet.ledger.balance(userId)).toMatchObject({ availableSats: BigInt(released) * 2_000n, heldSats: 0n });
    expect((await wallet.ops.verifyLedger()).ok).toBe(true);
  });

  it('never closes more of a hold than it holds when partial settles race', async () => {
    const userId = newUserId();
    await wallet.ledger.credit({ userId, amountSats: 10_000n, reference: ref('credit'), description: 'Gift card' });
    const hold = await wallet.ledger.hold({ userId, amountSats: 10_000n, reference: ref('hold'), description: 'W' });
    const results = await settled(
      Array.from({ length: 12 }, () => wallet.ledger.settle({ userId, holdReference: hold.reference, amountSats: 3_000n, reference: ref('settle'), description: 'part' })),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(3);
    for (const reason of rejectionsOf(results)) expect(reason).toMatchObject({ name: 'HoldExceededError', remainingSats: 1_000n });
    await wallet.ledger.release({ userId, holdReference: hold.reference, reference: ref('release'), description: 'rest' });
    expect(await wallet.ledger.balance(userId)).toMatchObject({ availableSats: 1_000n, heldSats: 0n });
    expect((await wallet.ops.verifyLedger()).ok).toBe(true);
  });

  it('does not deadlock when concurrent movements lock the same accounts from opposite sides', async () => {
    const users = Array.from({ length: 4 }, newUserId);
    await Promise.all(users.map((userId) => wallet.ledger.credit({ userId, amountSats: 1_000_000n, reference: ref('seed'), description: 'Seed' })));
    const open = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        wallet.ledger.hold({ userId: users[i % users.length] as string, amountSats: 1_000n, reference: ref('hold'), description: 'h' }),
      ),
    );
    // hold: available → held; release: held → available; credit and debit share the house accounts.
    const results = await settled(
      open.flatMap((hold, i) => {
        const userId = users[i % users.length] as string;
        return [
          wallet.ledger.release({ userId, holdReference: hold.reference, reference: ref('release'), description: 'r' }),
          wallet.ledger.hold({ userId, amountSats: 500n, reference: ref('hold'), description: 'h' }),
          i % 2 === 0
            ? wallet.ledger.credit({ userId, amountSats: 100n, reference: ref('credit'), description: 'c' })
            : wallet.ledger.debit({ userId, amountSats: 100n, reference: ref('debit'), description: 'd' }),
        ];
      }),
    );
    expect(rejectionsOf(results)).toEqual([]);
    expect((await wallet.ops.verifyLedger()).ok).toBe(true);
  });
});
