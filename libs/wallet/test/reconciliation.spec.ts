import { randomBytes, randomUUID } from 'node:crypto';
import { depositConfirmedV1, depositReversedV1, withdrawalBroadcastV1, withdrawalConfirmedV1, withdrawalFailedV1 } from '@bitro/gateway-contract';
import { newEvent } from '@bitro/messaging';
import { type DriftList, WALLET_RECONCILIATION_API, type WalletReconciliationApi } from '@bitro/service-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeAddress } from './fake-gateway-server';
import { ref, startWalletTest, type WalletTest } from './wallet-test';

let wallet: WalletTest;
let reconciliation: WalletReconciliationApi;

beforeAll(async () => {
  wallet = await startWalletTest({ http: true });
  reconciliation = wallet.mod.get(WALLET_RECONCILIATION_API);
});

afterAll(async () => {
  await wallet?.close();
});

const everything = { since: null, limit: 100 };
const reasonOf = (list: DriftList, id: string) => list.items.find((item) => item.id === id)?.reason;
const idsOf = (list: DriftList) => list.items.map((item) => item.id);
const txid = () => randomBytes(32).toString('hex');
const sql = (text: string, values: unknown[]) => wallet.mod.pool.query(text, values);

describe('withdrawal drift', () => {
  /** A user with 1,000,000 sats who asked to withdraw 100,000 with a max fee of 3,000 (103,000 held). */
  async function requested(): Promise<{ id: string; userId: string }> {
    const { userId, token } = wallet.signIn();
    await wallet.ledger.credit({ userId, amountSats: 1_000_000n, reference: ref('credit'), description: 'Gift card' });
    const answer = await wallet.mod.request<{ id: string }>('POST', '/v1/wallet/withdrawals', {
      token,
      body: { address: fakeAddress('payee'), amountSats: '100000', maxFeeSats: '3000' },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(answer.status).toBe(202);
    return { id: answer.body.id, userId };
  }
  const broadcast = (w: { id: string; userId: string }, tx: string) => newEvent(withdrawalBroadcastV1, { withdrawalId: w.id, userId: w.userId, txid: tx, vout: 0, feeSats: '1200' });
  const confirmed = (w: { id: string; userId: string }, tx: string) =>
    newEvent(withdrawalConfirmedV1, { withdrawalId: w.id, userId: w.userId, txid: tx, vout: 0, feeSats: '1200', confirmations: 1, blockHash: txid(), blockHeight: 300 });
  const failed = (w: { id: string; userId: string }) => newEvent(withdrawalFailedV1, { withdrawalId: w.id, userId: w.userId, reason: 'insufficient-funds', detail: 'short' });

  it('finds nothing on the normal flows: requested, broadcast, confirmed (settled + rest released), failed (released)', async () => {
    const open = await requested();
    const sent = await requested();
    await wallet.mod.deliver(broadcast(sent, txid()));
    const paid = await requested();
    const tx = txid();
    await wallet.mod.deliver(broadcast(paid, tx));
    await wallet.mod.deliver(confirmed(paid, tx));
    const refused = await requested();
    await wallet.mod.deliver(failed(refused));

    const found = await reconciliation.withdrawalDrift(everything);
    for (const w of [open, sent, paid, refused]) expect(reasonOf(found, w.id)).toBeUndefined();
  });

  it('names a broadcast withdrawal whose hold was released, a confirmed one never settled, a failed one never released', async () => {
    const released = await requested();
    await wallet.mod.deliver(broadcast(released, txid()));
    await wallet.ledger.release({ userId: released.userId, holdReference: `withdrawal:${released.id}:hold`, reference: `withdrawal:${released.id}:release`, description: 'by hand' });

    const unsettled = await requested();
    await sql(`UPDATE "wallet"."withdrawals" SET status = 'confirmed', fee_sats = 1200 WHERE id = $1`, [unsettled.id]);

    const unreleased = await requested();
    await sql(`UPDATE "wallet"."withdrawals" SET status = 'failed' WHERE id = $1`, [unreleased.id]);

    const wrongHold = await requested();
    await sql(`UPDATE "wallet"."withdrawals" SET max_fee_sats = 5000 WHERE id = $1`, [wrongHold.id]);

    const found = await reconciliation.withdrawalDrift(everything);
    expect(reasonOf(found, released.id)).toBe('broadcast but its hold is released (should stay open)');
    expect(reasonOf(found, unsettled.id)).toBe('confirmed but not settled');
    expect(reasonOf(found, unreleased.id)).toBe('failed: released 0 sats of its hold of 103000');
    expect(reasonOf(found, wrongHold.id)).toBe('hold of 103000 sats, expected amount + maxFee = 105000');
    expect(found.count).toBe(4);
  });

  it('checks settled withdrawals only in the window, open ones always', async () => {
    const unreleased = await requested();
    const released = await requested();
    await sql(`UPDATE "wallet"."withdrawals" SET status = 'failed', updated_at = now() - interval '3 days' WHERE id = $1`, [unreleased.id]);
    await wallet.ledger.release({ userId: released.userId, holdReference: `withdrawal:${released.id}:hold`, reference: `withdrawal:${released.id}:release`, description: 'by hand' });
    await sql(`UPDATE "wallet"."withdrawals" SET updated_at = now() - interval '3 days' WHERE id = $1`, [released.id]);

    const lastDay = await reconciliation.withdrawalDrift({ since: new Date(Date.now() - 86_400_000), limit: 100 });
    expect(idsOf(lastDay)).toContain(released.id);
    expect(idsOf(lastDay)).not.toContain(unreleased.id);
    expect(idsOf(await reconciliation.withdrawalDrift(everything))).toContain(unreleased.id);
  });

  it('lists at most `limit` but counts them all', async () => {
    const all = await reconciliation.withdrawalDrift(everything);
    const one = await reconciliation.withdrawalDrift({ since: null, limit: 1 });
    expect(one.items).toHaveLength(1);
    expect(one.count).toBe(all.count);
  });
});

describe('deposit drift', () => {
  const output = () => {
    const userId = randomUUID();
    return { userId, address: fakeAddress(userId), txid: txid(), vout: 0, amountSats: '250000' };
  };
  type Output = ReturnType<typeof output>;
  const confirmed = (o: Output, at: Date) => newEvent(depositConfirmedV1, { ...o, confirmations: 3, blockHash: txid(), blockHeight: 200 }, at);
  const reversed = (o: Output, at: Date) => newEvent(depositReversedV1, { ...o, reason: 'reorg' }, at);
  const idOf = async (o: Output) => (await sql('SELECT id::text FROM "wallet"."deposits" WHERE txid = $1 AND vout = $2', [o.txid, o.vout])).rows[0]?.id as string;
  const seconds = (n: number) => new Date(Date.UTC(2026, 11, 1, 0, 0, n));

  it('finds nothing for a confirmed deposit credited once, and a reversed one reversed once', async () => {
    const kept = output();
    await wallet.mod.deliver(confirmed(kept, seconds(1)));
    const gone = output();
    await wallet.mod.deliver(confirmed(gone, seconds(1)));
    await wallet.mod.deliver(reversed(gone, seconds(2)));
    const found = await reconciliation.depositDrift(everything);
    expect(reasonOf(found, await idOf(kept))).toBeUndefined();
    expect(reasonOf(found, await idOf(gone))).toBeUndefined();
  });

  it('names a confirmed deposit without its credit, one credited twice, and a reversed one never reversed', async () => {
    const uncredited = output();
    await sql(
      `INSERT INTO "wallet"."deposits" (id, user_id, txid, vout, address, amount_sats, status, credits, detected_at, confirmed_at, last_event_at, updated_at)
       VALUES (gen_random_uuid(), $1, $2, 0, $3, 250000, 'confirmed', 1, now(), now(), now(), now())`,
      [uncredited.userId, uncredited.txid, uncredited.address],
    );
    const twice = output();
    await wallet.mod.deliver(confirmed(twice, seconds(1)));
    await wallet.ledger.post({ kind: 'deposit', userId: twice.userId, amountSats: 250_000n, reference: `deposit:${twice.txid}:0:2`, description: 'again' });
    const unreversed = output();
    await wallet.mod.deliver(confirmed(unreversed, seconds(1)));
    await sql(`UPDATE "wallet"."deposits" SET status = 'reversed' WHERE txid = $1`, [unreversed.txid]);

    const found = await reconciliation.depositDrift(everything);
    expect(reasonOf(found, await idOf(uncredited))).toBe(`confirmed but its credit journal deposit:${uncredited.txid}:0:1 is missing`);
    expect(reasonOf(found, await idOf(twice))).toBe(`credited more often than recorded: deposit:${twice.txid}:0:2 exists with credits = 1`);
    expect(reasonOf(found, await idOf(unreversed))).toBe(`reversed after 1 credit(s) but not reversed: deposit-reversal:${unreversed.txid}:0:1 is missing`);
  });
});

describe('redemption credit journals', () => {
  it('pages the credits of redemptions posted in the window oldest first, and finds them by redemption id', async () => {
    const since = new Date(Date.now() - 1_000);
    const userId = randomUUID();
    const redemptionIds = [randomUUID(), randomUUID(), randomUUID()];
    for (const id of redemptionIds) await wallet.ledger.credit({ userId, amountSats: 6571n, reference: `redemption:${id}`, description: 'cultureland gift card redemption' });
    // Another credit (not a redemption) is no redemption credit.
    await wallet.ledger.credit({ userId, amountSats: 1n, reference: ref('bonus'), description: 'bonus' });

    const until = new Date(Date.now() + 60_000);
    const first = await reconciliation.redemptionCredits({ since, until, after: null, limit: 2 });
    const last = first.at(-1);
    const rest = last ? await reconciliation.redemptionCredits({ since, until, after: { at: last.createdAt, id: last.journalId }, limit: 2 }) : [];
    expect([...first, ...rest].map((credit) => credit.redemptionId)).toEqual(redemptionIds);
    expect(first[0]).toMatchObject({ userId, amountSats: 6571n });

    const found = await reconciliation.findRedemptionCredits([redemptionIds[1] ?? '', randomUUID()]);
    expect(found).toEqual([expect.objectContaining({ redemptionId: redemptionIds[1], userId, amountSats: 6571n })]);
  });
});
