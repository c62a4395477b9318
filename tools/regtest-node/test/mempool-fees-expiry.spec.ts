import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTERNAL_ADDRESS, type RunningRegtestNode } from '../src/index';
import { expectRpcError, signedTx, spendTo, startFundedNode, walletCoins, type Rpc } from './helpers';

type MempoolInfo = { size: number; mempoolminfee: number; minrelaytxfee: number; incrementalrelayfee: number };
type WalletTx = { confirmations: number; trusted?: boolean; details: { category: string }[] };
type Balances = { mine: { trusted: number; untrusted_pending: number } };

// Bitcoin Core 29: src/validation.cpp MemPoolAccept::CheckFeeRate ("mempool min fee not met" against
// CTxMemPool::GetMinFee, then "min relay fee not met" against -minrelaytxfee 1 sat/vB), CTxMemPool::Expire
// (-mempoolexpiry 336 h, run by LimitMempoolSize on every acceptance), CTxMemPool::TrimToSize (evicts a package, raises
// the rolling minimum), src/rpc/mempool.cpp getmempoolinfo/getmempoolentry, src/wallet/receive.cpp CachedTxIsTrusted.
describe('mempool minimum fee, expiry and eviction (point 7)', () => {
  let node: RunningRegtestNode;
  let rpc: Rpc;
  let self: string;

  beforeAll(async () => {
    ({ node, rpc } = await startFundedNode());
    self = await rpc<string>('getnewaddress');
    await rpc('generatetoaddress', [5, self]);
  });
  afterAll(() => node.close());

  it('refuses a fee under -minrelaytxfee: -26 "min relay fee not met, <fee> < <min>"', async () => {
    const [coin] = await walletCoins(rpc);
    const probe = await signedTx(rpc, [coin], [[EXTERNAL_ADDRESS, coin.sats - 1_000n]]);
    const cheap = await signedTx(rpc, [coin], [[EXTERNAL_ADDRESS, coin.sats - BigInt(probe.vsize) + 1n]]);
    await expectRpcError(rpc('sendrawtransaction', [cheap.hex]), -26, `min relay fee not met, ${cheap.vsize - 1} < ${cheap.vsize}`);
    expect(await rpc<MempoolInfo>('getmempoolinfo')).toMatchObject({ mempoolminfee: 0.00001, minrelaytxfee: 0.00001, incrementalrelayfee: 0.00001 });
  });

  it('a raised mempool minimum (mempoolminfee control) refuses cheaper transactions: "mempool min fee not met", and the wallet pays it', async () => {
    node.controls.setMempoolMinFee(5_000n);
    try {
      expect((await rpc<MempoolInfo>('getmempoolinfo')).mempoolminfee).toBe(0.00005);
      const [coin] = await walletCoins(rpc);
      const probe = await signedTx(rpc, [coin], [[EXTERNAL_ADDRESS, coin.sats - 1_000n]]);
      const cheap = await signedTx(rpc, [coin], [[EXTERNAL_ADDRESS, coin.sats - 2n * BigInt(probe.vsize)]]);
      await expectRpcError(rpc('sendrawtransaction', [cheap.hex]), -26, `mempool min fee not met, ${2 * cheap.vsize} < ${5 * cheap.vsize}`);
      // GetMinimumFeeRate: estimates and the fallback are raised to the mempool minimum; an explicit lower rate is refused.
      await expectRpcError(
        rpc('sendtoaddress', { address: EXTERNAL_ADDRESS, amount: 0.1, fee_rate: 2 }),
        -6,
        'Fee rate (2.000 sat/vB) is lower than the minimum fee rate setting (5.000 sat/vB)',
      );
      node.controls.setFeeRate(1_000n);
      const txid = await rpc<string>('sendtoaddress', [EXTERNAL_ADDRESS, 0.1]);
      const entry = await rpc<{ vsize: number; fees: { base: number } }>('getmempoolentry', [txid]);
      expect(Math.round(entry.fees.base * 1e8)).toBeGreaterThanOrEqual(entry.vsize * 5);
    } finally {
      node.controls.setFeeRate(null);
      node.controls.setMempoolMinFee(0n);
    }
    expect((await rpc<MempoolInfo>('getmempoolinfo')).mempoolminfee).toBe(0.00001);
  });

  it('the rolling minimum decays once a block has arrived (half-life of a small mempool, 3 h)', async () => {
    node.controls.setMempoolMinFee(8_000n);
    node.controls.advanceMempoolClock(3 * 60 * 60);
    expect((await rpc<MempoolInfo>('getmempoolinfo')).mempoolminfee).toBe(0.00008);
    await rpc('generatetoaddress', [1, EXTERNAL_ADDRESS]);
    node.controls.advanceMempoolClock(3 * 60 * 60);
    expect((await rpc<MempoolInfo>('getmempoolinfo')).mempoolminfee).toBe(0.00004);
    node.controls.advanceMempoolClock(24 * 60 * 60);
    expect((await rpc<MempoolInfo>('getmempoolinfo')).mempoolminfee).toBe(0.00001);
  });

  it('expires a transaction and its descendants after -mempoolexpiry (336 h) on the mempool clock', async () => {
    const [coin] = await walletCoins(rpc);
    const parent = await spendTo(rpc, coin, self, 1_000n);
    const child = await spendTo(rpc, parent, EXTERNAL_ADDRESS, 1_000n);
    const parentHex = await rpc<string>('getrawtransaction', [parent.txid]);
    expect(node.controls.advanceMempoolClock(335 * 60 * 60)).toEqual([]);
    expect(await rpc('getrawmempool')).toEqual(expect.arrayContaining([parent.txid, child.txid]));
    expect(node.controls.advanceMempoolClock(60 * 60 + 1)).toEqual([parent.txid, child.txid]);
    await expectRpcError(rpc('getmempoolentry', [parent.txid]), -5, 'Transaction not in mempool');
    // Broadcasting it again is accepted (its inputs are still unspent on chain).
    expect(await rpc('sendrawtransaction', [parentHex])).toBe(parent.txid);
  });

  it('evict: the transaction and its descendants leave the mempool; the wallet keeps it unconfirmed, untrusted, its inputs spent', async () => {
    await rpc('generatetoaddress', [1, EXTERNAL_ADDRESS]);
    const before = await rpc<Balances>('getbalances');
    const txid = await rpc<string>('sendtoaddress', [EXTERNAL_ADDRESS, 1]);
    const hexTx = await rpc<string>('getrawtransaction', [txid]);
    const sent = await rpc<{ vout: { value: number; n: number; scriptPubKey: { address: string } }[] }>('getrawtransaction', [txid, 1]);
    const change = sent.vout.find((o) => o.scriptPubKey.address !== EXTERNAL_ADDRESS) ?? expect.unreachable('change');
    const { txid: childTxid } = await spendTo(rpc, { txid, vout: change.n, sats: BigInt(Math.round(change.value * 1e8)) }, EXTERNAL_ADDRESS, 1_000n);
    expect(node.controls.evict(txid)).toEqual([txid, childTxid]);
    await expectRpcError(rpc('getmempoolentry', [txid]), -5, 'Transaction not in mempool');
    const tx = await rpc<WalletTx>('gettransaction', [txid]);
    expect(tx).toMatchObject({ confirmations: 0, trusted: false });
    expect(tx.details.map((d) => d.category)).toEqual(['send']);
    // CWallet::IsSpent: an unconfirmed spend outside the mempool still spends its inputs until it is abandoned.
    const after = await rpc<Balances>('getbalances');
    expect(after.mine.trusted).toBeLessThan(before.mine.trusted - 1);
    await rpc('abandontransaction', [childTxid]);
    await rpc('abandontransaction', [txid]);
    expect((await rpc<Balances>('getbalances')).mine.trusted).toBe(before.mine.trusted);
    // Over HTTP: POST /control/evict {txid}.
    expect(await rpc('sendrawtransaction', [hexTx])).toBe(txid);
    const res = await fetch(`${node.url}/control/evict`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${node.controlCredentials.user}:${node.controlCredentials.password}`).toString('base64')}` },
      body: JSON.stringify({ txid }),
    });
    expect(await res.json()).toEqual({ result: [txid] });
  });
});
