import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HoldExceededError, InsufficientFundsError, WalletReferenceConflictError } from '../src/features/ledger/ledger.errors';
import { newUserId, ref, startWalletTest, type WalletTest } from './wallet-test';

let wallet: WalletTest;

beforeAll(async () => {
  wallet = await startWalletTest();
});

afterAll(async () => {
  await wallet?.close();
});

const houseBalances = async () => {
  const { rows } = await wallet.mod.pool.query<{ code: string; balance: string }>(`SELECT code, balance::text FROM "wallet"."accounts" WHERE user_id IS NULL`);
  return Object.fromEntries(rows.map((row) => [row.code, BigInt(row.balance)]));
};
const journalCount = async () => Number((await wallet.mod.pool.query(`SELECT count(*)::int AS n FROM "wallet"."journals"`)).rows[0].n);

describe('movements', () => {
  it('credit, debit, hold, release, settle, deposit and its reversal move the right accounts', async () => {
    const userId = newUserId();
    const { ledger } = wallet;
    const before = await houseBalances();
    const house = async () => {
      const now = await houseBalances();
      return Object.fromEntries(Object.entries(now).map(([code, balance]) => [code, balance - (before[code] ?? 0n)]));
    };

    const credit = await ledger.credit({ userId, amountSats: 100_000n, reference: ref('credit'), description: 'Gift card' });
    expect(credit).toMatchObject({ kind: 'credit', description: 'Gift card', availableDeltaSats: 100_000n, heldDeltaSats: 0n });
    expect(credit.journalId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await ledger.balance(userId)).toEqual({ userId, availableSats: 100_000n, heldSats: 0n });
    expect(await house()).toEqual({ 'house:giftcard_liability': -100_000n, 'house:fees': 0n, 'house:hot_wallet': 0n });

    const debit = await ledger.debit({ userId, amountSats: 1_500n, reference: ref('fee'), description: 'Fee' });
    expect(debit).toMatchObject({ kind: 'debit', availableDeltaSats: -1_500n, heldDeltaSats: 0n });
    expect(await ledger.balance(userId)).toMatchObject({ availableSats: 98_500n, heldSats: 0n });
    expect(await house()).toMatchObject({ 'house:fees': 1_500n });

    const holdA = ref('hold');
    const holdB = ref('hold');
    expect(await ledger.hold({ userId, amountSats: 30_000n, reference: holdA, description: 'Withdrawal A' })).toMatchObject({
      kind: 'hold',
      availableDeltaSats: -30_000n,
      heldDeltaSats: 30_000n,
    });
    await ledger.hold({ userId, amountSats: 20_000n, reference: holdB, description: 'Withdrawal B' });
    expect(await ledger.balance(userId)).toMatchObject({ availableSats: 48_500n, heldSats: 50_000n });

    const release = await ledger.release({ userId, holdReference: holdA, reference: ref('release'), description: 'A failed' });
    expect(release).toMatchObject({ kind: 'release', availableDeltaSats: 30_000n, heldDeltaSats: -30_000n });
    expect(await ledger.balance(userId)).toMatchObject({ availableSats: 78_500n, heldSats: 20_000n });

    const settle = await ledger.settle({ userId, holdReference: holdB, reference: ref('settle'), description: 'B sent' });
    expect(settle).toMatchObject({ kind: 'settle', availableDeltaSats: 0n, heldDeltaSats: -20_000n });
    expect(await ledger.balance(userId)).toMatchObject({ availableSats: 78_500n, heldSats: 0n });
    expect(await house()).toEqual({ 'house:giftcard_liability': -100_000n, 'house:fees': 1_500n, 'house:hot_wallet': 20_000n });

    const deposit = await ledger.post({ kind: 'deposit', userId, amountSats: 40_000n, reference: ref('deposit'), description: 'Bitcoin deposit' });
    expect(deposit).toMatchObject({ kind: 'deposit', availableDeltaSats: 40_000n, heldDeltaSats: 0n });
    const reversal = await ledger.post({ kind: 'deposit_reversal', userId, amountSats: 15_000n, reference: ref('reversal'), description: 'Deposit reversed' });
    expect(reversal).toMatchObject({ kind: 'deposit_reversal', availableDeltaSats: -15_000n, heldDeltaSats: 0n });
    expect(await ledger.balance(userId)).toMatchObject({ availableSats: 103_500n, heldSats: 0n });
    expect(await house()).toEqual({ 'house:giftcard_liability': -100_000n, 'house:fees': 1_500n, 'house:hot_wallet': -5_000n });
    await expect(ledger.post({ kind: 'deposit_reversal', userId, amountSats: 103_501n, reference: ref('reversal'), description: 'x' })).rejects.toBeInstanceOf(
      InsufficientFundsError,
    );

    expect((await wallet.ops.verifyLedger()).ok).toBe(true);
  });

  it('refuses an over-debit or over-hold with InsufficientFundsError and writes nothing', async () => {
    const userId = newUserId();
    await wallet.ledger.credit({ userId, amountSats: 10_000n, reference: ref('credit'), description: 'Gift card' });
    const journals = await journalCount();
    const house = await houseBalances();

    const reference = ref('debit');
    const error = await wallet.ledger.debit({ userId, amountSats: 10_001n, reference, description: 'Too much' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InsufficientFundsError);
    expect(error).toMatchObject({ userId, requestedSats: 10_001n });
    await expect(wallet.ledger.hold({ userId, amountSats: 10_001n, reference: ref('hold'), description: 'Too much' })).rejects.toBeInstanceOf(
      InsufficientFundsError,
    );
    // A user without accounts yet cannot spend either, and gets no accounts from trying.
    const stranger = newUserId();
    await expect(wallet.ledger.debit({ userId: stranger, amountSats: 1n, reference: ref('debit'), description: 'x' })).rejects.toBeInstanceOf(
      InsufficientFundsError,
    );

    expect(await journalCount()).toBe(journals);
    expect(await houseBalances()).toEqual(house);
    expect(await wallet.ledger.balance(userId)).toMatchObject({ availableSats: 10_000n, heldSats: 0n });
    const accounts = await wallet.mod.pool.query(`SELECT 1 FROM "wallet"."accounts" WHERE user_id = $1`, [stranger]);
    expect(accounts.rowCount).toBe(0);
    // The refused reference is still free.
    await expect(wallet.ledger.debit({ userId, amountSats: 10_000n, reference, description: 'All of it' })).resolves.toMatchObject({
      availableDeltaSats: -10_000n,
    });
  });

  it('releases or settles a hold once, only for its own user', async () => {
    const userId = newUserId();
    const other = newUserId();
    await wallet.ledger.credit({ userId, amountSats: 5_000n, reference: ref('credit'), description: 'Gift card' });
    const hold = ref('hold');
    await wallet.ledger.hold({ userId, amountSats: 5_000n, reference: hold, description: 'Withdrawal' });

    await expect(wallet.ledger.release({ userId: other, holdReference: hold, reference: ref('release'), description: 'x' })).rejects.toMatchObject({
      name: 'HoldNotFoundError',
    });
    await expect(wallet.ledger.release({ userId, holdReference: ref('nothing'), reference: ref('release'), description: 'x' })).rejects.toMatchObject({
      name: 'HoldNotFoundError',
    });
    const notAHold = ref('credit');
    await wallet.ledger.credit({ userId, amountSats: 1n, reference: notAHold, description: 'x' });
    await expect(wallet.ledger.settle({ userId, holdReference: notAHold, reference: ref('settle'), description: 'x' })).rejects.toMatchObject({
      name: 'HoldNotFoundError',
    });

    const settle = ref('settle');
    await wallet.ledger.settle({ userId, holdReference: hold, reference: settle, description: 'Sent' });
    await expect(wallet.ledger.release({ userId, holdReference: hold, reference: ref('release'), description: 'x' })).rejects.toMatchObject({
      name: 'HoldClosedError',
      closedBy: settle,
    });
    expect(await wallet.ledger.balance(userId)).toMatchObject({ availableSats: 1n, heldSats: 0n });
  });

  it('settles part of a hold and releases the rest, never more than it holds', async () => {
    const userId = newUserId();
    await wallet.ledger.credit({ userId, amountSats: 10_000n, reference: ref('credit'), description: 'Gift card' });
    const hold = ref('hold');
    await wallet.ledger.hold({ userId, amountSats: 6_000n, reference: hold, description: 'Withdrawal + max fee' });

    const tooMuch = await wallet.ledger.settle({ userId, holdReference: hold, amountSats: 6_001n, reference: ref('settle'), description: 'x' }).catch((e: unknown) => e);
    expect(tooMuch).toBeInstanceOf(HoldExceededError);
    expect(tooMuch).toMatchObject({ holdReference: hold, remainingSats: 6_000n, requestedSats: 6_001n });

    const settle = { userId, holdReference: hold, amountSats: 5_200n, reference: ref('settle'), description: 'Amount + fee' };
    const settled = await wallet.ledger.settle(settle);
    expect(settled).toMatchObject({ kind: 'settle', availableDeltaSats: 0n, heldDeltaSats: -5_200n });
    expect(await wallet.ledger.settle({ ...settle })).toEqual(settled);
    await expect(wallet.ledger.settle({ ...settle, amountSats: 5_201n })).rejects.toBeInstanceOf(WalletReferenceConflictError);
    expect(await wallet.ledger.balance(userId)).toMatchObject({ availableSats: 4_000n, heldSats: 800n });

    const release = { userId, holdReference: hold, reference: ref('release'), description: 'Unused fee' };
    expect(await wallet.ledger.release(release)).toMatchObject({ kind: 'release', availableDeltaSats: 800n, heldDeltaSats: -800n });
    expect(await wallet.ledger.balance(userId)).toMatchObject({ availableSats: 4_800n, heldSats: 0n });
    await expect(wallet.ledger.release({ ...release, reference: ref('release') })).rejects.toMatchObject({ name: 'HoldClosedError', closedBy: release.reference });
    expect((await wallet.ops.verifyLedger()).ok).toBe(true);
  });

  it('rejects input it can never post', async () => {
    const userId = newUserId();
    for (const amountSats of [0n, -5n]) {
      await expect(wallet.ledger.credit({ userId, amountSats, reference: ref('credit'), description: 'x' })).rejects.toMatchObject({
        name: 'WalletInputError',
      });
    }
    await expect(wallet.ledger.credit({ userId: 'not-a-uuid', amountSats: 1n, reference: ref('credit'), description: 'x' })).rejects.toMatchObject({
      name: 'WalletInputError',
    });
    await expect(wallet.ledger.credit({ userId, amountSats: 1n, reference: '', description: 'x' })).rejects.toMatchObject({ name: 'WalletInputError' });
    await expect(wallet.ledger.balance('nope')).rejects.toMatchObject({ name: 'WalletInputError' });
  });
});

describe('idempotency by reference', () => {
  it('posts a reference once and returns the first posting on a repeat', async () => {
    const userId = newUserId();
    const input = { userId, amountSats: 7_000n, reference: ref('redemption'), description: 'Gift card' };
    const first = await wallet.ledger.credit(input);
    const journals = await journalCount();
    const again = await wallet.ledger.credit({ ...input });
    expect(again).toEqual(first);
    expect(await journalCount()).toBe(journals);
    expect(await wallet.ledger.balance(userId)).toMatchObject({ availableSats: 7_000n });

    const hold = ref('hold');
    await wallet.ledger.hold({ userId, amountSats: 2_000n, reference: hold, description: 'W' });
    const closing = { userId, holdReference: hold, reference: ref('release'), description: 'Failed' };
    const released = await wallet.ledger.release(closing);
    expect(await wallet.ledger.release(closing)).toEqual(released);
    expect(await wallet.ledger.balance(userId)).toMatchObject({ availableSats: 7_000n, heldSats: 0n });
  });

  it('refuses the same reference with other values', async () => {
    const userId = newUserId();
    const input = { userId, amountSats: 7_000n, reference: ref('redemption'), description: 'Gift card' };
    await wallet.ledger.credit(input);
    const journals = await journalCount();

    const conflicts = [
      () => wallet.ledger.credit({ ...input, amountSats: 7_001n }),
      () => wallet.ledger.credit({ ...input, userId: newUserId() }),
      () => wallet.ledger.credit({ ...input, description: 'Other' }),
      () => wallet.ledger.debit(input),
      () => wallet.ledger.release({ userId, holdReference: ref('hold'), reference: input.reference, description: input.description }),
    ];
    for (const attempt of conflicts) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WalletReferenceConflictError);
      expect(error).toMatchObject({ reference: input.reference });
    }
    expect(await journalCount()).toBe(journals);
    expect(await wallet.ledger.balance(userId)).toMatchObject({ availableSats: 7_000n });
  });
});
