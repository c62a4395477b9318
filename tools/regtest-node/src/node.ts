import { Chain, COINBASE_MATURITY, type Block, type Coin } from './chain';
import { dataCarrierProblem } from './data-carrier';
import { Mempool } from './mempool';
import { RpcError, RPC } from './rpc/errors';
import { outpointKey, type DecodedTx } from './tx';
import type { Wallet } from './wallet';

export const MIN_RELAY_SAT_PER_KVB = 1000n;
export const DEFAULT_MAX_FEERATE_SAT_PER_KVB = 10_000_000n;

/** Core's FormatMoney: at least two decimals, trailing zeros trimmed. */
export function formatMoney(sats: bigint): string {
  const negative = sats < 0n;
  const abs = negative ? -sats : sats;
  const text = `${negative ? '-' : ''}${abs / 100_000_000n}.${(abs % 100_000_000n).toString().padStart(8, '0')}`;
  return text.replace(/(\.\d\d\d*?)0+$/, '$1');
}

export interface TxLookup {
  tx: DecodedTx;
  block?: Block;
  index?: number;
}

/** The node: chain, mempool and loaded wallets, with Core's acceptance and reorg rules. */
export class RegtestNode {
  readonly chain = new Chain();
  readonly mempool = new Mempool();
  readonly wallets = new Map<string, Wallet>();
  /** Fee rate estimatesmartfee answers (sat/kvB), or null for "Insufficient data or no feerate found". */
  feeEstimate: bigint | null = null;
  mockTime: number | null = null;

  now(): number {
    return this.mockTime ?? Math.floor(Date.now() / 1000);
  }

  /** A coin from the chain or an unconfirmed mempool output (height = tip + 1, as Core's mempool coin view). */
  findCoin(txid: string, vout: number): Coin | undefined {
    const coin = this.chain.utxo.get(outpointKey(txid, vout));
    if (coin) return coin;
    const parent = this.mempool.get(txid)?.tx;
    const out = parent?.outputs[vout];
    return out && { txid, vout, value: out.value, script: out.script, height: this.chain.height + 1, coinbase: false };
  }

  lookupTx(txid: string): TxLookup | undefined {
    const entry = this.mempool.get(txid);
    if (entry) return { tx: entry.tx };
    const loc = this.chain.txIndex.get(txid);
    return loc && { tx: loc.block.txs[loc.index], block: loc.block, index: loc.index };
  }

  private notifyWallets(tx: DecodedTx): void {
    for (const wallet of this.wallets.values()) wallet.observe(tx);
  }

  /** Core's AcceptToMemoryPool for the rules a wallet gateway meets; returns the fee. */
  acceptToMempool(tx: DecodedTx, maxFeeRate: bigint | null = null): bigint {
    if (tx.isCoinbase) throw new RpcError(RPC.VERIFY_REJECTED, 'coinbase');
    if (tx.outputs.length === 0) throw new RpcError(RPC.VERIFY_REJECTED, 'bad-txns-vout-empty');
    const nonStandard = dataCarrierProblem(tx.outputs);
    if (nonStandard) throw new RpcError(RPC.VERIFY_REJECTED, nonStandard);
    let inValue = 0n;
    const conflicts = new Set<string>();
    for (const input of tx.inputs) {
      const coin = this.findCoin(input.txid, input.vout);
      if (!coin) throw new RpcError(RPC.VERIFY_ERROR, 'bad-txns-inputs-missingorspent');
      if (coin.coinbase && this.chain.height + 1 - coin.height < COINBASE_MATURITY) {
        throw new RpcError(RPC.VERIFY_REJECTED, 'bad-txns-premature-spend-of-coinbase');
      }
      const spender = this.mempool.spends.get(outpointKey(input.txid, input.vout));
      if (spender) conflicts.add(spender);
      inValue += coin.value;
    }
    const outValue = tx.outputs.reduce((s, o) => s + o.value, 0n);
    if (inValue < outValue) throw new RpcError(RPC.VERIFY_REJECTED, 'bad-txns-in-belowout');
    const fee = inValue - outValue;
    const minFee = (BigInt(tx.vsize) * MIN_RELAY_SAT_PER_KVB) / 1000n;
    if (fee < minFee) throw new RpcError(RPC.VERIFY_REJECTED, `min relay fee not met, ${fee} < ${minFee}`);
    if (maxFeeRate !== null && maxFeeRate > 0n && fee > (BigInt(tx.vsize) * maxFeeRate) / 1000n) {
      throw new RpcError(RPC.VERIFY_ERROR, 'Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)');
    }
    if (conflicts.size > 0) {
      // Full RBF (Core 28+ default): the replacement must pay for the replaced transactions plus its own relay.
      let replacedFees = 0n;
      for (const txid of conflicts) replacedFees += this.mempool.get(txid)?.fee ?? 0n;
      const first = [...conflicts][0];
      if (fee < replacedFees) {
        throw new RpcError(
          RPC.VERIFY_REJECTED,
          `insufficient fee, rejecting replacement ${tx.txid}, less fees than conflicting txs; ${formatMoney(fee)} < ${formatMoney(replacedFees)}`,
        );
      }
      if (fee - replacedFees < minFee) {
        throw new RpcError(
          RPC.VERIFY_REJECTED,
          `insufficient fee, rejecting replacement ${tx.txid}, not enough additional fees to relay; ${formatMoney(fee - replacedFees)} < ${formatMoney(minFee)}`,
        );
      }
      for (const txid of conflicts) {
        for (const removed of this.mempool.removeWithDescendants(txid)) {
          for (const wallet of this.wallets.values()) wallet.markReplaced(removed, removed === first || conflicts.has(removed) ? tx.txid : undefined);
        }
      }
    }
    this.mempool.add({ tx, fee, time: this.now(), height: this.chain.height });
    this.notifyWallets(tx);
    return fee;
  }

