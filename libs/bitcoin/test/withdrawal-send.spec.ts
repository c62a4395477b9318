import { randomUUID } from 'node:crypto';
import { withdrawalBroadcastV1, withdrawalConfirmedV1, withdrawalFailedV1 } from '@bitro/gateway-contract';
import type { EventContractLike } from '@bitro/messaging';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { FeeBumpRefusedError } from '../src/features/withdrawals/fee-bump.errors';
import { WithdrawalFeeBumper } from '../src/features/withdrawals/withdrawal-fee-bumper';
import { WithdrawalSendSchedule } from '../src/features/withdrawals/withdrawal-send.schedule';
import { WithdrawalSend } from '../src/features/withdrawals/withdrawal-send';
import { sats } from '../src/features/node/rpc-schemas';
import { PayoutBroadcaster } from '../src/features/withdrawals/payout-broadcaster';
import { GATEWAY_WALLET, startBitcoinModuleTest, type BitcoinModuleTest, type BitcoinTestOptions, type WithdrawalRequest } from './bitcoin-module-test';

const USER = randomUUID();
const MAINNET_ADDRESS = 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4';

describe('withdrawals', () => {
  let ctx: BitcoinModuleTest;
  let sender: WithdrawalSend;

  async function start(options: BitcoinTestOptions = {}): Promise<void> {
    ctx = await startBitcoinModuleTest(options);
    sender = ctx.mod.get(WithdrawalSend);
  }

  afterEach(async () => {
    vi.restoreAllMocks();
    await ctx.close();
  });

  /** Delivers `gateway.withdrawal-requested.v1` of USER to the gateway's consumer as messaging does. */
  const request = (withdrawal: Omit<WithdrawalRequest, 'userId'>) => ctx.requestWithdrawal({ userId: USER, ...withdrawal });

  const payee = (type: 'bech32' | 'bech32m' = 'bech32') => ctx.outsideRpc.getNewAddress({ addressType: type });
  const withdrawal = (id: string) => ctx.prisma.withdrawal.findUniqueOrThrow({ where: { id } });
  const payouts = () => ctx.prisma.payout.findMany({ orderBy: { createdAt: 'asc' } });
  const payloads = async <C extends EventContractLike>(contract: C) => (await ctx.mod.events(contract)).map((event) => event.payload);
  const mempool = () => ctx.gatewayRpc.getRawMempool();
  /** The outputs paying `address`, confirmed or not, as the payee's wallet lists them. */
  const received = (address: string) =>
    ctx.outsideRpc.call('listunspent', [0, 9_999_999, [address]], z.array(z.object({ txid: z.string(), amount: sats })));
  const receivedTotal = (address: string) => ctx.outsideRpc.call('getreceivedbyaddress', [address, 0], sats);

  describe('requests', () => {
    it('queues a requested withdrawal once, whatever the redeliveries', async () => {
      await start();
      const address = await payee();
      const eventId = randomUUID();
      const id = await request({ address, amountSats: 50_000n, eventId, occurredAt: new Date('2026-01-02T03:04:05.678Z') });
      await request({ address, amountSats: 50_000n, eventId, withdrawalId: id });
      await request({ address, amountSats: 99_999n, withdrawalId: id });

      expect(await ctx.prisma.withdrawal.findMany()).toEqual([
        expect.objectContaining({ id, userId: USER, address, amountSats: 50_000n, maxFeeSats: 100_000n, status: 'queued', requestedAt: new Date('2026-01-02T03:04:05.678Z') }),
      ]);
      await sender.run();
      await request({ address, amountSats: 50_000n, eventId, withdrawalId: id });
      expect((await withdrawal(id)).status).toBe('broadcast');
      expect(await payloads(withdrawalBroadcastV1)).toHaveLength(1);
      expect((await received(address)).map((r) => r.amount)).toEqual([50_000n]);
    });

    it('fails a withdrawal to an address of another network, once', async () => {
      await start();
      const id = await request({ address: MAINNET_ADDRESS, amountSats: 50_000n });
      await request({ address: MAINNET_ADDRESS, amountSats: 50_000n, withdrawalId: id });
      await sender.run();

      expect(await withdrawal(id)).toMatchObject({ status: 'failed', failureReason: 'invalid-address', payoutId: null });
      expect(await payloads(withdrawalFailedV1)).toEqual([{ withdrawalId: id, userId: USER, reason: 'invalid-address', detail: expect.stringContaining('regtest') }]);
      expect(await payouts()).toEqual([]);
    });
  });

  describe('sending', () => {
    it('pays a withdrawal once: signed, broadcast, mined, confirmed', async () => {
      await start();
      const address = await payee();
      const id = await request({ address, amountSats: 1_2345_6789n });
      await sender.run();

      const [payout] = await payouts();
      expect(payout).toMatchObject({ status: 'broadcast', broadcastAttempts: 1, replacesId: null });
      expect(await mempool()).toEqual([payout.txid]);
      const sent = await withdrawal(id);
      expect(sent).toMatchObject({ status: 'broadcast', payoutId: payout.id, feeSats: payout.feeSats });
      const walletTx = await ctx.gatewayRpc.getTransaction(payout.txid);
      expect(walletTx.fee).toBe(-payout.feeSats);
      expect(await payloads(withdrawalBroadcastV1)).toEqual([{ withdrawalId: id, userId: USER, txid: payout.txid, vout: sent.vout, feeSats: `${payout.feeSats}` }]);
      expect(await payloads(withdrawalConfirmedV1)).toEqual([]);

      const [blockHash] = await ctx.mine(1);
      await sender.run();
      await sender.run();
      const blockHeight = await ctx.gatewayRpc.getBlockCount();
      expect(await payloads(withdrawalConfirmedV1)).toEqual([
        { withdrawalId: id, userId: USER, txid: payout.txid, vout: sent.vout, feeSats: `${payout.feeSats}`, confirmations: 1, blockHash, blockHeight },
      ]);
      expect(await payouts()).toEqual([expect.objectContaining({ status: 'confirmed', blockHash, blockHeight })]);
      expect((await withdrawal(id)).status).toBe('confirmed');
      expect(await received(address)).toEqual([{ txid: payout.txid, amount: 1_2345_6789n }]);
      expect(await receivedTotal(address)).toBe(1_2345_6789n);
    });

    it('waits for the configured confirmations', async () => {
      await start({ withdrawals: { confirmations: 3, sendIntervalMs: 1_000, batchWindowMs: 0, batchMax: 50 } });
      await request({ address: await payee(), amountSats: 100_000n });
      await sender.run();
      await ctx.mine(2);
      await sender.run();
      expect(await payloads(withdrawalConfirmedV1)).toEqual([]);
      await ctx.mine(1);
      await sender.run();
      expect(await payloads(withdrawalConfirmedV1)).toEqual([expect.objectContaining({ confirmations: 3 })]);
    });

    it('batches withdrawals into one transaction, one output each, fee shares by size summing to the fee', async () => {
      await start({ withdrawals: { confirmations: 1, sendIntervalMs: 1_000, batchWindowMs: 60_000, batchMax: 3 } });
      const addresses = [await payee(), await payee('bech32m'), await payee()];
      const ids = [await request({ address: addresses[0], amountSats: 100_000n }), await request({ address: addresses[1], amountSats: 200_000n })];
      await sender.run();
      expect(await payouts()).toEqual([]);

      ids.push(await request({ address: addresses[2], amountSats: 300_000n }));
      await sender.run();
      const [payout] = await payouts();
      const withdrawals = await Promise.all(ids.map(withdrawal));
      expect(await payouts()).toHaveLength(1);
      expect(withdrawals.map((w) => w.payoutId)).toEqual([payout.id, payout.id, payout.id]);
      expect(new Set(withdrawals.map((w) => w.vout)).size).toBe(3);
      const shares = withdrawals.map((w) => w.feeSats ?? 0n);
      expect(shares.reduce((a, b) => a + b, 0n)).toBe(payout.feeSats);
      expect((await ctx.gatewayRpc.getTransaction(payout.txid)).fee).toBe(-payout.feeSats);
      // The taproot output is 12 bytes longer than the P2WPKH ones, which pay the same.
      expect(shares[1]).toBeGreaterThan(shares[0]);
      expect(shares[0] - shares[2]).toBeGreaterThanOrEqual(-1n);
      expect(shares[0] - shares[2]).toBeLessThanOrEqual(1n);

      const decoded = await ctx.gatewayRpc.decodeRawTransaction(payout.rawHex);
      for (const [i, w] of withdrawals.entries()) {
        expect(decoded.vout[w.vout ?? -1]).toMatchObject({ value: w.amountSats, scriptPubKey: { address: addresses[i] } });
      }
      expect((await payloads(withdrawalBroadcastV1)).map((p) => p.txid)).toEqual([payout.txid, payout.txid, payout.txid]);
    });

    it('sends the oldest queued withdrawal once the batch window has passed', async () => {
      await start({ withdrawals: { confirmations: 1, sendIntervalMs: 1_000, batchWindowMs: 60_000, batchMax: 3 } });
      const id = await request({ address: await payee(), amountSats: 100_000n, occurredAt: new Date(Date.now() - 61_000) });
      await sender.run();
      expect((await withdrawal(id)).status).toBe('broadcast');
    });

    it('puts two withdrawals to one address in different transactions', async () => {
      await start();
      const [shared, other] = [await payee(), await payee()];
      const first = await request({ address: shared, amountSats: 100_000n });
      const second = await request({ address: shared.toUpperCase(), amountSats: 200_000n });
      const third = await request({ address: other, amountSats: 300_000n });
      await sender.run();

      const all = await Promise.all([first, second, third].map(withdrawal));
      expect(all.every((w) => w.status === 'broadcast')).toBe(true);
      expect(all[0].payoutId).toBe(all[2].payoutId);
      expect(all[1].payoutId).not.toBe(all[0].payoutId);
      expect((await mempool()).sort()).toEqual((await payouts()).map((p) => p.txid).sort());
      expect((await received(shared)).map((r) => r.amount).sort()).toEqual([100_000n, 200_000n]);
    });

    it('fails what the wallet cannot fund, and sends the rest', async () => {
      await start();
      const [poor, fine] = [await payee(), await payee()];
      const tooMuch = await request({ address: poor, amountSats: 60n * 100_000_000n });
      const affordable = await request({ address: fine, amountSats: 100_000n });
      await sender.run();

      expect(await withdrawal(tooMuch)).toMatchObject({ status: 'failed', failureReason: 'insufficient-funds', payoutId: null });
      expect(await payloads(withdrawalFailedV1)).toEqual([{ withdrawalId: tooMuch, userId: USER, reason: 'insufficient-funds', detail: expect.any(String) }]);
      expect((await withdrawal(affordable)).status).toBe('broadcast');
      expect(await received(poor)).toEqual([]);
      expect((await received(fine)).map((r) => r.amount)).toEqual([100_000n]);
    });

    it('fails a withdrawal whose fee share exceeds its maximum, and sends the others without it', async () => {
      await start();
      const [stingy, generous] = [await payee(), await payee()];
      const tight = await request({ address: stingy, amountSats: 100_000n, maxFeeSats: 100n });
      const loose = await request({ address: generous, amountSats: 100_000n, maxFeeSats: 10_000n });
      await sender.run();

      expect(await withdrawal(tight)).toMatchObject({ status: 'failed', failureReason: 'fee-too-high', payoutId: null });
      expect(await payloads(withdrawalFailedV1)).toEqual([{ withdrawalId: tight, userId: USER, reason: 'fee-too-high', detail: expect.stringContaining('100 sats') }]);
      const [payout] = await payouts();
      expect(await withdrawal(loose)).toMatchObject({ status: 'broadcast', payoutId: payout.id, feeSats: payout.feeSats });
      expect((await ctx.gatewayRpc.decodeRawTransaction(payout.rawHex)).vout).toHaveLength(2);
      expect(await received(stingy)).toEqual([]);
    });

    it('fails a dust withdrawal without holding up the others', async () => {
      await start();
      const dust = await request({ address: await payee(), amountSats: 293n });
      const fine = await request({ address: await payee(), amountSats: 294n });
      await sender.run();
      expect(await withdrawal(dust)).toMatchObject({ status: 'failed', failureReason: 'internal', failureDetail: expect.stringContaining('dust') });
      expect((await withdrawal(fine)).status).toBe('broadcast');
      expect((await payloads(withdrawalFailedV1)).map((p) => p.withdrawalId)).toEqual([dust]);
    });

    it('runs on its own once started, until stopped', async () => {
      await start({ withdrawals: { confirmations: 1, sendIntervalMs: 50, batchWindowMs: 0, batchMax: 50 } });
      const sending = ctx.mod.get(WithdrawalSendSchedule);
      const id = await request({ address: await payee(), amountSats: 100_000n });
      const reaches = (status: string, stimulus: () => unknown) =>
        ctx.mod
          .scenario()
          .stimulate(stimulus)
          .andWaitForStateChange(() => withdrawal(id), (row) => row.status === status, { timeoutMs: 5_000, description: `the withdrawal to be ${status}` });
      expect((await reaches('broadcast', () => sending.start())).status).toBe('broadcast');
      expect((await reaches('confirmed', () => ctx.mine(1))).status).toBe('confirmed');
      await sending.stop();
      const later = await request({ address: await payee(), amountSats: 100_000n });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await withdrawal(later)).status).toBe('queued');
    });
  });

  describe('failures around the broadcast', () => {
    /** Another gateway process on the same database and node: a fresh sender with nothing in memory. */
    async function restartedSender(): Promise<{ sender: WithdrawalSend; close: () => Promise<void> }> {
      const restarted = await ctx.startAgain();
      return { sender: restarted.get(WithdrawalSend), close: () => restarted.close() };
    }

    /** A withdrawal whose payout is signed and persisted, then the process dies before broadcasting it. */
    async function crashBeforeBroadcast() {
      const address = await payee();
      const id = await request({ address, amountSats: 100_000n });
      vi.spyOn(ctx.mod.get(PayoutBroadcaster), 'broadcast').mockRejectedValueOnce(new Error('killed'));
      await expect(sender.run()).rejects.toThrow('killed');
      const [signed] = await payouts();
      return { address, id, signed };
    }

    it('re-broadcasts the persisted transaction after a crash between signing and broadcasting', async () => {
      await start();
      const { address, id, signed } = await crashBeforeBroadcast();
      expect(signed.status).toBe('signed');
      expect(await withdrawal(id)).toMatchObject({ status: 'signed', payoutId: signed.id });
      expect(await mempool()).toEqual([]);
      expect(await payloads(withdrawalBroadcastV1)).toEqual([]);

      const restarted = await restartedSender();
      try {
        await restarted.sender.run();
        await restarted.sender.run();
      } finally {
        await restarted.close();
      }
      expect(await payouts()).toEqual([expect.objectContaining({ id: signed.id, txid: signed.txid, status: 'broadcast' })]);
      expect(await mempool()).toEqual([signed.txid]);
      expect(await payloads(withdrawalBroadcastV1)).toEqual([expect.objectContaining({ withdrawalId: id, txid: signed.txid })]);
      expect((await received(address)).map((r) => r.txid)).toEqual([signed.txid]);
    });

    it('sends the same transaction again when the node took it but the answer timed out, and builds nothing meanwhile', async () => {
      await start({ withdrawals: { confirmations: 1, sendIntervalMs: 1_000, batchWindowMs: 0, batchMax: 1 } });
      const [first, second] = [await payee(), await payee()];
      const firstId = await request({ address: first, amountSats: 100_000n });
      const secondId = await request({ address: second, amountSats: 200_000n });
      const rpc = ctx.gatewayRpc;
      const send = rpc.sendRawTransaction.bind(rpc);
      vi.spyOn(rpc, 'sendRawTransaction').mockImplementationOnce(async (hex, options) => {
        ctx.node.controls.delay(3_000); // beyond the client's 2 s timeout; the node accepts first, then answers late
        try {
          return await send(hex, options);
        } finally {
          ctx.node.controls.delay(0);
        }
      });
      await sender.run();

      const [pending] = await payouts();
      expect(pending).toMatchObject({ status: 'signed', broadcastAttempts: 1, lastError: expect.stringContaining('no answer') });
      expect(await mempool()).toEqual([pending.txid]);
      expect((await withdrawal(secondId)).status).toBe('queued');
      expect(await payloads(withdrawalBroadcastV1)).toEqual([]);

      // Still no answer next run (the connection drops): the second withdrawal keeps waiting.
      ctx.node.controls.dropMethod('sendrawtransaction', 1);
      await sender.run();
      expect(await payouts()).toEqual([expect.objectContaining({ id: pending.id, status: 'signed', broadcastAttempts: 2 })]);
      expect((await withdrawal(secondId)).status).toBe('queued');

      await sender.run();
      const [sent, next] = await payouts();
      expect(sent).toMatchObject({ id: pending.id, txid: pending.txid, status: 'broadcast', broadcastAttempts: 3, lastError: null });
      expect(next.status).toBe('broadcast');
      expect((await withdrawal(firstId)).status).toBe('broadcast');
      expect((await mempool()).sort()).toEqual([pending.txid, next.txid].sort());
      await ctx.mine(1);
      await sender.run();
      expect((await received(first)).map((r) => r.txid)).toEqual([pending.txid]);
      expect((await received(second)).map((r) => r.amount)).toEqual([200_000n]);
      expect((await payloads(withdrawalConfirmedV1)).map((p) => p.withdrawalId).sort()).toEqual([firstId, secondId].sort());
    });

    it('leaves nothing half done while the node is down, and sends once it is back', async () => {
      await start();
      const address = await payee();
      const id = await request({ address, amountSats: 100_000n });
      await ctx.node.controls.down();
      await expect(sender.run()).rejects.toThrow(/cannot reach Bitcoin Core/);
      await expect(sender.run()).rejects.toThrow(/cannot reach Bitcoin Core/);
      await ctx.node.controls.up();
      ctx.node.controls.dropMethod('fundrawtransaction', 1);
      await expect(sender.run()).rejects.toThrow(/fundrawtransaction/);

      expect((await withdrawal(id)).status).toBe('queued');
      expect(await payouts()).toEqual([]);
      expect(await ctx.appended()).toEqual([]);

      await sender.run();
      expect((await withdrawal(id)).status).toBe('broadcast');
      expect(await received(address)).toHaveLength(1);
    });

    it('counts a payout that is already mined when it is sent as broadcast (-27)', async () => {
      await start();
      const { id, signed } = await crashBeforeBroadcast();
      await ctx.outsideRpc.sendRawTransaction(signed.rawHex);
      await ctx.mine(1);

      await sender.run();
      expect(await payouts()).toEqual([expect.objectContaining({ txid: signed.txid, status: 'confirmed' })]);
      expect((await payloads(withdrawalBroadcastV1)).map((p) => p.withdrawalId)).toEqual([id]);
      expect((await payloads(withdrawalConfirmedV1)).map((p) => p.txid)).toEqual([signed.txid]);
    });

    it('asks the wallet before failing a rejected payout: mined and spent since (-25) counts as broadcast', async () => {
      await start();
      const { address, id, signed } = await crashBeforeBroadcast();
      await ctx.outsideRpc.sendRawTransaction(signed.rawHex);
      await ctx.mine(1);
      // Both outputs spent: the payee forwards its coin, the gateway wallet spends the change.
      const [coin] = await received(address);
      const forward = await ctx.outsideRpc.createRawTransaction({ inputs: [{ txid: coin.txid, vout: (await withdrawal(id)).vout ?? -1 }], outputs: [{ address: await payee(), amountSats: 90_000n }] });
      await ctx.outsideRpc.sendRawTransaction((await ctx.outsideRpc.signRawTransactionWithWallet(forward)).hex);
      await ctx.gatewayRpc.call('sendtoaddress', [await payee(), '1'], z.string());
      await ctx.mine(1);
      await expect(ctx.gatewayRpc.sendRawTransaction(signed.rawHex)).rejects.toMatchObject({ code: -25 });

      await sender.run();
      expect(await payouts()).toEqual([expect.objectContaining({ txid: signed.txid, status: 'confirmed' })]);
      expect(await withdrawal(id)).toMatchObject({ status: 'confirmed', failureReason: null });
      expect(await payloads(withdrawalFailedV1)).toEqual([]);
      expect((await payloads(withdrawalConfirmedV1)).map((p) => p.txid)).toEqual([signed.txid]);
    });

    it('fails the withdrawals of a payout the network rejects and that no node ever accepted', async () => {
      await start();
      const { address, id } = await crashBeforeBroadcast();
      // The wallet does not know the persisted transaction, so it spends the same coin elsewhere.
      await ctx.gatewayRpc.call('sendtoaddress', [await payee(), '1'], z.string());
      await ctx.mine(1);

      await sender.run();
      const [payout] = await payouts();
      expect(payout).toMatchObject({ status: 'failed', lastError: expect.stringContaining('-25') });
      expect(await withdrawal(id)).toMatchObject({ status: 'failed', failureReason: 'rejected-by-network' });
      expect(await payloads(withdrawalFailedV1)).toEqual([{ withdrawalId: id, userId: USER, reason: 'rejected-by-network', detail: expect.any(String) }]);
      expect(await payloads(withdrawalBroadcastV1)).toEqual([]);
      expect(await received(address)).toEqual([]);
    });

    it('re-broadcasts a payout a reorg dropped, and confirms it once', async () => {
      await start();
      const address = await payee();
      const id = await request({ address, amountSats: 100_000n });
      await sender.run();
      const [payout] = await payouts();
      await ctx.mine(1);
      ctx.node.controls.reorg({ depth: 1, drop: [payout.txid] });
      expect(await mempool()).toEqual([]);
      expect((await ctx.gatewayRpc.getTransaction(payout.txid)).confirmations).toBe(0);
      // Queued meanwhile: its transaction must not reuse the dropped payout's coin.
      const laterAddress = await payee();
      const later = await request({ address: laterAddress, amountSats: 200_000n });

      await sender.run();
      const [, laterPayout] = await payouts();
      expect((await mempool()).sort()).toEqual([payout.txid, laterPayout.txid].sort());
      expect(await payloads(withdrawalConfirmedV1)).toEqual([]);
      expect((await payouts())[0]).toMatchObject({ id: payout.id, status: 'broadcast', broadcastAttempts: 2 });

      await ctx.mine(1);
      await sender.run();
      await sender.run();
      expect((await payloads(withdrawalConfirmedV1)).map((p) => [p.withdrawalId, p.txid])).toEqual([
        [id, payout.txid],
        [later, laterPayout.txid],
      ]);
      expect(await payouts()).toHaveLength(2);
      expect(await received(address)).toEqual([{ txid: payout.txid, amount: 100_000n }]);
      expect(await received(laterAddress)).toEqual([{ txid: laterPayout.txid, amount: 200_000n }]);
    });
  });

  describe('fee bumps', () => {
    const refusal = (promise: Promise<unknown>) => promise.then(
      () => undefined,
      (error: unknown) => (error instanceof FeeBumpRefusedError ? error.reason : error),
    );

    async function broadcastOne() {
      await start();
      const address = await payee();
      const id = await request({ address, amountSats: 100_000n });
      await sender.run();
      const [old] = await payouts();
      return { bumper: ctx.mod.get(WithdrawalFeeBumper), address, id, old, oldShare: (await withdrawal(id)).feeSats };
    }

    it('replaces a broadcast payout with a higher fee; the payee is paid once, by the replacement', async () => {
      const { bumper, address, id, old } = await broadcastOne();

      const result = await bumper.bump(id, '10');
      expect(result).toMatchObject({ withdrawalIds: [id], replacedTxid: old.txid, status: 'broadcast' });
      expect(result.txid).not.toBe(old.txid);
      expect(result.feeSats).toBeGreaterThanOrEqual(10n * BigInt(result.vsize));
      expect(await mempool()).toEqual([result.txid]);
      expect(await payouts()).toEqual([
        expect.objectContaining({ id: old.id, status: 'replaced' }),
        expect.objectContaining({ id: result.payoutId, status: 'broadcast', replacesId: old.id, feeSats: result.feeSats }),
      ]);
      const outpoints = async (rawHex: string) => (await ctx.gatewayRpc.decodeRawTransaction(rawHex)).vin.map(({ txid, vout, sequence }) => ({ txid, vout, sequence }));
      expect(await outpoints((await payouts())[1].rawHex)).toEqual(await outpoints(old.rawHex));
      expect(await payloads(withdrawalBroadcastV1)).toEqual([
        expect.objectContaining({ withdrawalId: id, txid: old.txid, feeSats: `${old.feeSats}` }),
        expect.objectContaining({ withdrawalId: id, txid: result.txid, feeSats: `${result.feeSats}` }),
      ]);

      await ctx.mine(1);
      await sender.run();
      expect(await payloads(withdrawalConfirmedV1)).toEqual([expect.objectContaining({ withdrawalId: id, txid: result.txid, feeSats: `${result.feeSats}` })]);
      expect(await received(address)).toEqual([{ txid: result.txid, amount: 100_000n }]);
      expect(await refusal(bumper.bump(id, '20'))).toBe('already-confirmed');
    });

    it('refuses a rate that is not higher, a fee above the maximum, and unknown or unsent withdrawals', async () => {
      await start();
      const bumper = ctx.mod.get(WithdrawalFeeBumper);
      const id = await request({ address: await payee(), amountSats: 100_000n, maxFeeSats: 1_000n });
      await sender.run();
      const queued = await request({ address: await payee(), amountSats: 100_000n });
      const before = await payouts();

      expect(await refusal(bumper.bump(id, '2'))).toBe('fee-rate-not-higher');
      expect(await refusal(bumper.bump(id, '2.5'))).toBe('fee-rate-not-higher');
      expect(await refusal(bumper.bump(id, '20'))).toBe('exceeds-max-fee');
      expect(await refusal(bumper.bump(id, 'fast'))).toBe('invalid-fee-rate');
      expect(await refusal(bumper.bump(randomUUID(), '20'))).toBe('withdrawal-not-found');
      expect(await refusal(bumper.bump(queued, '20'))).toBe('not-broadcast');
      expect(await payouts()).toEqual(before);
      expect(await payloads(withdrawalBroadcastV1)).toHaveLength(1);
    });

    it('keeps the old payout when it is mined before its replacement is broadcast', async () => {
      const { bumper, address, id, old, oldShare } = await broadcastOne();

      ctx.node.controls.dropMethod('sendrawtransaction', 1);
      const result = await bumper.bump(id, '10');
      expect(result.status).toBe('pending');
      expect(await withdrawal(id)).toMatchObject({ status: 'signed', payoutId: result.payoutId });
      await ctx.mine(1);

      await sender.run();
      expect(await payouts()).toEqual([
        expect.objectContaining({ id: old.id, status: 'confirmed' }),
        expect.objectContaining({ id: result.payoutId, status: 'failed' }),
      ]);
      expect(await withdrawal(id)).toMatchObject({ status: 'confirmed', payoutId: old.id, feeSats: oldShare });
      expect(await payloads(withdrawalConfirmedV1)).toEqual([expect.objectContaining({ withdrawalId: id, txid: old.txid, feeSats: `${oldShare}` })]);
      expect(await received(address)).toEqual([{ txid: old.txid, amount: 100_000n }]);
    });

    it('reports the old transaction confirmed when a miner takes it instead of the accepted replacement', async () => {
      const { bumper, address, id, old, oldShare } = await broadcastOne();
      const result = await bumper.bump(id, '10');
      expect(result.status).toBe('broadcast');

      // A miner that never saw the replacement mines the original.
      const { node } = ctx.node;
      node.mempool.removeWithDescendants(result.txid);
      const original = node.wallets.get(GATEWAY_WALLET)?.txs.get(old.txid)?.tx;
      if (!original) throw new Error('the gateway wallet lost the original transaction');
      node.acceptToMempool(original);
      await ctx.mine(1);

      await sender.run();
      expect(await withdrawal(id)).toMatchObject({ status: 'confirmed', payoutId: old.id, feeSats: oldShare });
      expect(await payloads(withdrawalConfirmedV1)).toEqual([expect.objectContaining({ withdrawalId: id, txid: old.txid, feeSats: `${oldShare}` })]);
      expect(await payouts()).toEqual([
        expect.objectContaining({ id: old.id, status: 'confirmed' }),
        expect.objectContaining({ id: result.payoutId, status: 'failed' }),
      ]);
      expect(await received(address)).toEqual([{ txid: old.txid, amount: 100_000n }]);
    });
  });
});
