import { walletJournalPostedV1 } from '@bitro/service-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUserId, ref, startWalletTest, type WalletTest } from './wallet-test';

let wallet: WalletTest;

beforeAll(async () => {
  wallet = await startWalletTest();
});

afterAll(async () => {
  await wallet?.close();
});

const announced = async (journalId: string) =>
  (await wallet.mod.events(walletJournalPostedV1)).map((event) => event.payload).filter((payload) => payload.journalId === journalId);
const announcedCount = async () => (await wallet.mod.events(walletJournalPostedV1)).length;

describe('wallet.journal-posted.v1', () => {
  it('announces every new journal with its postings, once: a replay of its reference announces nothing', async () => {
    const userId = newUserId();
    const reference = ref('credit');
    const credit = await wallet.ledger.credit({ userId, amountSats: 7_000n, reference, description: 'Gift card' });
    await wallet.ledger.credit({ userId, amountSats: 7_000n, reference, description: 'Gift card' });
    expect(await announced(credit.journalId)).toEqual([
      {
        journalId: credit.journalId,
        kind: 'credit',
        userId,
        amountSats: '7000',
        reference,
        description: 'Gift card',
        holdReference: null,
        postings: [
          { account: 'house:giftcard_liability', amountSats: '-7000' },
          { account: `user:${userId}:available`, amountSats: '7000' },
        ],
        createdAt: credit.createdAt,
      },
    ]);

    const holdReference = ref('hold');
    await wallet.ledger.hold({ userId, amountSats: 3_000n, reference: holdReference, description: 'Withdrawal' });
    const settle = await wallet.ledger.settle({ userId, holdReference, amountSats: 2_000n, reference: ref('settle'), description: 'Sent' });
    expect(await announced(settle.journalId)).toEqual([
      expect.objectContaining({ kind: 'settle', amountSats: '2000', holdReference, postings: expect.arrayContaining([{ account: 'house:hot_wallet', amountSats: '2000' }]) }),
    ]);
  });

  it('announces nothing for a posting that fails (the transaction rolls back)', async () => {
    const userId = newUserId();
    const before = await announcedCount();
    await expect(wallet.ledger.debit({ userId, amountSats: 1n, reference: ref('debit'), description: 'Fee' })).rejects.toThrow(/Insufficient/);
    const after = await announcedCount();
    expect(after).toBe(before);
  });

  it('announces existing journals again with the payload of their first announcement (audit:backfill)', async () => {
    const userId = newUserId();
    const since = new Date(Date.now() - 1_000);
    const credit = await wallet.ledger.credit({ userId, amountSats: 9_000n, reference: ref('credit'), description: 'Gift card' });
    const holdReference = ref('hold');
    const hold = await wallet.ledger.hold({ userId, amountSats: 4_000n, reference: holdReference, description: 'Withdrawal' });
    const release = await wallet.ledger.release({ userId, holdReference, reference: ref('release'), description: 'Failed' });
    const mine = [credit, hold, release].map((entry) => entry.journalId);
    const first = await Promise.all(mine.map(announced));
    expect(first.map((payloads) => payloads.length)).toEqual([1, 1, 1]);

    const { journals } = await wallet.ops.announceJournals({ since });
    expect(journals).toBeGreaterThanOrEqual(3);
    for (const [index, journalId] of mine.entries()) expect(await announced(journalId)).toEqual([first[index][0], first[index][0]]);

    // Journals before `since` are left alone.
    const { journals: none } = await wallet.ops.announceJournals({ since: new Date(Date.now() + 60_000) });
    expect(none).toBe(0);
  });
});