  /** Core's BroadcastTransaction: idempotent for a mempool tx, -27 when its outputs are already confirmed. */
  broadcast(tx: DecodedTx, maxFeeRate: bigint | null): string {
    if (this.mempool.has(tx.txid)) return tx.txid;
    for (let vout = 0; vout < tx.outputs.length; vout++) {
      if (this.chain.utxo.has(outpointKey(tx.txid, vout))) {
        throw new RpcError(RPC.VERIFY_ALREADY_IN_UTXO_SET, 'Transaction outputs already in utxo set');
      }
    }
    this.acceptToMempool(tx, maxFeeRate);
    return tx.txid;
  }

  /** Mines `count` blocks paying `script`, each taking the mempool except `exclude`. */
  mine(count: number, script: Uint8Array, exclude: ReadonlySet<string> = new Set()): string[] {
    const hashes: string[] = [];
    for (let i = 0; i < count; i++) {
      const taken = [...this.mempool.entries.values()].filter((e) => !exclude.has(e.tx.txid));
      const included = new Set<string>();
      const txs = taken.filter((e) => {
        // A child of an excluded transaction cannot be mined either.
        const ok = e.tx.inputs.every((inp) => !this.mempool.has(inp.txid) || included.has(inp.txid));
        if (ok) included.add(e.tx.txid);
        return ok;
      });
      const fees = txs.reduce((s, e) => s + e.fee, 0n);
      const block = this.chain.createBlock(this.chain.tip, txs.map((e) => e.tx), fees, script, this.now());
      const reason = this.chain.connect(block);
      if (reason) throw new RpcError(RPC.MISC_ERROR, `CreateNewBlock: TestBlockValidity failed: ${reason}`);
      for (const e of txs) {
        this.mempool.entries.delete(e.tx.txid);
        for (const inp of e.tx.inputs) this.mempool.spends.delete(outpointKey(inp.txid, inp.vout));
      }
      this.mempool.sequence++;
      for (const tx of block.txs) this.notifyWallets(tx);
      hashes.push(block.hash);
    }
    return hashes;
  }

  /** After a chain switch: disconnected transactions go back to the mempool, which is then re-validated against the new chain. */
  private resyncMempool(disconnected: Block[], connected: Block[], drop: ReadonlySet<string> = new Set()): void {
    for (const block of connected) for (const tx of block.txs) this.notifyWallets(tx);
    const previous = this.mempool.clear();
    const candidates = [...disconnected.reverse().flatMap((b) => b.txs.filter((t) => !t.isCoinbase)), ...previous.map((e) => e.tx)];
    for (const tx of candidates) {
      if (drop.has(tx.txid) || this.chain.txIndex.has(tx.txid) || this.mempool.has(tx.txid)) continue;
      try {
        this.acceptToMempool(tx);
      } catch {
        // Conflicts with the new chain or lost its inputs: Core drops it from the mempool too.
      }
    }
  }

  invalidateBlock(hash: string): void {
    const block = this.chain.blocks.get(hash);
    if (!block) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, 'Block not found');
    if (block.height === 0) throw new RpcError(RPC.MISC_ERROR, 'Cannot invalidate the genesis block');
    this.chain.invalid.add(hash);
    const disconnected: Block[] = [];
    while (this.chain.height >= block.height && this.chain.active[block.height]?.hash === hash) disconnected.push(this.chain.disconnectTip());
    const switched = this.chain.activateBestChain();
    this.resyncMempool([...disconnected, ...switched.disconnected], switched.connected);
  }

  reconsiderBlock(hash: string): void {
    const block = this.chain.blocks.get(hash);
    if (!block) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, 'Block not found');
    for (const b of this.chain.blocks.values()) {
      let a: Block | undefined = b;
      while (a && a.hash !== hash) a = a.prevHash ? this.chain.blocks.get(a.prevHash) : undefined;
      if (a) this.chain.invalid.delete(b.hash);
    }
    for (let a: Block | undefined = block; a; a = a.prevHash ? this.chain.blocks.get(a.prevHash) : undefined) this.chain.invalid.delete(a.hash);
    const switched = this.chain.activateBestChain();
    this.resyncMempool(switched.disconnected, switched.connected);
  }

  /**
   * Replaces the top `depth` blocks by `depth + 1` new ones. Transactions of the old blocks return to the mempool
   * (those in `drop` are dropped); `exclude` stays out of the new blocks; `beforeMine` may add conflicting transactions.
   */
  reorg(depth: number, script: Uint8Array, opts: { exclude?: string[]; drop?: string[]; beforeMine?: () => void } = {}): string[] {
    if (depth < 1 || depth > this.chain.height) throw new RpcError(RPC.INVALID_PARAMETER, `reorg depth must be 1..${this.chain.height}`);
    const disconnected: Block[] = [];
    for (let i = 0; i < depth; i++) disconnected.push(this.chain.disconnectTip());
    // The stale branch must not win back: a longer new branch outweighs it.
    this.resyncMempool(disconnected, [], new Set(opts.drop ?? []));
    opts.beforeMine?.();
    return this.mine(depth + 1, script, new Set(opts.exclude ?? []));
  }

  /** Mines a conflicting transaction in place of mempool transaction `txid`. */
  doubleSpend(conflict: DecodedTx, script: Uint8Array): string[] {
    this.acceptToMempool(conflict);
    return this.mine(1, script);
  }

  spentInMempool(txid: string, vout: number): boolean {
    return this.mempool.spends.has(outpointKey(txid, vout));
  }
}
