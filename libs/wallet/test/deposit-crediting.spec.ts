import { randomBytes } from 'node:crypto';
import { depositConfirmedV1, depositDetectedV1, depositReversedV1 } from '@bitro/gateway-contract';
import { Outbox, pgTransaction, newEvent } from '@bitro/messaging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeAddress } from './fake-gateway-server';
import { newUserId, ref, startWalletTest, type WalletTest } from './wallet-test';

let wallet: WalletTest;

beforeAll(async () => {
  // Workers on: one test goes through the outbox, the relay and the wallet's queue as the gateway's events will.
  wallet = await startWalletTest({ env: { BITRO_ROLES: 'http,worker,scheduler', OUTBOX_RELAY_INTERVAL_MS: '50', EVENT_BACKOFF_MS: '100' } });
});

afterAll(async () => {
  await wallet?.close();
});

interface Output {
  userId: string;
  address: string;
  txid: string;
  vout: number;
  amountSats: string;
}

const newOutput = (amountSats = '250000'): Output => {
  const userId = newUserId();
  return { userId, address: fakeAddress(userId), txid: randomBytes(32).toString('hex'), vout: 1, amountSats };
};
const block = (height: number) => ({ blockHash: randomBytes(32).toString('hex'), blockHeight: height });
/** Gateway time: `seconds` after a fixed instant, so tests can order events as the gateway emitted them. */
const at = (seconds: number) => new Date(Date.UTC(2026, 10, 24, 12, 0, seconds));

const detected = (output: Output, seconds: number) => newEvent(depositDetectedV1, { ...output, confirmations: 0, blockHash: null, blockHeight: null }, at(seconds));
const confirmed = (output: Output, seconds: number, height = 120) => newEvent(depositConfirmedV1, { ...output, confirmations: 3, ...block(height) }, at(seconds));
const reversed = (output: Output, seconds: number) => newEvent(depositReversedV1, { ...output, reason: 'reorg' }, at(seconds));

interface DepositRow {
  status: string;
  credits: number;
  shortfall_sats: string;
  confirmations: number;
  block_height: number | null;
  confirmed_at: Date | null;
  reversed_at: Date | null;
}

const rowOf = async (output: Output): Promise<DepositRow | undefined> =>
  (
    await wallet.mod.pool.query<DepositRow>(
      `SELECT status, credits, shortfall_sats::text, confirmations, block_height, confirmed_at, reversed_at FROM "wallet"."deposits" WHERE txid = $1 AND vout = $2`,
      [output.txid, output.vout],
    )
  ).rows[0];

const journalsOf = async (output: Output) =>
  (
    await wallet.mod.pool.query<{ reference: string; kind: string; amount_sats: string }>(
      `SELECT reference, kind, amount_sats::text FROM "wallet"."journals" WHERE reference LIKE $1 ORDER BY created_at, reference`,
      [`%${output.txid}:${output.vout}%`],
    )
  ).rows;

const available = async (userId: string) => (await wallet.ledger.balance(userId)).availableSats;

