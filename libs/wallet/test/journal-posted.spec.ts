import { walletJournalPostedV1 } from '@bitro/service-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUserId, ref, startWallet, type WalletTestContext } from './wallet-test-context';

let context: WalletTestContext;

beforeAll(async () => {
  context = await startWallet();
});

afterAll(async () => {
  await context?.close();
});

const announced = async (journalId: string) =>
  (await context.pool.query<{ payload: unknown }>(`SELECT payload FROM "messaging"."outbox" WHERE name = $1 AND payload->>'journalId' = $2`, [walletJournalPostedV1.name, journalId])).rows.map(
    (row) => row.payload,
  );

describe('wallet.journal-posted.v1', () => {
  it('announces every new journal with its postings, once: a replay of its reference announces nothing', async () => {
    const userId = newUserId();
    const reference = ref('credit');
    const credit = await context.wallet.credit({ userId, amountSats: 7_000n, reference, description: 'Gift card' });
    await context.wallet.credit({ userId, amountSats: 7_000n, reference, description: 'Gift card' });
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
    await context.wallet.hold({ userId, amountSats: 3_000n, reference: holdReference, description: 'Withdrawal' });
    const settle = await context.wallet.settle({ userId, holdReference, amountSats: 2_000n, reference: ref('settle'), description: 'Sent' });
    expect(await announced(settle.journalId)).toEqual([
      expect.objectContaining({ kind: 'settle', amountSats: '2000', holdReference, postings: expect.arrayContaining([{ account: 'house:hot_wallet', amountSats: '2000' }]) }),
    ]);
  });

  it('announces nothing for a posting that fails (the transaction rolls back)', async () => {
    const userId = newUserId();
    const before = Number((await context.pool.query(`SELECT count(*)::int AS n FROM "messaging"."outbox" WHERE name = $1`, [walletJournalPostedV1.name])).rows[0].n);
    await expect(context.wallet.debit({ userId, amountSats: 1n, reference: ref('debit'), description: 'Fee' })).rejects.toThrow(/Insufficient/);
    const after = Number((await context.pool.query(`SELECT count(*)::int AS n FROM "messaging"."outbox" WHERE name = $1`, [walletJournalPostedV1.name])).rows[0].n);
    expect(after).toBe(before);
  });

  it('announces existing journals again with the payload of their first announcement (audit:backfill)', async () => {
    const userId = newUserId();
    const since = new Date(Date.now() - 1_000);
    const credit = await context.wallet.credit({ userId, amountSats: 9_000n, reference: ref('credit'), description: 'Gift card' });
    const holdReference = ref('hold');
    const hold = await context.wallet.hold({ userId, amountSats: 4_000n, reference: holdReference, description: 'Withdrawal' });
    const release = await context.wallet.release({ userId, holdReference, reference: ref('release'), description: 'Failed' });
    const mine = [credit, hold, release].map((entry) => entry.journalId);
    const first = await Promise.all(mine.map(announced));
    expect(first.map((payloads) => payloads.length)).toEqual([1, 1, 1]);

    const { journals } = await context.ops.announceJournals({ since });
    expect(journals).toBeGreaterThanOrEqual(3);
    for (const [index, journalId] of mine.entries()) expect(await announced(journalId)).toEqual([first[index][0], first[index][0]]);

    // Journals before `since` are left alone.
    const { journals: none } = await context.ops.announceJournals({ since: new Date(Date.now() + 60_000) });
    expect(none).toBe(0);
  });
});
