import { randomUUID } from 'node:crypto';
import { withdrawalBroadcastV1, withdrawalConfirmedV1, withdrawalFailedV1 } from '@bitro/gateway-contract';
import type { EventContractLike } from '@bitro/messaging';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { BitcoinRpcClient } from '../src/features/node/bitcoin-rpc.client';
import { BitcoinRpcError } from '../src/features/node/rpc-errors';
import { ReservesCheck } from '../src/features/reserves/reserves-check';
import { WalletProbe } from '../src/features/wallet/wallet-probe';
import { WithdrawalSend } from '../src/features/withdrawals/withdrawal-send';
import { GATEWAY_WALLET, startBitcoinModuleTest, type BitcoinModuleTest, type BitcoinTestOptions } from './bitcoin-module-test';

/*
 * The gateway against Bitcoin Core 29's answers, driven through the regtest node's RPCs and test controls, which follow
 * Core (src/rpc/protocol.h codes; src/wallet/rpc/spend.cpp, src/validation.cpp, src/policy/, src/wallet/rpc/wallet.cpp).
 */
const USER = randomUUID();
const WITHDRAWALS = { confirmations: 1, sendIntervalMs: 1_000, batchWindowMs: 0, batchMax: 50 };
describe('the gateway on a real Bitcoin Core', () => {
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

  const request = (address: string, amountSats: bigint, maxFeeSats = 100_000n) => ctx.requestWithdrawal({ userId: USER, address, amountSats, maxFeeSats });

  const payee = () => ctx.outsideRpc.getNewAddress({ addressType: 'bech32' });
  const withdrawal = (id: string) => ctx.prisma.withdrawal.findUniqueOrThrow({ where: { id } });
  const payouts = () => ctx.prisma.payout.findMany({ orderBy: { createdAt: 'asc' } });
  const payloads = async <C extends EventContractLike>(contract: C) => (await ctx.mod.events(contract)).map((event) => event.payload);
  const mempool = () => ctx.gatewayRpc.getRawMempool();

  const payout = (id: string) => ctx.prisma.payout.findUniqueOrThrow({ where: { id } });
  const nodeRpc = () => new BitcoinRpcClient({ ...ctx.options.rpc, wallet: undefined });

  /** A chain of `length` outside transactions, each spending the previous one's only output (the first spends `coin`). */
  async function outsideChain(coin: { txid: string; vout: number; sats: bigint }, length: number): Promise<string[]> {
    const txids: string[] = [];
    for (let i = 0; i < length; i++) {
      const sats = coin.sats - 500n;
      const unsigned = await ctx.outsideRpc.createRawTransaction({ inputs: [{ txid: coin.txid, vout: coin.vout }], outputs: [{ address: await payee(), amountSats: sats }] });
      const { hex } = await ctx.outsideRpc.signRawTransactionWithWallet(unsigned);
      coin = { txid: await ctx.outsideRpc.sendRawTransaction(hex), vout: 0, sats };
      txids.push(coin.txid);
    }
    return txids;
  }

  // src/wallet/rpc/spend.cpp FundTransaction: `throw JSONRPCError(RPC_WALLET_ERROR, ErrorString(txr).original)`, -4
  // "Insufficient funds" from src/wallet/spend.cpp SelectCoins (sendtoaddress answers -6 instead).
  it('8. fails a withdrawal fundrawtransaction cannot fund (-4 "Insufficient funds"), and sends the others', async () => {
    await start();
    const tooMuch = await request(await payee(), 60n * 100_000_000n);
    const fine = await request(await payee(), 100_000n);
    await sender.run();

    expect(await withdrawal(tooMuch)).toMatchObject({ status: 'failed', failureReason: 'insufficient-funds', failureDetail: expect.stringContaining('Insufficient funds') });
    expect((await withdrawal(fine)).status).toBe('broadcast');
    expect(await payloads(withdrawalFailedV1)).toEqual([expect.objectContaining({ withdrawalId: tooMuch, reason: 'insufficient-funds' })]);
    // The refusal the sender met is Core's fundrawtransaction answer, -4 (not sendtoaddress's -6).
    const unsigned = await ctx.gatewayRpc.createRawTransaction({ outputs: [{ address: await payee(), amountSats: 60n * 100_000_000n }] });
    await expect(ctx.gatewayRpc.fundRawTransaction(unsigned)).rejects.toMatchObject({ code: -4, rpcMessage: 'Insufficient funds' });
  });

  // src/validation.cpp MemPoolAccept::PreChecks: "too-long-mempool-chain" from src/txmempool.cpp
  // CalculateAncestorsAndCheckLimits ("too many descendants for tx <txid> [limit: 25]", src/kernel/mempool_limits.h),
  // the CPFP carve-out not applying to a transaction with more than one unconfirmed ancestor.
  it('9. waits for a block when the mempool refuses a signed payout for its unconfirmed chain (-26 too-long-mempool-chain), never failing it', async () => {
    await start({ withdrawals: { ...WITHDRAWALS, batchMax: 1 } });
    const first = await request(await payee(), 100_000n);
    await request(await payee(), 100_000n);
    await sender.run(); // two payouts, the second spending the first's change
    const stuck = await request(await payee(), 100_000n);
    ctx.node.controls.dropMethod('sendrawtransaction', 1);
    await sender.run(); // the third payout (spending the second's change) is signed; its broadcast goes unanswered
    const signed = (await withdrawal(stuck)).payoutId ?? '';
    expect(await payout(signed)).toMatchObject({ status: 'signed', broadcastAttempts: 1 });

    // Somebody paid by the first payout spends it in a chain of 23: with the second payout, the first has 24 descendants.
    const paid = await withdrawal(first);
    const firstTxid = (await payout(paid.payoutId ?? '')).txid;
    await outsideChain({ txid: firstTxid, vout: paid.vout ?? 0, sats: paid.amountSats }, 23);
    expect((await ctx.gatewayRpc.getMempoolEntry(firstTxid)).descendantcount).toBe(25);
    const refusedAt = await ctx.gatewayRpc.getBestBlockHash();
    await sender.run();
    await sender.run();
    expect(await payout(signed)).toMatchObject({
      status: 'signed',
      deferredAtTip: refusedAt,
      broadcastAttempts: 2, // the second run waited for a block instead of sending again
      lastError: expect.stringMatching(/too-long-mempool-chain, too many descendants for tx \w+ \[limit: 25\] \(code -26\)/),
    });
    expect((await withdrawal(stuck)).status).toBe('signed');

    await ctx.mine(1);
    await sender.run();
    expect((await withdrawal(stuck)).status).toBe('broadcast');
    expect(await mempool()).toEqual([(await payout(signed)).txid]);
    expect(await payloads(withdrawalFailedV1)).toEqual([]);
  });

  // src/wallet/spend.cpp AutomaticCoinSelection: the eligibility filters stop at max_ancestors - 1 unconfirmed
  // ancestors, then "Unconfirmed UTXOs are available, but spending them creates a chain of transactions that will be
  // rejected by the mempool", surfaced by fundrawtransaction as -4.
  it('9. waits for a block when the wallet will not fund from a chain the mempool would refuse, never failing the withdrawal', async () => {
    await start({ withdrawals: { ...WITHDRAWALS, batchMax: 1 } });
    const ids: string[] = [];
    for (let i = 0; i < 26; i++) ids.push(await request(await payee(), 100_000n));
    await sender.run();

    const statuses = await Promise.all(ids.map(async (id) => (await withdrawal(id)).status));
    expect(statuses.slice(0, 25)).toEqual(Array(25).fill('broadcast'));
    expect(await withdrawal(ids[25])).toMatchObject({ status: 'queued', failureReason: null, payoutId: null });
    expect((await ctx.gatewayRpc.getMempoolEntry((await payouts())[24].txid)).ancestorcount).toBe(25);
    await sender.run(); // same tip: the sender does not try again
    expect((await withdrawal(ids[25])).status).toBe('queued');

    await ctx.mine(1);
    await sender.run();
    expect((await withdrawal(ids[25])).status).toBe('broadcast');
    expect(await payloads(withdrawalFailedV1)).toEqual([]);
  });

  // src/validation.cpp MemPoolAccept::CheckFeeRate: "mempool min fee not met" against the rolling minimum
  // (src/txmempool.cpp GetMinFee, decaying with a 3-hour half-life of a small mempool once a block has arrived).
  it('9. a signed payout below a risen mempool minimum fee waits for blocks and goes out once the minimum has decayed, never failing', async () => {
    await start();
    const id = await request(await payee(), 100_000n);
    ctx.node.controls.dropMethod('sendrawtransaction', 1);
    await sender.run();
    const signed = (await withdrawal(id)).payoutId ?? '';
    ctx.node.controls.setMempoolMinFee(20_000n); // the payout pays 2 sat/vB

    await sender.run();
    expect(await payout(signed)).toMatchObject({ status: 'signed', lastError: expect.stringContaining('mempool min fee not met') });
    await ctx.mine(1);
    await sender.run(); // a block, but the minimum has not decayed yet: refused again, and waiting again
    expect(await payout(signed)).toMatchObject({ status: 'signed', deferredAtTip: await ctx.gatewayRpc.getBestBlockHash(), lastError: expect.stringContaining('mempool min fee not met') });
    expect(await withdrawal(id)).toMatchObject({ status: 'signed', failureReason: null });

    // A day after that block the minimum is back at the relay floor; the next block lets the payout go again.
    ctx.node.controls.advanceMempoolClock(24 * 3_600);
    const info = await ctx.gatewayRpc.call('getmempoolinfo', [], z.object({ mempoolminfee: z.unknown(), minrelaytxfee: z.unknown() }));
    expect(info.mempoolminfee).toEqual(info.minrelaytxfee);
    await ctx.mine(1);
    await sender.run();
    expect((await withdrawal(id)).status).toBe('broadcast');
    expect(await payloads(withdrawalFailedV1)).toEqual([]);
  });

  // src/wallet/rpc/wallet.cpp unloadwallet, then src/wallet/rpc/util.cpp GetWalletForJSONRPCRequest: -18
  // "Requested wallet does not exist or is not loaded"; loadwallet brings it back.
  it('11. after unloadwallet (as after a Core restart) the gateway loads its wallet: readiness reports it, withdrawals go out', async () => {
    await start();
    await nodeRpc().call('unloadwallet', [GATEWAY_WALLET], z.unknown());
    const listed = () => nodeRpc().call('listwallets', [], z.array(z.string()));
    expect(await listed()).not.toContain(GATEWAY_WALLET);

    expect(await ctx.mod.get(WalletProbe).probe()).toMatchObject({ name: 'bitcoin-wallet', up: true, wallet: GATEWAY_WALLET, encrypted: false });
    expect(await listed()).toContain(GATEWAY_WALLET);

    await nodeRpc().call('unloadwallet', [GATEWAY_WALLET], z.unknown());
    const id = await request(await payee(), 100_000n);
    await sender.run();
    expect((await withdrawal(id)).status).toBe('broadcast');
    expect(await mempool()).toEqual([(await payouts())[0].txid]);

    // A wallet the node cannot load (none of that name): readiness says so, with Core's code.
    const missing = new WalletProbe({ ...ctx.options, rpc: { ...ctx.options.rpc, wallet: 'nobody' } });
    expect(await missing.probe()).toMatchObject({ up: false, error: expect.stringContaining('code -18') });
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
    expect(await payloads(withdrawalFailedV1)).toEqual([]);
    expect((await payouts())[0].lastError).toContain('nothing proves it cannot confirm');

    // A confirmed transaction that is not ours spends its input: now it can never confirm.
    vi.mocked(ctx.gatewayRpc.sendRawTransaction).mockImplementation(send);
    await ctx.gatewayRpc.call('sendtoaddress', [await payee(), '1'], z.string());
    await ctx.mine(1);
    await sender.run();
    expect(await withdrawal(id)).toMatchObject({ status: 'failed', failureReason: 'rejected-by-network', failureDetail: expect.stringContaining('spent by a confirmed transaction') });
    expect(await payloads(withdrawalFailedV1)).toEqual([expect.objectContaining({ withdrawalId: id, reason: 'rejected-by-network' })]);
    expect(await payloads(withdrawalBroadcastV1)).toEqual([]);
  });

  // Eviction: src/txmempool.cpp TrimToSize (the `evict` control) removes the payout and raises the rolling minimum fee;
  // Core's wallet does not resubmit at once. The replacement: src/validation.cpp ReplacementChecks / src/policy/rbf.cpp
  // (here the evicted original is no longer in the mempool, so the bump only has to meet the mempool minimum).
  it('14. re-broadcasts an evicted payout; one kept out for more blocks than configured is bumped (RBF) within maxFeeSats', async () => {
    await start({ withdrawals: { ...WITHDRAWALS, bumpAfterBlocks: 2 } });
    const id = await request(await payee(), 100_000n, 2_000n);
    await sender.run();
    const [old] = await payouts();
    expect(old.broadcastHeight).toBe(await ctx.gatewayRpc.getBlockCount());

    // Evicted: the same bytes go out again.
    expect(ctx.node.controls.evict(old.txid)).toEqual([old.txid]);
    expect(await mempool()).toEqual([]);
    await sender.run();
    expect(await mempool()).toEqual([old.txid]);

    // Evicted by a full mempool whose minimum fee now exceeds the payout's rate: refused, and blocks pass without it.
    ctx.node.controls.setMempoolMinFee(5_000n);
    ctx.node.controls.evict(old.txid);
    ctx.node.controls.setFeeRate(8_000n);
    await sender.run();
    expect(await payouts()).toEqual([expect.objectContaining({ id: old.id, status: 'broadcast', lastError: expect.stringContaining('mempool min fee not met') })]);
    await ctx.mine(2);
    await sender.run();

    const [replaced, bump] = await payouts();
    expect(replaced).toMatchObject({ id: old.id, status: 'replaced' });
    expect(bump).toMatchObject({ status: 'broadcast', replacesId: old.id });
    expect((bump.feeSats * 1000n) / BigInt(bump.vsize)).toBeGreaterThanOrEqual(5_000n);
    expect(await withdrawal(id)).toMatchObject({ status: 'broadcast', payoutId: bump.id });
    expect((await withdrawal(id)).feeSats ?? 0n).toBeLessThanOrEqual(2_000n);
    expect(await mempool()).toEqual([bump.txid]);
    await ctx.mine(1);
    await sender.run();
    expect((await withdrawal(id)).status).toBe('confirmed');
  });

  // src/policy/rbf.cpp PaysForRBF / src/validation.cpp ReplacementChecks: a replacement must pay at least what it evicts,
  // the payee's child included ("insufficient fee ... less fees than conflicting txs"), so the payout is not replaced.
  // src/txmempool.cpp ancestor fee rates (getmempoolentry fees.ancestor / ancestorsize): a child spending its change
  // pays for both.
  it('14. CPFP where RBF cannot be used: the payee already spends its output, so a child spends our change and pays for the package, within maxFeeSats', async () => {
    await start({ withdrawals: { ...WITHDRAWALS, bumpAfterBlocks: 2 } });
    const reserves = ctx.mod.get(ReservesCheck);
    expect(await reserves.run()).toMatchObject({ status: 'ok' }); // the opening balance
    const id = await request(await payee(), 100_000n, 5_000n);
    await sender.run();
    const [parent] = await payouts();
    const paid = await withdrawal(id);
    const [payeeSpend] = await outsideChain({ txid: parent.txid, vout: paid.vout ?? 0, sats: paid.amountSats }, 1);

    // Two blocks come without them (a reorg keeps them out): the payout is stuck, and replacing it is not possible.
    await ctx.mine(1);
    ctx.node.controls.reorg({ depth: 1, exclude: [parent.txid, payeeSpend] });
    ctx.node.controls.setFeeRate(10_000n);
    await sender.run();

    const [stuck, child] = await payouts();
    expect(stuck).toMatchObject({ id: parent.id, status: 'broadcast', paysForId: null });
    expect(child).toMatchObject({ status: 'broadcast', paysForId: parent.id });
    const entry = await ctx.gatewayRpc.getMempoolEntry(child.txid);
    expect(entry).toMatchObject({ ancestorcount: 2, depends: [parent.txid] });
    expect((entry.fees.ancestor * 1000n) / BigInt(entry.ancestorsize)).toBeGreaterThanOrEqual(9_900n); // 10 sat/vB, give or take a vbyte
    expect(entry.fees.ancestor).toBe(parent.feeSats + child.feeSats);
    expect(await withdrawal(id)).toMatchObject({ status: 'broadcast', payoutId: parent.id, feeSats: parent.feeSats + child.feeSats });
    expect(parent.feeSats + child.feeSats).toBeLessThanOrEqual(5_000n);
    expect((await mempool()).sort()).toEqual([parent.txid, payeeSpend, child.txid].sort());

    await ctx.mine(1);
    await sender.run();
    expect(await withdrawal(id)).toMatchObject({ status: 'confirmed', feeSats: parent.feeSats + child.feeSats });
    expect((await payouts()).map((p) => p.status)).toEqual(['confirmed', 'confirmed']);
    expect(await payloads(withdrawalConfirmedV1)).toEqual([expect.objectContaining({ withdrawalId: id, feeSats: `${parent.feeSats + child.feeSats}` })]);
    // The records know what the child cost: the wallet holds what they say.
    expect(await reserves.run()).toMatchObject({ status: 'ok', differenceSats: 0n });
  });

  it('14. CPFP stays within maxFeeSats: the child pays only what the withdrawal allows of the package fee', async () => {
    await start({ withdrawals: { ...WITHDRAWALS, bumpAfterBlocks: 2 } });
    const id = await request(await payee(), 100_000n, 1_000n);
    await sender.run();
    const [parent] = await payouts();
    const paid = await withdrawal(id);
    const [payeeSpend] = await outsideChain({ txid: parent.txid, vout: paid.vout ?? 0, sats: paid.amountSats }, 1);
    await ctx.mine(1);
    ctx.node.controls.reorg({ depth: 1, exclude: [parent.txid, payeeSpend] });
    ctx.node.controls.setFeeRate(50_000n);
    await sender.run();

    const [, child] = await payouts();
    expect(child).toMatchObject({ status: 'broadcast', paysForId: parent.id });
    expect(parent.feeSats + child.feeSats).toBe(1_000n);
    expect((await withdrawal(id)).feeSats).toBe(1_000n);
  });
});