describe('deposit events', () => {
  it('records a detected deposit without moving money, then credits it once confirmed', async () => {
    const output = newOutput();
    await wallet.mod.deliver(detected(output, 0));
    expect(await rowOf(output)).toMatchObject({ status: 'detected', credits: 0, confirmations: 0, block_height: null });
    expect(await available(output.userId)).toBe(0n);

    await wallet.mod.deliver(confirmed(output, 10, 130));
    expect(await rowOf(output)).toMatchObject({ status: 'confirmed', credits: 1, confirmations: 3, block_height: 130, confirmed_at: at(10) });
    expect(await journalsOf(output)).toEqual([{ reference: `deposit:${output.txid}:1:1`, kind: 'deposit', amount_sats: '250000' }]);
    expect(await wallet.ledger.balance(output.userId)).toMatchObject({ availableSats: 250_000n, heldSats: 0n });
    const [entry] = (await wallet.ledger.history(output.userId)).items;
    expect(entry).toMatchObject({ kind: 'deposit', availableDeltaSats: 250_000n, description: `Bitcoin deposit ${output.txid}:1` });
  });

  it('credits once when the confirmation arrives twice, concurrently, or redelivered', async () => {
    const output = newOutput();
    const first = confirmed(output, 10);
    // The same news under other event ids (a gateway retry), all at once.
    const handled = await Promise.all([first, confirmed(output, 10), confirmed(output, 11), confirmed(output, 12)].map((event) => wallet.mod.deliver(event)));
    expect(handled).toEqual([true, true, true, true]);
    expect(await wallet.mod.deliver(first)).toBe(false);
    expect(await rowOf(output)).toMatchObject({ status: 'confirmed', credits: 1 });
    expect(await journalsOf(output)).toHaveLength(1);
    expect(await available(output.userId)).toBe(250_000n);
  });

  it('keeps a credited deposit credited when its detection arrives late', async () => {
    const output = newOutput();
    await wallet.mod.deliver(confirmed(output, 10));
    await wallet.mod.deliver(detected(output, 0));
    // A detection that is newer than the confirmation cannot uncredit it either.
    await wallet.mod.deliver(detected(output, 20));
    expect(await rowOf(output)).toMatchObject({ status: 'confirmed', credits: 1, confirmations: 3 });
    expect(await available(output.userId)).toBe(250_000n);
  });

  it('reverses a credited deposit that left the chain', async () => {
    const output = newOutput();
    await wallet.mod.deliver(confirmed(output, 10));
    await wallet.mod.deliver(reversed(output, 20));
    expect(await rowOf(output)).toMatchObject({ status: 'reversed', credits: 1, shortfall_sats: '0', confirmations: 0, block_height: null, reversed_at: at(20) });
    expect(await journalsOf(output)).toEqual([
      { reference: `deposit:${output.txid}:1:1`, kind: 'deposit', amount_sats: '250000' },
      { reference: `deposit-reversal:${output.txid}:1:1`, kind: 'deposit_reversal', amount_sats: '250000' },
    ]);
    expect(await available(output.userId)).toBe(0n);
    // A reversal of a deposit that was never credited moves nothing.
    const unconfirmed = newOutput();
    await wallet.mod.deliver(detected(unconfirmed, 0));
    await wallet.mod.deliver(reversed(unconfirmed, 5));
    expect(await rowOf(unconfirmed)).toMatchObject({ status: 'reversed', credits: 0 });
    expect(await journalsOf(unconfirmed)).toEqual([]);
  });

  it('reverses only what is available and records the shortfall; a re-mined deposit is credited again, less it', async () => {
    const output = newOutput('100000');
    await wallet.mod.deliver(confirmed(output, 10));
    // The user has put 70,000 of it on hold (a withdrawal) before the reorg.
    await wallet.ledger.hold({ userId: output.userId, amountSats: 70_000n, reference: ref('withdrawal'), description: 'Withdrawal' });

    await wallet.mod.deliver(reversed(output, 20));
    expect(await rowOf(output)).toMatchObject({ status: 'reversed', shortfall_sats: '70000' });
    expect(await wallet.ledger.balance(output.userId)).toMatchObject({ availableSats: 0n, heldSats: 70_000n });
    expect((await journalsOf(output)).at(-1)).toEqual({ reference: `deposit-reversal:${output.txid}:1:1`, kind: 'deposit_reversal', amount_sats: '30000' });

    // Mined again: the user gets back what was taken back, and owes nothing any more.
    await wallet.mod.deliver(confirmed(output, 30));
    expect(await rowOf(output)).toMatchObject({ status: 'confirmed', credits: 2, shortfall_sats: '0' });
    expect((await journalsOf(output)).at(-1)).toEqual({ reference: `deposit:${output.txid}:1:2`, kind: 'deposit', amount_sats: '30000' });
    expect(await wallet.ledger.balance(output.userId)).toMatchObject({ availableSats: 30_000n, heldSats: 70_000n });
    expect((await wallet.ops.verifyLedger()).ok).toBe(true);
  });

  it('credits a deposit again each time it is confirmed after a reversal', async () => {
    const output = newOutput();
    for (const [i, seconds] of [10, 30, 50].entries()) {
      await wallet.mod.deliver(confirmed(output, seconds));
      expect(await available(output.userId)).toBe(250_000n);
      await wallet.mod.deliver(reversed(output, seconds + 10));
      expect(await rowOf(output)).toMatchObject({ status: 'reversed', credits: i + 1 });
      expect(await available(output.userId)).toBe(0n);
    }
    await wallet.mod.deliver(confirmed(output, 70));
    expect(await rowOf(output)).toMatchObject({ status: 'confirmed', credits: 4 });
    expect(await journalsOf(output)).toHaveLength(7);
    expect(await available(output.userId)).toBe(250_000n);
  });

  it('ends in the state of the newest event whatever order the events are handled in', async () => {
    // Confirmed, reorged away, re-mined: handled as confirmed, re-mined, then the stale reversal.
    const output = newOutput();
    const events = [confirmed(output, 10), reversed(output, 20), confirmed(output, 30, 131)];
    await wallet.mod.deliver(events[0]);
    await wallet.mod.deliver(events[2]);
    await wallet.mod.deliver(events[1]);
    expect(await rowOf(output)).toMatchObject({ status: 'confirmed', credits: 1, block_height: 131 });
    expect(await available(output.userId)).toBe(250_000n);

    // All at once, several copies of each: however they interleave, the newest (re-mined) wins, credited once net.
    const racing = newOutput();
    const burst = [0, 1, 2].flatMap(() => [detected(racing, 0), confirmed(racing, 10), reversed(racing, 20), confirmed(racing, 30)]);
    await Promise.all(burst.sort(() => Math.random() - 0.5).map((event) => wallet.mod.deliver(event)));
    expect(await rowOf(racing)).toMatchObject({ status: 'confirmed' });
    expect(await available(racing.userId)).toBe(250_000n);
    expect((await wallet.ops.verifyLedger()).ok).toBe(true);
  });

  it('refuses an event that contradicts what was recorded of the output', async () => {
    const output = newOutput();
    await wallet.mod.deliver(detected(output, 0));
    await expect(wallet.mod.deliver(confirmed({ ...output, amountSats: '250001' }, 10))).rejects.toThrow(/recorded as 250000 sats/);
    await expect(wallet.mod.deliver(confirmed({ ...output, userId: newUserId() }, 10))).rejects.toThrow(/recorded as/);
    expect(await rowOf(output)).toMatchObject({ status: 'detected', credits: 0 });
  });

  it('credits a confirmation that arrives through the outbox and the wallet queue', async () => {
    const output = newOutput('54321');
    const outbox = wallet.mod.get(Outbox);
    await wallet.mod
      .scenario({ timeoutMs: 20_000 })
      .stimulate(() => pgTransaction(wallet.mod.pool, (tx) => outbox.append(tx, depositConfirmedV1, { ...output, confirmations: 6, ...block(140) })))
      .andWaitForStateChange(() => available(output.userId), (sats) => sats === 54_321n, { description: 'the deposit to be credited' });
    expect(await rowOf(output)).toMatchObject({ status: 'confirmed', credits: 1, block_height: 140 });
  });
});
