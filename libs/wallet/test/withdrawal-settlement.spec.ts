import { newEvent } from '@bitro/messaging';
import { randomBytes, randomUUID } from 'node:crypto';
import { withdrawalBroadcastV1, withdrawalConfirmedV1, withdrawalFailedV1 } from '@bitro/gateway-contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeAddress } from './fake-gateway-server';
import { ref, startWalletTest, type WalletTest } from './wallet-test';

let wallet: WalletTest;

beforeAll(async () => {
  wallet = await startWalletTest({ http: true });
});

afterAll(async () => {
  await wallet?.close();
});

interface Requested {
  id: string;
  userId: string;
  token: string;
}

/** A user with 1,000,000 sats who asked to withdraw 100,000 with a max fee of 3,000 (103,000 held). */
async function requested(): Promise<Requested> {
  const { userId, token } = wallet.signIn();
  await wallet.ledger.credit({ userId, amountSats: 1_000_000n, reference: ref('credit'), description: 'Gift card' });
  const answer = await wallet.mod.request<{ id: string }>('POST', '/v1/wallet/withdrawals', {
    token,
    body: { address: fakeAddress('payee'), amountSats: '100000', maxFeeSats: '3000' },
    headers: { 'idempotency-key': randomUUID() },
  });
  expect(answer.status).toBe(202);
  return { id: answer.body.id, userId, token };
}

const txid = () => randomBytes(32).toString('hex');
const at = (seconds: number) => new Date(Date.UTC(2026, 10, 24, 12, 0, seconds));
const broadcast = (w: Requested, tx: string, feeSats: string, seconds: number) =>
  newEvent(withdrawalBroadcastV1, { withdrawalId: w.id, userId: w.userId, txid: tx, vout: 0, feeSats }, at(seconds));
const confirmed = (w: Requested, tx: string, feeSats: string, seconds: number) =>
  newEvent(withdrawalConfirmedV1, { withdrawalId: w.id, userId: w.userId, txid: tx, vout: 0, feeSats, confirmations: 1, blockHash: txid(), blockHeight: 300 }, at(seconds));
const failed = (w: Requested, seconds: number) =>
  newEvent(withdrawalFailedV1, { withdrawalId: w.id, userId: w.userId, reason: 'insufficient-funds', detail: 'hot wallet is short' }, at(seconds));

const view = async (w: Requested) => (await wallet.mod.request<Record<string, unknown>>('GET', `/v1/wallet/withdrawals/${w.id}`, { token: w.token })).body;
const journals = async (w: Requested) =>
  (
    await wallet.mod.pool.query<{ reference: string; kind: string; amount_sats: string }>(
      `SELECT reference, kind, amount_sats::text FROM "wallet"."journals" WHERE reference LIKE $1 ORDER BY created_at, reference`,
      [`withdrawal:${w.id}:%`],
    )
  ).rows;
const hotWallet = async () => BigInt((await wallet.mod.pool.query(`SELECT balance::text FROM "wallet"."accounts" WHERE code = 'house:hot_wallet'`)).rows[0].balance);

