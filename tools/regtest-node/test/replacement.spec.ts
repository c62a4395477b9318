import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTERNAL_ADDRESS, formatBtc, type RunningRegtestNode } from '../src/index';
import { expectRpcError, signedTx, spendTo, startFundedNode, walletCoins, type Rpc, type TestCoin } from './helpers';

/** CFeeRate(fee, vsize).ToString(): sat/kvB truncated, shown as BTC/kvB. */
const feeRate = (fee: bigint, vsize: number) => {
  const perKvB = (fee * 1000n) / BigInt(vsize);
  return `${formatBtc(perKvB)} BTC/kvB`;
};
/** FormatMoney: at least two decimals. */
const money = (sats: bigint) => formatBtc(sats).replace(/(\.\d\d\d*?)0+$/, '$1');

// Bitcoin Core 29 replaces any mempool transaction (full RBF is the default since 28; -mempoolfullrbf is gone) under
// src/validation.cpp MemPoolAccept::ReplacementChecks and src/policy/rbf.cpp: PaysMoreThanConflicts (a higher fee rate
// than each direct conflict), GetEntriesForConflicts (at most 100 evicted), HasNoNewUnconfirmed, PaysForRBF (fees of
// all evicted transactions plus -incrementalrelayfee × its own size).
describe('replacement (point 3)', () => {
  let node: RunningRegtestNode;
  let rpc: Rpc;
  let self: string;
  let coins: TestCoin[];

  beforeAll(async () => {
    ({ node, rpc } = await startFundedNode());
    self = await rpc<string>('getnewaddress');
    await rpc('generatetoaddress', [10, self]);
    coins = await walletCoins(rpc);
  });
  afterAll(() => node.close());

  it('refuses a replacement paying more in total but at a lower fee rate than the transaction it replaces', async () => {
    const [coin, extra] = [coins[0], coins[1]];
    const original = await spendTo(rpc, coin, EXTERNAL_ADDRESS, 3_000n);
    // Two inputs and two outputs: a higher absolute fee (4,000) over a much larger size.
    const bigger = await signedTx(rpc, [coin, extra], [[EXTERNAL_ADDRESS, coin.sats - 1_000_000n], [self, extra.sats + 1_000_000n - 4_000n]]);
    await expectRpcError(
      rpc('sendrawtransaction', [bigger.hex]),
      -26,
      `insufficient fee, rejecting replacement ${bigger.txid}; new feerate ${feeRate(4_000n, bigger.vsize)} <= old feerate ${feeRate(3_000n, original.vsize)}`,
    );
    expect(await rpc('getrawmempool')).toContain(original.txid);
  });

  it('counts the fees of the descendants it evicts: "less fees than conflicting txs", then "not enough additional fees to relay"', async () => {
    const coin = coins[2];
    const parent = await spendTo(rpc, coin, self, 2_000n);
    const child = await spendTo(rpc, parent, EXTERNAL_ADDRESS, 20_000n);
    // A higher fee rate than the parent, but less than parent + child together.
    const cheap = await signedTx(rpc, [coin], [[EXTERNAL_ADDRESS, coin.sats - 10_000n]]);
    await expectRpcError(
      rpc('sendrawtransaction', [cheap.hex]),
      -26,
      `insufficient fee, rejecting replacement ${cheap.txid}, less fees than conflicting txs; ${money(10_000n)} < ${money(22_000n)}`,
    );
    const justEnough = await signedTx(rpc, [coin], [[EXTERNAL_ADDRESS, coin.sats - 22_000n - 50n]]);
    await expectRpcError(
      rpc('sendrawtransaction', [justEnough.hex]),
      -26,
      `insufficient fee, rejecting replacement ${justEnough.txid}, not enough additional fees to relay; ${money(50n)} < ${money(BigInt(justEnough.vsize))}`,
    );
    const replacement = await signedTx(rpc, [coin], [[EXTERNAL_ADDRESS, coin.sats - 22_000n - BigInt(justEnough.vsize)]]);
    expect(await rpc('sendrawtransaction', [replacement.hex])).toBe(replacement.txid);
    const mempool = await rpc<string[]>('getrawmempool');
    expect(mempool).toContain(replacement.txid);
    expect(mempool).not.toContain(parent.txid);
    expect(mempool).not.toContain(child.txid);
  });

  it('refuses a replacement adding an unconfirmed input: "replacement-adds-unconfirmed"', async () => {
    const [coin, other] = [coins[3], coins[4]];
    await spendTo(rpc, coin, EXTERNAL_ADDRESS, 1_000n);
    const unrelated = await spendTo(rpc, other, self, 1_000n);
    const replacement = await signedTx(rpc, [coin, unrelated], [[EXTERNAL_ADDRESS, coin.sats + unrelated.sats - 100_000n]]);
    await expectRpcError(rpc('sendrawtransaction', [replacement.hex]), -26, `replacement-adds-unconfirmed, replacement ${replacement.txid} adds unconfirmed input, idx 1`);
  });

  it('refuses to evict more than 100 transactions: "too many potential replacements (105 > 100)"', async () => {
    const roots = coins.slice(5, 10);
    for (const root of roots) {
      let tip = await spendTo(rpc, root, self, 1_000n);
      for (let i = 0; i < 20; i++) tip = await spendTo(rpc, tip, self, 1_000n);
    }
    const total = roots.reduce((s, c) => s + c.sats, 0n);
    const replacement = await signedTx(rpc, roots, [[EXTERNAL_ADDRESS, total - 10_000_000n]]);
    await expectRpcError(
      rpc('sendrawtransaction', [replacement.hex]),
      -26,
      `too many potential replacements, rejecting replacement ${replacement.txid}; too many potential replacements (105 > 100)`,
    );
  });
});
