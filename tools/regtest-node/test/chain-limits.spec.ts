import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXTERNAL_ADDRESS, type RunningRegtestNode } from '../src/index';
import { expectRpcError, signedTx, spendTo, startFundedNode, walletCoins, type Rpc, type TestCoin } from './helpers';

type Entry = {
  ancestorcount: number;
  ancestorsize: number;
  descendantcount: number;
  descendantsize: number;
  vsize: number;
  fees: { base: number; ancestor: number; descendant: number };
  depends: string[];
  spentby: string[];
};
const sats = (btc: number): number => Math.round(btc * 1e8);

// Bitcoin Core 29: src/kernel/mempool_limits.h (-limitancestorcount/-limitdescendantcount 25, 101 kvB), src/txmempool.cpp
// CalculateAncestorsAndCheckLimits (its messages and order), src/validation.cpp PreChecks ("too-long-mempool-chain" and
// the CPFP carve-out), src/wallet/spend.cpp AutomaticCoinSelection (eligibility filters, the long-chain message).
describe('mempool chain limits (point 2)', () => {
  let node: RunningRegtestNode;
  let rpc: Rpc;
  let self: string;

  beforeEach(async () => {
    ({ node, rpc } = await startFundedNode());
    self = await rpc<string>('getnewaddress');
  });
  afterEach(() => node.close());

  async function chain(length: number): Promise<(TestCoin & { vsize: number })[]> {
    const txs = [];
    let coin: TestCoin = (await walletCoins(rpc))[0];
    for (let i = 0; i < length; i++) {
      const next = await spendTo(rpc, coin, self, 1_000n);
      txs.push(next);
      coin = next;
    }
    return txs;
  }

  it('accepts 25 unconfirmed ancestors and refuses the 26th: -26 "too-long-mempool-chain, too many unconfirmed ancestors [limit: 25]"', async () => {
    const txs = await chain(25);
    const last = txs[24];
    const tx26 = await signedTx(rpc, [last], [[self, last.sats - 1_000n]]);
    await expectRpcError(rpc('sendrawtransaction', [tx26.hex]), -26, 'too-long-mempool-chain, too many unconfirmed ancestors [limit: 25]');
    await rpc('generatetoaddress', [1, EXTERNAL_ADDRESS]);
    expect(await rpc('sendrawtransaction', [tx26.hex])).toBe(tx26.txid);
  });

  it('getmempoolentry counts ancestors and descendants, sizes and fees, transitively', async () => {
    const [a, b, c] = await chain(3);
    const entry = (txid: string) => rpc<Entry>('getmempoolentry', [txid]);
    const [ea, eb, ec] = [await entry(a.txid), await entry(b.txid), await entry(c.txid)];
    expect([ea.ancestorcount, eb.ancestorcount, ec.ancestorcount]).toEqual([1, 2, 3]);
    expect([ea.descendantcount, eb.descendantcount, ec.descendantcount]).toEqual([3, 2, 1]);
    expect(ec.ancestorsize).toBe(a.vsize + b.vsize + c.vsize);
    expect(ea.descendantsize).toBe(a.vsize + b.vsize + c.vsize);
    expect(sats(ec.fees.ancestor)).toBe(3_000);
    expect(sats(ea.fees.descendant)).toBe(3_000);
    expect(sats(eb.fees.descendant)).toBe(2_000);
    expect(eb.depends).toEqual([a.txid]);
    expect(eb.spentby).toEqual([c.txid]);
  });

  it('refuses the 26th descendant of one transaction after the one-transaction CPFP carve-out: "too many descendants for tx <parent> [limit: 25]"', async () => {
    const [coin] = await walletCoins(rpc);
    const outputs: [string, bigint][] = Array.from({ length: 30 }, () => [self, 1_000_000n]);
    const parent = await signedTx(rpc, [coin], [...outputs, [self, coin.sats - 30_000_000n - 50_000n]]);
    await rpc('sendrawtransaction', [parent.hex]);
    const child = (vout: number) => signedTx(rpc, [{ txid: parent.txid, vout }], [[EXTERNAL_ADDRESS, 1_000_000n - 500n]]);
    for (let vout = 0; vout < 24; vout++) await rpc('sendrawtransaction', [(await child(vout)).hex]);
    expect((await rpc<Entry>('getmempoolentry', [parent.txid])).descendantcount).toBe(25);
    // The carve-out: a small transaction whose only unconfirmed ancestor is the parent may exceed the limit by one.
    await rpc('sendrawtransaction', [(await child(24)).hex]);
    expect((await rpc<Entry>('getmempoolentry', [parent.txid])).descendantcount).toBe(26);
    await expectRpcError(rpc('sendrawtransaction', [(await child(25)).hex]), -26, `too-long-mempool-chain, too many descendants for tx ${parent.txid} [limit: 25]`);
  });

  it('refuses a chain over 101 kvB: "exceeds descendant size limit for tx <root> [limit: 101000]" (checked before the ancestor size)', async () => {
    const [coin] = await walletCoins(rpc);
    const filler = (n: number): [string, bigint][] => Array.from({ length: n }, () => [EXTERNAL_ADDRESS, 1_000n]);
    const a = await signedTx(rpc, [coin], [[self, coin.sats - 2_000_000n], ...filler(1500)]);
    await rpc('sendrawtransaction', [a.hex]);
    const aOut = { txid: a.txid, vout: 0, sats: coin.sats - 2_000_000n };
    const b = await signedTx(rpc, [aOut], [[self, aOut.sats - 2_000_000n], ...filler(1500)]);
    await rpc('sendrawtransaction', [b.hex]);
    expect((await rpc<Entry>('getmempoolentry', [a.txid])).descendantsize).toBe(a.vsize + b.vsize);
    const bOut = { txid: b.txid, vout: 0, sats: aOut.sats - 2_000_000n };
    const c = await signedTx(rpc, [bOut], [[self, bOut.sats - 500_000n], ...filler(300)]);
    expect(a.vsize + b.vsize + c.vsize).toBeGreaterThan(101_000);
    await expectRpcError(rpc('sendrawtransaction', [c.hex]), -26, `too-long-mempool-chain, exceeds descendant size limit for tx ${a.txid} [limit: 101000]`);
  });

  it('the wallet does not fund from a chain that would be too long: -6 / -4 with Core\'s message, and funds again after a block', async () => {
    for (let i = 0; i < 25; i++) await rpc('sendtoaddress', [self, 0.01]);
    const message = 'Unconfirmed UTXOs are available, but spending them creates a chain of transactions that will be rejected by the mempool';
    await expectRpcError(rpc('sendtoaddress', [EXTERNAL_ADDRESS, 1]), -6, message);
    const raw = await rpc<string>('createrawtransaction', [[], { [EXTERNAL_ADDRESS]: 1 }]);
    await expectRpcError(rpc('fundrawtransaction', [raw]), -4, message);
    expect(await rpc<string[]>('getrawmempool')).toHaveLength(25);
    await rpc('generatetoaddress', [1, EXTERNAL_ADDRESS]);
    expect(await rpc('sendtoaddress', [EXTERNAL_ADDRESS, 1])).toMatch(/^[0-9a-f]{64}$/);
  });
});
