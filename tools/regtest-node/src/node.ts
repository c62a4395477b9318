import { Chain, COINBASE_MATURITY, type Block, type Coin } from './chain';
import { dataCarrierProblem } from './data-carrier';
import { compareTxids, Mempool } from './mempool';
import { chainLimitError, rejected, replacementChecks, RollingMinFee, type ChainLimits } from './mempool-policy';
import {
  CHAIN_LIMITS,
  DEFAULT_MEMPOOL_EXPIRY_HOURS,
  EXTRA_DESCENDANT_TX_SIZE_LIMIT,
  feeAt,
  isDust,
  MAX_DUST_OUTPUTS_PER_TX,
  MIN_RELAY_SAT_PER_KVB,
} from './policy';
import { RpcError, RPC } from './rpc/errors';
import { outpointKey, type DecodedTx } from './tx';
import type { Wallet } from './wallet';

/** sendrawtransaction's default maxfeerate (0.10 BTC/kvB). */
export const DEFAULT_MAX_FEERATE_SAT_PER_KVB = 10_000_000n;

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
  /** Wallets that exist but are not loaded (unloadwallet), by name. */
  readonly unloadedWallets = new Map<string, Wallet>();
  /** Fee rate estimatesmartfee answers (sat/kvB), or null for "Insufficient data or no feerate found". */
  feeEstimate: bigint | null = null;
  mockTime: number | null = null;
  /** -mempoolexpiry in seconds. */
  mempoolExpirySeconds = DEFAULT_MEMPOOL_EXPIRY_HOURS * 60 * 60;
  /** Seconds the mempool's clock runs ahead of the node's (the expiry control). */
  mempoolClockOffset = 0;
  private readonly rolling = new RollingMinFee();

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

  /** Data directory, as wallet load/create errors name it. */
  datadir = '.bitcoin';

  /** Where Core keeps a wallet of this name (the -walletdir default), as its load errors name it. */
  walletPath(name: string): string {
    return `${this.datadir}/regtest/wallets/${name}`;
  }

  /** loadwallet: the wallet catches up with the chain and mempool it missed while unloaded (Core's rescan from its last block). */
  loadWallet(name: string): Wallet {
    if (this.wallets.has(name)) throw new RpcError(RPC.WALLET_ALREADY_LOADED, `Wallet "${name}" is already loaded.`);
    const wallet = this.unloadedWallets.get(name);
    if (!wallet) {
      throw new RpcError(RPC.WALLET_NOT_FOUND, `Wallet file verification failed. Failed to load database path '${this.walletPath(name)}'. Path does not exist.`);
    }
    this.unloadedWallets.delete(name);
    this.wallets.set(name, wallet);
    for (const block of this.chain.active) for (const tx of block.txs) wallet.observe(tx);
    for (const entry of this.mempool.entries.values()) wallet.observe(entry.tx);
    return wallet;
  }

  unloadWallet(name: string): void {
    const wallet = this.wallets.get(name);
    if (!wallet) throw new RpcError(RPC.WALLET_NOT_FOUND, 'Requested wallet does not exist or is not loaded');
    this.wallets.delete(name);
    this.unloadedWallets.set(name, wallet);
  }

  private notifyWallets(tx: DecodedTx): void {
    for (const wallet of this.wallets.values()) wallet.observe(tx);
  }

  /** The mempool's clock (seconds): the node's, plus what the expiry control advanced it by. */
  mempoolNow(): number {
    return this.now() + this.mempoolClockOffset;
  }

  /** CTxMemPool::GetMinFee (sat/kvB; 0 when none). */
  rollingMinFee(): bigint {
    return this.rolling.get(this.mempoolNow());
  }

  /** What trimming the mempool to its size limit does to the minimum fee (the mempoolminfee control). */
  raiseRollingMinFee(satPerKvB: bigint): void {
    this.rolling.raise(satPerKvB, this.mempoolNow());
  }

  /** getmempoolinfo's mempoolminfee: max(GetMinFee(), -minrelaytxfee). */
  mempoolMinFee(): bigint {
    const rolling = this.rollingMinFee();
    return rolling > MIN_RELAY_SAT_PER_KVB ? rolling : MIN_RELAY_SAT_PER_KVB;
  }

  /** CTxMemPool::Expire: drops transactions older than -mempoolexpiry, with their descendants. */
  expire(): string[] {
    const cutoff = this.mempoolNow() - this.mempoolExpirySeconds;
    const removed: string[] = [];
    for (const entry of [...this.mempool.entries.values()]) {
      if (entry.time < cutoff && this.mempool.has(entry.tx.txid)) removed.push(...this.mempool.removeWithDescendants(entry.tx.txid));
    }
    return removed;
  }

  /** Removes a transaction and its descendants as CTxMemPool::TrimToSize evicts a package (the wallet keeps them). */
  evict(txid: string): string[] {
    if (!this.mempool.has(txid)) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, 'Transaction not in mempool');
    return this.mempool.removeWithDescendants(txid);
  }

  /**
   * Core's AcceptToMemoryPool (src/validation.cpp MemPoolAccept::PreChecks, ReplacementChecks) for the rules a wallet
   * gateway meets, in Core's order and with its reject reasons; returns the fee. Full RBF (Core 28+ default).
   */
  acceptToMempool(tx: DecodedTx, maxFeeRate: bigint | null = null, { bypassLimits = false } = {}): bigint {
    if (tx.outputs.length === 0) throw rejected('bad-txns-vout-empty');
    if (tx.isCoinbase) throw rejected('coinbase');
    // IsStandardTx (src/policy/policy.cpp).
    const nonStandard = dataCarrierProblem(tx.outputs);
    if (nonStandard) throw rejected(nonStandard);
    const dustOutputs = tx.outputs.filter(isDust).length;
    if (dustOutputs > MAX_DUST_OUTPUTS_PER_TX) throw rejected('dust');
    if (this.mempool.has(tx.txid)) throw rejected('txn-already-in-mempool');
    let inValue = 0n;
    const conflictSet = new Set<string>();
    for (const input of tx.inputs) {
      const spender = this.mempool.spends.get(outpointKey(input.txid, input.vout));
      if (spender) conflictSet.add(spender);
    }
    for (const input of tx.inputs) {
      const coin = this.findCoin(input.txid, input.vout);
      if (!coin) throw new RpcError(RPC.VERIFY_ERROR, 'bad-txns-inputs-missingorspent');
      if (coin.coinbase && this.chain.height + 1 - coin.height < COINBASE_MATURITY) throw rejected('bad-txns-premature-spend-of-coinbase');
      inValue += coin.value;
    }
    const outValue = tx.outputs.reduce((s, o) => s + o.value, 0n);
    if (inValue < outValue) throw rejected('bad-txns-in-belowout');
    const fee = inValue - outValue;
    // PreCheckEphemeralTx (src/policy/ephemeral_policy.cpp): a transaction with a dust output must pay nothing.
    if (dustOutputs > 0 && fee !== 0n) throw rejected('dust', 'tx with dust output must be 0-fee');
    // CheckFeeRate; skipped (bypass_limits) for transactions of disconnected blocks returning to the mempool.
    const mempoolRejectFee = feeAt(this.rollingMinFee(), tx.vsize);
    if (!bypassLimits && mempoolRejectFee > 0n && fee < mempoolRejectFee) throw rejected('mempool min fee not met', `${fee} < ${mempoolRejectFee}`);
    const minRelayFee = feeAt(MIN_RELAY_SAT_PER_KVB, tx.vsize);
    if (!bypassLimits && fee < minRelayFee) throw rejected('min relay fee not met', `${fee} < ${minRelayFee}`);

    const conflicts = [...conflictSet].sort(compareTxids);
    const limits: ChainLimits = { ...CHAIN_LIMITS };
    if (conflicts.length === 1) {
      // Core lets a replacement of exactly one transaction count that transaction's package as gone.
      limits.descendantCount += 1;
      limits.descendantSize += this.mempool.withDescendants(conflicts[0]).size;
    }
    const limitError = chainLimitError(this.mempool, tx, limits);
    if (limitError !== null) {
      // The CPFP carve-out: one more small child of a transaction with a single unconfirmed ancestor.
      const carveOut = { ancestorCount: 2, ancestorSize: limits.ancestorSize, descendantCount: limits.descendantCount + 1, descendantSize: limits.descendantSize + EXTRA_DESCENDANT_TX_SIZE_LIMIT };
      if (tx.vsize > EXTRA_DESCENDANT_TX_SIZE_LIMIT || tx.version === 3 || chainLimitError(this.mempool, tx, carveOut) !== null) {
        throw rejected('too-long-mempool-chain', limitError);
      }
    }
    // EntriesAndTxidsDisjoint (src/policy/rbf.cpp).
    const ancestors = this.mempool.ancestorsOf(tx);
    for (const id of ancestors) {
      if (conflictSet.has(id)) throw rejected('bad-txns-spends-conflicting-tx', `${tx.txid} spends conflicting transaction ${id}`);
    }
    const evicted = conflicts.length > 0 ? replacementChecks(this.mempool, tx, fee, conflicts) : [];
    if (maxFeeRate !== null && maxFeeRate > 0n && fee > feeAt(maxFeeRate, tx.vsize)) {
      throw new RpcError(RPC.VERIFY_ERROR, 'Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)');
    }
    for (const txid of evicted) {
      if (!this.mempool.has(txid)) continue;
      for (const removed of this.mempool.removeWithDescendants(txid)) {
        for (const wallet of this.wallets.values()) wallet.markReplaced(removed, conflictSet.has(removed) ? tx.txid : undefined);
      }
    }
    this.mempool.add({ tx, fee, time: this.mempoolNow(), height: this.chain.height });
    this.notifyWallets(tx);
    // LimitMempoolSize: expiry runs on every acceptance.
    this.expire();
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
      this.rolling.blockConnected(this.mempoolNow());
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
        this.acceptToMempool(tx, null, { bypassLimits: true });
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