describe('withdrawal events', () => {
  it('follows a broadcast and its fee-bumping replacement, ignoring the superseded one arriving late', async () => {
    const w = await requested();
    const [first, bumped] = [txid(), txid()];
    await wallet.mod.deliver(broadcast(w, first, '1500', 10));
    expect(await view(w)).toMatchObject({ status: 'broadcast', txid: first, vout: 0, feeSats: '1500', broadcastAt: at(10).toISOString() });
    await wallet.mod.deliver(broadcast(w, bumped, '2500', 20));
    await wallet.mod.deliver(broadcast(w, first, '1500', 10));
    expect(await view(w)).toMatchObject({ status: 'broadcast', txid: bumped, feeSats: '2500', broadcastAt: at(20).toISOString() });
    // Broadcasts move no money: amount + max fee stay held.
    expect(await wallet.ledger.balance(w.userId)).toMatchObject({ availableSats: 897_000n, heldSats: 103_000n });
  });

  it('settles amount + actual fee at confirmation and releases the rest of the hold, once', async () => {
    const w = await requested();
    const tx = txid();
    const hotBefore = await hotWallet();
    await wallet.mod.deliver(broadcast(w, tx, '1200', 10));
    const confirmation = confirmed(w, tx, '1200', 20);
    await wallet.mod.deliver(confirmation);
    expect(await view(w)).toMatchObject({ status: 'confirmed', txid: tx, feeSats: '1200', confirmedAt: at(20).toISOString(), failureReason: null });
    expect(await journals(w)).toEqual([
      { reference: `withdrawal:${w.id}:hold`, kind: 'hold', amount_sats: '103000' },
      { reference: `withdrawal:${w.id}:settle`, kind: 'settle', amount_sats: '101200' },
      { reference: `withdrawal:${w.id}:release`, kind: 'release', amount_sats: '1800' },
    ]);
    expect(await wallet.ledger.balance(w.userId)).toMatchObject({ availableSats: 898_800n, heldSats: 0n });
    expect((await hotWallet()) - hotBefore).toBe(101_200n);

    // The same news again (redelivered, or under another id), and a broadcast arriving after it: nothing changes.
    expect(await wallet.mod.deliver(confirmation)).toBe(false);
    await wallet.mod.deliver(confirmed(w, tx, '1200', 21));
    await wallet.mod.deliver(broadcast(w, txid(), '2000', 30));
    expect(await journals(w)).toHaveLength(3);
    expect(await view(w)).toMatchObject({ status: 'confirmed', txid: tx, feeSats: '1200' });
    expect(await wallet.ledger.balance(w.userId)).toMatchObject({ availableSats: 898_800n, heldSats: 0n });
  });

  it('confirms a withdrawal whose broadcast never arrived, with no release when the fee used the whole reserve', async () => {
    const w = await requested();
    const tx = txid();
    await wallet.mod.deliver(confirmed(w, tx, '3000', 20));
    expect(await view(w)).toMatchObject({ status: 'confirmed', txid: tx, feeSats: '3000', broadcastAt: null });
    expect((await journals(w)).map((journal) => journal.kind)).toEqual(['hold', 'settle']);
    expect(await wallet.ledger.balance(w.userId)).toMatchObject({ availableSats: 897_000n, heldSats: 0n });
  });

  it('refuses to settle a fee above the max fee (the handler fails, nothing moves)', async () => {
    const w = await requested();
    await expect(wallet.mod.deliver(confirmed(w, txid(), '3001', 20))).rejects.toMatchObject({ name: 'HoldExceededError' });
    expect(await view(w)).toMatchObject({ status: 'requested' });
    expect(await wallet.ledger.balance(w.userId)).toMatchObject({ heldSats: 103_000n });
  });

  it('releases the whole hold when the withdrawal fails', async () => {
    const w = await requested();
    await wallet.mod.deliver(failed(w, 10));
    expect(await view(w)).toMatchObject({ status: 'failed', failureReason: 'insufficient-funds', failedAt: at(10).toISOString(), txid: null });
    expect(await journals(w)).toEqual([
      { reference: `withdrawal:${w.id}:hold`, kind: 'hold', amount_sats: '103000' },
      { reference: `withdrawal:${w.id}:release`, kind: 'release', amount_sats: '103000' },
    ]);
    expect(await wallet.ledger.balance(w.userId)).toMatchObject({ availableSats: 1_000_000n, heldSats: 0n });
    await wallet.mod.deliver(failed(w, 11));
    expect(await journals(w)).toHaveLength(2);
  });

  it('changes nothing when a broadcast or confirmed withdrawal is reported failed', async () => {
    const broadcastOne = await requested();
    const tx = txid();
    await wallet.mod.deliver(broadcast(broadcastOne, tx, '1500', 10));
    await wallet.mod.deliver(failed(broadcastOne, 20));
    expect(await view(broadcastOne)).toMatchObject({ status: 'broadcast', txid: tx, failureReason: null, failedAt: null });
    expect(await wallet.ledger.balance(broadcastOne.userId)).toMatchObject({ heldSats: 103_000n });

    const confirmedOne = await requested();
    await wallet.mod.deliver(confirmed(confirmedOne, tx, '1500', 10));
    await wallet.mod.deliver(failed(confirmedOne, 20));
    expect(await view(confirmedOne)).toMatchObject({ status: 'confirmed', failureReason: null });
    expect(await wallet.ledger.balance(confirmedOne.userId)).toMatchObject({ availableSats: 898_500n, heldSats: 0n });
  });

  it('refuses an event about a withdrawal that is not the user’s', async () => {
    const w = await requested();
    await expect(wallet.mod.deliver(broadcast({ ...w, userId: randomUUID() }, txid(), '1000', 10))).rejects.toThrow(/does not exist/);
    await expect(wallet.mod.deliver(failed({ ...w, id: randomUUID() }, 10))).rejects.toThrow(/does not exist/);
    expect(await view(w)).toMatchObject({ status: 'requested' });
  });

  it('leaves the ledger consistent', async () => {
    expect(await wallet.ops.verifyLedger()).toMatchObject({ ok: true, unbalancedJournals: [], balanceMismatches: [], negativeUserAccounts: [] });
  });
});
