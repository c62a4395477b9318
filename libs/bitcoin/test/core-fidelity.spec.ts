import { randomUUID } from 'node:crypto';
import { withdrawalRequestedV1 } from '@bitro/gateway-contract';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { type BitcoinModuleOptions, BitcoinRpcError, WithdrawalRequestSubscriber, WithdrawalSender } from '../src/index';
import { startBitcoinContext, type BitcoinTestContext } from './bitcoin-test-context';

/*
 * The gateway against Bitcoin Core 29's answers (src/rpc/protocol.h codes; src/wallet/rpc/spend.cpp: fundrawtransaction
 * throws RPC_WALLET_ERROR -4 with the coin selection's message; src/validation.cpp: -26 mempool policy reasons).
 * Where the regtest node does not answer like Core yet, the client's call is wrapped to answer Core's error.
 */
const FAILED = 'gateway.withdrawal-failed.v1';
const BROADCAST = 'gateway.withdrawal-broadcast.v1';
const USER = randomUUID();
const WITHDRAWALS = { confirmations: 1, sendIntervalMs: 1_000, batchWindowMs: 0, batchMax: 50 };

describe('the gateway on a real Bitcoin Core', () => {
  let ctx: BitcoinTestContext;
  let sender: WithdrawalSender;

  async function start(options: Partial<Omit<BitcoinModuleOptions, 'rpc' | 'network'>> = {}): Promise<void> {
    ctx = await startBitcoinContext(options);
    sender = ctx.moduleRef.get(WithdrawalSender);
  }

  afterEach(async () => {
    vi.restoreAllMocks();
    await ctx.close();
  });

  async function request(address: string, amountSats: bigint, maxFeeSats = 100_000n): Promise<string> {
    const subscriber = ctx.moduleRef.get(WithdrawalRequestSubscriber);
    const withdrawalId = randomUUID();
    const payload = withdrawalRequestedV1.payload.parse({ withdrawalId, userId: USER, address, amountSats: `${amountSats}`, maxFeeSats: `${maxFeeSats}` });
    const event = { id: randomUUID(), name: withdrawalRequestedV1.name, occurredAt: new Date().toISOString(), payload };
    await subscriber.transaction((tx) => subscriber.handlers[0].handle(event, tx));
    return withdrawalId;
  }

  const payee = () => ctx.outsideRpc.getNewAddress({ addressType: 'bech32' });
  const withdrawal = (id: string) => ctx.prisma.withdrawal.findUniqueOrThrow({ where: { id } });
  const payouts = () => ctx.prisma.payout.findMany({ orderBy: { createdAt: 'asc' } });
  const payloads = async (name: string) => (await ctx.outbox(name)).map((row) => row.payload);
  const mempool = () => ctx.gatewayRpc.getRawMempool();

  it('8. fails a withdrawal fundrawtransaction cannot fund (-4 "Insufficient funds", as Core 29 answers), and sends the others', async () => {
    await start();
    const fund = ctx.gatewayRpc.fundRawTransaction.bind(ctx.gatewayRpc);
    const refusals: number[] = [];
    vi.spyOn(ctx.gatewayRpc, 'fundRawTransaction').mockImplementation(async (hex, options) => {
      try {
        return await fund(hex, options);
      } catch (error) {
        if (!(error instanceof BitcoinRpcError)) throw error;
        refusals.push(error.code);
        // spend.cpp FundTransaction: JSONRPCError(RPC_WALLET_ERROR, ErrorString(txr).original)
        throw error.code === -6 ? new BitcoinRpcError('fundrawtransaction', -4, 'Insufficient funds') : error;
      }
    });
    const tooMuch = await request(await payee(), 60n * 100_000_000n);
    const fine = await request(await payee(), 100_000n);
    await sender.run();

    expect(refusals.length).toBeGreaterThan(0);
    expect(await withdrawal(tooMuch)).toMatchObject({ status: 'failed', failureReason: 'insufficient-funds' });
    expect((await withdrawal(fine)).status).toBe('broadcast');
  });

  it('9. waits for a block when the mempool refuses a payout for its chain of unconfirmed ancestors (-26 too-long-mempool-chain)', async () => {
    await start();
    const send = ctx.gatewayRpc.sendRawTransaction.bind(ctx.gatewayRpc);
    const refusedAt = await ctx.gatewayRpc.getBestBlockHash();
    const sends = vi.spyOn(ctx.gatewayRpc, 'sendRawTransaction').mockImplementation(async (hex, options) => {
      if ((await ctx.gatewayRpc.getBestBlockHash()) === refusedAt) {
        throw new BitcoinRpcError('sendrawtransaction', -26, 'too-long-mempool-chain, too many unconfirmed ancestors [limit: 25]');
      }
      return send(hex, options);
    });
    const id = await request(await payee(), 100_000n);
    await sender.run();
    await sender.run();

    const [payout] = await payouts();
    expect(payout).toMatchObject({ status: 'signed', deferredAtTip: refusedAt, lastError: expect.stringContaining('too-long-mempool-chain') });
    expect((await withdrawal(id)).status).toBe('signed');
    expect(sends).toHaveBeenCalledTimes(1); // the second run waited for a block instead of sending again
    expect(await payloads(FAILED)).toEqual([]);

    await ctx.mine(1);
    await sender.run();
    expect((await withdrawal(id)).status).toBe('broadcast');
    expect(await mempool()).toEqual([payout.txid]);
  });

  it('9. waits for a block when the wallet will not fund from a too-long chain, and when the mempool minimum fee rose', async () => {
    await start();
    const fund = ctx.gatewayRpc.fundRawTransaction.bind(ctx.gatewayRpc);
    const refusedAt = await ctx.gatewayRpc.getBestBlockHash();
    vi.spyOn(ctx.gatewayRpc, 'fundRawTransaction').mockImplementation(async (hex, options) => {
      if ((await ctx.gatewayRpc.getBestBlockHash()) === refusedAt) {
        // wallet/spend.cpp SelectCoins, surfaced by fundrawtransaction as -4
        throw new BitcoinRpcError('fundrawtransaction', -4, 'Unconfirmed UTXOs are available, but spending them creates a chain of transactions that will be rejected by the mempool');
      }
      return fund(hex, options);
    });
    const id = await request(await payee(), 100_000n);
    await sender.run();
    expect(await withdrawal(id)).toMatchObject({ status: 'queued', failureReason: null });
    expect(await payouts()).toEqual([]);

    const [, minedAt] = [await ctx.mine(1), await ctx.gatewayRpc.getBestBlockHash()];
    const send = ctx.gatewayRpc.sendRawTransaction.bind(ctx.gatewayRpc);
    vi.spyOn(ctx.gatewayRpc, 'sendRawTransaction').mockImplementation(async (hex, options) => {
      if ((await ctx.gatewayRpc.getBestBlockHash()) === minedAt) throw new BitcoinRpcError('sendrawtransaction', -26, 'mempool min fee not met, 200 < 1000');
      return send(hex, options);
    });
    await sender.run();
    expect(await withdrawal(id)).toMatchObject({ status: 'signed', failureReason: null });
    await ctx.mine(1);
    await sender.run();
    expect((await withdrawal(id)).status).toBe('broadcast');
    expect(await payloads(FAILED)).toEqual([]);
  });

  it('10. refunds a payout only once it provably cannot confirm: a rejection after an unanswered broadcast is no proof, a confirmed double spend is', async () => {
    await start();
    const id = await request(await payee(), 100_000n);
    ctx.node.controls.dropMethod('sendrawtransaction', 1);
    await sender.run();
    const [payout] = await payouts();
    expect(payout).toMatchObject({ status: 'signed', mayHaveLeft: true });

    // Refused now, and the wallet does not know it: it may still be out there, so it is sent again, never refunded.
    const send = ctx.gatewayRpc.sendRawTransaction.bind(ctx.gatewayRpc);
    vi.spyOn(ctx.gatewayRpc, 'sendRawTransaction').mockRejectedValue(new BitcoinRpcError('sendrawtransaction', -26, 'min relay fee not met, 100 < 141'));
    await sender.run();
    await sender.run();
    expect(await withdrawal(id)).toMatchObject({ status: 'signed', failureReason: null });
    expect(await payloads(FAILED)).toEqual([]);
    expect((await payouts())[0].lastError).toContain('nothing proves it cannot confirm');

    // A confirmed transaction that is not ours spends its input: now it can never confirm.
    vi.mocked(ctx.gatewayRpc.sendRawTransaction).mockImplementation(send);
    await ctx.gatewayRpc.call('sendtoaddress', [await payee(), '1'], z.string());
    await ctx.mine(1);
    await sender.run();
    expect(await withdrawal(id)).toMatchObject({ status: 'failed', failureReason: 'rejected-by-network', failureDetail: expect.stringContaining('spent by a confirmed transaction') });
    expect(await payloads(FAILED)).toEqual([expect.objectContaining({ withdrawalId: id, reason: 'rejected-by-network' })]);
    expect(await payloads(BROADCAST)).toEqual([]);
  });

  it('14. bumps a payout unconfirmed for more blocks than configured (RBF, within maxFeeSats), and re-broadcasts an evicted one', async () => {
    await start({ withdrawals: { ...WITHDRAWALS, bumpAfterBlocks: 2 } });
    const address = await payee();
    const id = await request(address, 100_000n, 2_000n);
    await sender.run();
    const [old] = await payouts();
    expect(old.broadcastHeight).toBe(await ctx.gatewayRpc.getBlockCount());

    // Evicted (as a full mempool trims its lowest fee rate): the same bytes go out again.
    ctx.node.node.mempool.removeWithDescendants(old.txid);
    await sender.run();
    expect(await mempool()).toEqual([old.txid]);

    // Two blocks later, still unconfirmed (the blocks did not take it).
    await ctx.prisma.payout.update({ where: { id: old.id }, data: { broadcastHeight: (await ctx.gatewayRpc.getBlockCount()) - 2 } });
    await sender.run();
    const [replaced, bump] = await payouts();
    expect(replaced).toMatchObject({ id: old.id, status: 'replaced' });
    expect(bump).toMatchObject({ status: 'broadcast', replacesId: old.id });
    expect(bump.feeSats).toBeGreaterThan(old.feeSats);
    expect(await withdrawal(id)).toMatchObject({ status: 'broadcast', payoutId: bump.id });
    expect((await withdrawal(id)).feeSats ?? 0n).toBeLessThanOrEqual(2_000n);
    expect(await mempool()).toEqual([bump.txid]);
  });
});
