import { randomBytes } from 'node:crypto';
import { RawTx, Transaction } from '@scure/btc-signer';
import { hex } from '@scure/base';
import { scriptToAddress as addressOf } from './addresses';
import { btc, type BtcAmount } from './amounts';
import { COINBASE_MATURITY } from './chain';
import { Keychain, type AddressType, type WalletKey } from './keys';
import { formatMoney as formatMoneyPlain } from './amounts';
import type { RegtestNode } from './node';
import { CHAIN_LIMITS, dustThreshold, feeAt, formatSatPerVb, isDust, WALLET_MIN_SAT_PER_KVB } from './policy';
import { RpcError, RPC, walletUnlockNeeded } from './rpc/errors';
import { decodeTx, outpointKey, type DecodedTx } from './tx';

export const FALLBACK_FEE_SAT_PER_KVB = 20_000n;
const CHANGE_MIN_SATS = 1_000n;
const WALLET_RBF_SEQUENCE = 0xfffffffd;

/**
 * A failure of Core's CreateTransaction (src/wallet/spend.cpp): sendtoaddress/sendmany answer it with -6
 * (SendMoney), fundrawtransaction with -4 (FundTransaction in src/wallet/rpc/spend.cpp).
 */
export class CreateTransactionError extends Error {
  asRpc(code: number): RpcError {
    return new RpcError(code, this.message);
  }
}

/** How a wallet's fee rate was chosen: explicitly (fee_rate) or by estimate/fallback. */
export interface FeeChoice {
  satPerKvB: bigint;
  explicit: boolean;
}

export interface WalletTx {
  tx: DecodedTx;
  timeReceived: number;
  comment?: string;
  to?: string;
  replacedBy?: string;
  replaces?: string;
  abandoned?: boolean;
}

export interface TxStatus {
  confirmations: number;
  blockHash?: string;
  blockHeight?: number;
  blockIndex?: number;
  blockTime?: number;
  inMempool: boolean;
}

export interface WalletCoin {
  txid: string;
  vout: number;
  value: bigint;
  key: WalletKey;
  confirmations: number;
  coinbase: boolean;
  trusted: boolean;
}

export interface Recipient {
  script: Uint8Array;
  value: bigint;
  subtractFee: boolean;
}

export interface WalletOptions {
  name: string;
  seed?: Uint8Array;
  passphrase?: string;
}

export type TxEntry = Record<string, unknown>;

/** A descriptor-style HD wallet over the node's chain and mempool, answering as Core's CWallet does. */
export class Wallet {
  readonly name: string;
  keychain: Keychain;
  readonly keys = new Map<string, WalletKey>();
  /** Address book: receive addresses and their label. */
  readonly labels = new Map<string, string>();
  readonly txs = new Map<string, WalletTx>();
  private passphrase?: string;
  private unlockedUntil = 0;

  constructor(
    private readonly node: RegtestNode,
    opts: WalletOptions,
  ) {
    this.name = opts.name;
    this.keychain = new Keychain(opts.seed ?? randomBytes(32));
    this.passphrase = opts.passphrase;
  }

  get encrypted(): boolean {
    return this.passphrase !== undefined;
  }

  get unlockedUntilTime(): number | undefined {
    if (!this.encrypted) return undefined;
    return this.unlockedUntil > this.node.now() ? this.unlockedUntil : 0;
  }

  requireUnlocked(): void {
    if (this.encrypted && this.unlockedUntil <= this.node.now()) throw walletUnlockNeeded();
  }

  unlock(passphrase: string, timeout: number): void {
    if (!this.encrypted) throw new RpcError(RPC.WALLET_WRONG_ENC_STATE, 'Error: running with an unencrypted wallet, but walletpassphrase was called.');
    if (timeout < 0) throw new RpcError(RPC.INVALID_PARAMETER, 'Timeout cannot be negative.');
    if (passphrase !== this.passphrase) throw new RpcError(RPC.WALLET_PASSPHRASE_INCORRECT, 'Error: The wallet passphrase entered was incorrect.');
    this.unlockedUntil = this.node.now() + Math.min(Math.floor(timeout), 100_000_000);
  }

  /** Core's encryptwallet on a descriptor wallet: a new HD seed for new keys, the wallet locked (src/wallet/rpc/encrypt.cpp). */
  encrypt(passphrase: string): void {
    if (this.encrypted) throw new RpcError(RPC.WALLET_WRONG_ENC_STATE, 'Error: running with an encrypted wallet, but encryptwallet was called.');
    if (passphrase === '') throw new RpcError(RPC.INVALID_PARAMETER, 'passphrase cannot be empty');
    this.passphrase = passphrase;
    this.keychain = new Keychain(randomBytes(32));
    this.unlockedUntil = 0;
  }

  lock(): void {
    if (!this.encrypted) throw new RpcError(RPC.WALLET_WRONG_ENC_STATE, 'Error: running with an unencrypted wallet, but walletlock was called.');
    this.unlockedUntil = 0;
  }

  newKey(type: AddressType, internal: boolean, label?: string): WalletKey {
    const key = this.keychain.derive(type, internal, this.node.now());
    this.keys.set(hex.encode(key.script), key);
    if (!internal) this.labels.set(key.address, label ?? '');
    return key;
  }

  keyFor(script: Uint8Array): WalletKey | undefined {
    return this.keys.get(hex.encode(script));
  }

  /** Core's OutputIsChange: ours but not in the address book. */
  private isChange(script: Uint8Array): boolean {
    const key = this.keyFor(script);
    return !!key && !this.labels.has(key.address);
  }

  private prevOut(txid: string, vout: number) {
    return this.txs.get(txid)?.tx.outputs[vout] ?? this.node.lookupTx(txid)?.tx.outputs[vout];
  }

  observe(tx: DecodedTx): void {
    if (this.txs.has(tx.txid)) return;
    const credits = tx.outputs.some((o) => this.keyFor(o.script));
    const debits = !tx.isCoinbase && tx.inputs.some((i) => {
      const prev = this.txs.get(i.txid)?.tx.outputs[i.vout];
      return !!prev && !!this.keyFor(prev.script);
    });
    if (credits || debits) this.txs.set(tx.txid, { tx, timeReceived: this.node.now() });
  }

  markReplaced(txid: string, by: string | undefined): void {
    const wtx = this.txs.get(txid);
    if (wtx && by) wtx.replacedBy = by;
  }

  debit(tx: DecodedTx): bigint {
    if (tx.isCoinbase) return 0n;
    let sum = 0n;
    for (const i of tx.inputs) {
      const prev = this.txs.get(i.txid)?.tx.outputs[i.vout];
      if (prev && this.keyFor(prev.script)) sum += prev.value;
    }
    return sum;
  }

  status(tx: DecodedTx): TxStatus {
    const { chain, mempool } = this.node;
    const loc = chain.txIndex.get(tx.txid);
    if (loc) {
      return {
        confirmations: chain.height - loc.block.height + 1,
        blockHash: loc.block.hash,
        blockHeight: loc.block.height,
        blockIndex: loc.index,
        blockTime: loc.block.time,
        inMempool: false,
      };
    }
    if (mempool.has(tx.txid)) return { confirmations: 0, inMempool: true };
    if (!tx.isCoinbase) {
      for (const i of tx.inputs) {
        const spender = chain.spentBy.get(outpointKey(i.txid, i.vout));
        if (spender && spender.txid !== tx.txid) return { confirmations: -(chain.height - spender.height + 1), inMempool: false };
      }
    }
    return { confirmations: 0, inMempool: false };
  }

  /** Core's CachedTxIsTrusted. */
  isTrusted(tx: DecodedTx, seen = new Set<string>()): boolean {
    const st = this.status(tx);
    if (st.confirmations >= 1) return true;
    if (st.confirmations < 0 || !st.inMempool || this.debit(tx) === 0n) return false;
    if (seen.has(tx.txid)) return true;
    seen.add(tx.txid);
    return tx.inputs.every((i) => {
      const parent = this.txs.get(i.txid);
      const out = parent?.tx.outputs[i.vout];
      return !!parent && !!out && !!this.keyFor(out.script) && this.isTrusted(parent.tx, seen);
    });
  }

  private immature(tx: DecodedTx, confirmations: number): boolean {
    return tx.isCoinbase && confirmations > 0 && confirmations <= COINBASE_MATURITY;
  }

  /**
   * Core's CWallet::IsSpent: an output some wallet transaction spends, unless that transaction is abandoned, conflicted
   * by a block or by a mempool transaction. An unconfirmed spend that left the mempool (expired, evicted) still counts.
   */
  private walletSpends(): Set<string> {
    const spent = new Set<string>();
    for (const wtx of this.txs.values()) {
      if (wtx.tx.isCoinbase || wtx.abandoned) continue;
      const st = this.status(wtx.tx);
      if (st.confirmations < 0 || this.mempoolConflicts(wtx.tx).length > 0) continue;
      for (const i of wtx.tx.inputs) spent.add(outpointKey(i.txid, i.vout));
    }
    return spent;
  }

  /** Core 28+'s mempool conflicts of an unconfirmed wallet transaction outside the mempool: who spends its inputs there. */
  mempoolConflicts(tx: DecodedTx): string[] {
    if (tx.isCoinbase || this.node.mempool.has(tx.txid) || this.node.chain.txIndex.has(tx.txid)) return [];
    const spenders = tx.inputs.map((i) => this.node.mempool.spends.get(outpointKey(i.txid, i.vout))).filter((id): id is string => id !== undefined && id !== tx.txid);
    return [...new Set(spenders)];
  }

  /** Unspent outputs of the wallet on the active chain and in the mempool. */
  coins(): WalletCoin[] {
    const out: WalletCoin[] = [];
    const spent = this.walletSpends();
    for (const { tx } of this.txs.values()) {
      const st = this.status(tx);
      if (st.confirmations < 0 || (st.confirmations === 0 && !st.inMempool)) continue;
      const trusted = this.isTrusted(tx);
      tx.outputs.forEach((o, vout) => {
        const key = this.keyFor(o.script);
        if (!key || this.node.spentInMempool(tx.txid, vout) || spent.has(outpointKey(tx.txid, vout))) return;
        if (st.confirmations > 0 && !this.node.chain.utxo.has(outpointKey(tx.txid, vout))) return;
        out.push({ txid: tx.txid, vout, value: o.value, key, confirmations: st.confirmations, coinbase: tx.isCoinbase, trusted });
      });
    }
    return out;
  }

  /**
   * interfaces::Chain::getTransactionAncestry as the wallet's coin selection reads it: the transaction's ancestor count
   * and the largest descendant count among it and its ancestors (CTxMemPool::CalculateDescendantMaximum); 0 off the mempool.
   */
  private ancestry(txid: string): { ancestors: number; descendants: number } {
    const { mempool } = this.node;
    const entry = mempool.get(txid);
    if (!entry) return { ancestors: 0, descendants: 0 };
    const family = [txid, ...mempool.ancestorsOf(entry.tx)];
    return { ancestors: mempool.withAncestors(txid).count, descendants: Math.max(...family.map((id) => mempool.withDescendants(id).count)) };
  }

  balances(): { trusted: bigint; untrustedPending: bigint; immature: bigint } {
    let trusted = 0n;
    let untrustedPending = 0n;
    let immature = 0n;
    for (const c of this.coins()) {
      if (c.coinbase && c.confirmations <= COINBASE_MATURITY) immature += c.value;
      else if (c.trusted) trusted += c.value;
      else untrustedPending += c.value;
    }
    return { trusted, untrustedPending, immature };
  }

  /**
   * Coins coin selection may use, largest first, and those it discards because spending them would make a chain the
   * mempool refuses: Core's most permissive eligibility filter with -walletrejectlongchains is ancestors and
   * descendants at most the limit minus one (src/wallet/spend.cpp AutomaticCoinSelection).
   */
  private spendable(): { eligible: WalletCoin[]; longChain: WalletCoin[] } {
    const eligible: WalletCoin[] = [];
    const longChain: WalletCoin[] = [];
    for (const c of this.coins()) {
      if (!c.trusted || (c.coinbase && c.confirmations <= COINBASE_MATURITY)) continue;
      const { ancestors, descendants } = this.ancestry(c.txid);
      if (ancestors <= CHAIN_LIMITS.ancestorCount - 1 && descendants <= CHAIN_LIMITS.descendantCount - 1) eligible.push(c);
      else longChain.push(c);
    }
    eligible.sort((a, b) => (b.value > a.value ? 1 : b.value < a.value ? -1 : 0));
    return { eligible, longChain };
  }

  /**
   * The fee rate the wallet pays (GetMinimumFeeRate, src/wallet/fees.cpp): at least the mempool's minimum and -mintxfee.
   * An explicit fee_rate below that is refused rather than raised (CreateTransactionInternal).
   */
  private effectiveFeeRate(choice: FeeChoice): bigint {
    let rate = choice.satPerKvB;
    const mempoolMin = this.node.rollingMinFee();
    if (rate < mempoolMin) rate = mempoolMin;
    if (rate < WALLET_MIN_SAT_PER_KVB) rate = WALLET_MIN_SAT_PER_KVB;
    if (choice.explicit && rate > choice.satPerKvB) {
      throw new CreateTransactionError(`Fee rate (${formatSatPerVb(choice.satPerKvB)}) is lower than the minimum fee rate setting (${formatSatPerVb(rate)})`);
    }
    return rate;
  }

  /** Signs every input whose prevout the wallet owns; returns the raw hex and whether all inputs are signed. */
  sign(tx: DecodedTx): { hex: string; complete: boolean; missing: number[] } {
    this.requireUnlocked();
    // lowR: Core grinds ECDSA nonces until R fits in 32 bytes (CKey::Sign, grind = true), so its signatures, and so the
    // sizes and fees of its transactions, do not vary with luck.
    const t = new Transaction({ version: tx.version, lockTime: tx.locktime, allowUnknownOutputs: true, allowUnknownInputs: true, disableScriptCheck: true, lowR: true });
    const missing: number[] = [];
    const signers: (WalletKey | undefined)[] = [];
    tx.inputs.forEach((i, idx) => {
      const prev = this.prevOut(i.txid, i.vout) ?? this.node.findCoin(i.txid, i.vout);
      const key = prev && this.keyFor(prev.script);
      const signed = i.witness.length > 0 || i.scriptSig.length > 0;
      t.addInput({
        txid: i.txid,
        index: i.vout,
        sequence: i.sequence,
        ...(prev ? { witnessUtxo: { script: prev.script, amount: prev.value } } : {}),
        ...(key?.type === 'bech32m' ? { tapInternalKey: key.publicKey.subarray(1) } : {}),
        ...(signed && !key ? { finalScriptWitness: i.witness, finalScriptSig: i.scriptSig } : {}),
      });
      signers.push(key);
      if (!key && !signed) missing.push(idx);
    });
    for (const o of tx.outputs) t.addOutput({ script: o.script, amount: o.value });
    signers.forEach((key, idx) => {
      if (!key) return;
      t.signIdx(key.privateKey, idx);
      t.finalizeIdx(idx);
    });
    if (missing.length > 0) return { hex: unsignedHex(tx, t), complete: false, missing };
    return { hex: hex.encode(t.extract()), complete: true, missing };
  }

  /**
   * Core's CreateTransaction as FundTransaction uses it: adds wallet inputs and a change output so that `base` pays the
   * wallet's fee rate; recipients flagged subtractFee pay the fee instead. Throws CreateTransactionError with Core's
   * messages (src/wallet/spend.cpp CreateTransactionInternal, SelectCoins, AutomaticCoinSelection).
   */
  fund(base: { inputs: { txid: string; vout: number; sequence: number }[]; outputs: Recipient[]; locktime: number }, choice: FeeChoice) {
    for (const o of base.outputs) if (isDust(o)) throw new CreateTransactionError('Transaction amount too small');
    const feeRate = this.effectiveFeeRate(choice);
    const vsizeOf = (nIn: number, outputs: Uint8Array[]) =>
      BigInt(11 + nIn * 68 + outputs.reduce((s, script) => s + 9 + script.length, 0));
    let preset = 0n;
    for (const i of base.inputs) {
      const coin = this.node.findCoin(i.txid, i.vout);
      if (!coin) throw new CreateTransactionError('Unable to find UTXO for external input');
      preset += coin.value;
    }
    const target = base.outputs.reduce((s, o) => s + o.value, 0n);
    const subtract = base.outputs.some((o) => o.subtractFee);
    const changeKey = () => this.newKey('bech32', true);
    const changeScriptLen = 22;
    const notPreset = (c: WalletCoin) => !base.inputs.some((i) => i.txid === c.txid && i.vout === c.vout);
    const { eligible, longChain } = this.spendable();
    const pool = eligible.filter(notPreset);
    const outScripts = base.outputs.map((o) => o.script);
    const toSelect = target + (subtract ? 0n : feeAt(feeRate, Number(vsizeOf(0, outScripts)))) - preset;
    if (toSelect > 0n) {
      const sum = (coins: WalletCoin[]) => coins.reduce((s, c) => s + c.value, 0n);
      const discarded = sum(longChain.filter(notPreset));
      const available = sum(pool) + discarded;
      if (toSelect > available) throw new CreateTransactionError('Insufficient funds');
      // Core writes `CAmount total_amount = available - discarded < value_to_select`: total_amount is that comparison (0 or 1).
      if (available - discarded < toSelect) {
        const totalAmount = 1n;
        if (totalAmount + discarded > toSelect) {
          throw new CreateTransactionError('Unconfirmed UTXOs are available, but spending them creates a chain of transactions that will be rejected by the mempool');
        }
        throw new CreateTransactionError('Insufficient funds');
      }
    }
    const chosen: WalletCoin[] = [];
    let total = preset;
    for (;;) {
      const feeNoChange = feeAt(feeRate, Number(vsizeOf(base.inputs.length + chosen.length, outScripts)));
      const feeWithChange = feeAt(feeRate, Number(vsizeOf(base.inputs.length + chosen.length, [...outScripts, new Uint8Array(changeScriptLen)])));
      const need = subtract ? target : target + feeNoChange;
      if (total >= need && base.inputs.length + chosen.length > 0) {
        const outputs = base.outputs.map((o) => ({ ...o }));
        let fee = feeNoChange;
        let change = subtract ? total - target : total - target - feeWithChange;
        let changeScript: Uint8Array | undefined;
        if (change >= CHANGE_MIN_SATS) {
          fee = feeWithChange;
          changeScript = changeKey().script;
        } else {
          change = 0n;
          fee = subtract ? feeNoChange : total - target;
        }
        if (subtract) {
          const payers = outputs.filter((o) => o.subtractFee);
          const share = fee / BigInt(payers.length);
          payers.forEach((o, n) => (o.value -= share + (n === 0 ? fee - share * BigInt(payers.length) : 0n)));
          for (const o of payers) {
            if (o.value < dustThreshold(o.script)) {
              throw new CreateTransactionError(o.value < 0n ? 'The transaction amount is too small to pay the fee' : 'The transaction amount is too small to send after the fee has been deducted');
            }
          }
          if (!changeScript) fee = total - outputs.reduce((s, o) => s + o.value, 0n);
        }
        const inputs = [...base.inputs, ...chosen.map((c) => ({ txid: c.txid, vout: c.vout, sequence: WALLET_RBF_SEQUENCE }))];
        const finalOutputs = changeScript ? [...outputs, { script: changeScript, value: change, subtractFee: false }] : outputs;
        return { inputs, outputs: finalOutputs, fee, changepos: changeScript ? finalOutputs.length - 1 : -1, locktime: base.locktime };
      }
      const next = pool.shift();
      if (!next) throw new CreateTransactionError('Insufficient funds');
      chosen.push(next);
      total += next.value;
    }
  }

  /** Builds, funds and signs a payment; does not broadcast. */
  createTransaction(recipients: Recipient[], choice: FeeChoice): { tx: DecodedTx; fee: bigint } {
    this.requireUnlocked();
    const funded = this.fund({ inputs: [], outputs: recipients, locktime: this.node.chain.height }, choice);
    const unsigned = decodeTx(rawHex(funded));
    const signed = this.sign(unsigned);
    return { tx: decodeTx(signed.hex), fee: funded.fee };
  }

  /** Core's bumpfee: the same payment with the change output lowered to pay `feeRate` (sat/kvB) and replace the original. */
  bumpFee(txid: string, feeRate: bigint | undefined): { tx: DecodedTx; origFee: bigint; fee: bigint } {
    const wtx = this.txs.get(txid);
    if (!wtx) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, 'Invalid or non-wallet transaction id');
    const entry = this.node.mempool.get(txid);
    if (this.status(wtx.tx).confirmations !== 0 || !entry) {
      throw new RpcError(RPC.INVALID_PARAMETER, 'Transaction has been mined, or is conflicted with a mined transaction');
    }
    if ([...this.node.mempool.spends.values()].some((child) => this.node.mempool.get(child)?.tx.inputs.some((i) => i.txid === txid))) {
      throw new RpcError(RPC.INVALID_PARAMETER, 'Transaction has descendants in the wallet');
    }
    if (this.debit(wtx.tx) === 0n) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, 'Transaction does not have a change output');
    this.requireUnlocked();
    const changeIdx = wtx.tx.outputs.findIndex((o) => this.isChange(o.script));
    if (changeIdx < 0) throw new RpcError(RPC.WALLET_ERROR, 'Transaction does not have a change output');
    const oldRate = (entry.fee * 1000n) / BigInt(wtx.tx.vsize);
    // At least the old rate plus the incremental relay fee (1 sat/vB), as Core's minimum for a bump.
    const rate = feeRate ?? (this.node.feeEstimate !== null && this.node.feeEstimate > oldRate + 1000n ? this.node.feeEstimate : oldRate + 1000n);
    // Priced on the largest size the re-signed replacement can have, as Core's feebumper does (a new signature may be a
    // byte longer): priced on the old size, a replacement one vbyte larger misses the incremental relay fee by a satoshi.
    const maxVsize = BigInt(wtx.tx.vsize + wtx.tx.inputs.length);
    const fee = (maxVsize * rate + 999n) / 1000n;
    const minFee = entry.fee + maxVsize;
    if (fee < minFee) throw new RpcError(RPC.INVALID_PARAMETER, `Insufficient total fee ${formatMoneyPlain(fee)}, must be at least ${formatMoneyPlain(minFee)} (oldFee ${formatMoneyPlain(entry.fee)} + incrementalFee ${formatMoneyPlain(maxVsize)})`);
    const outputs = wtx.tx.outputs.map((o, n) => ({ script: o.script, value: n === changeIdx ? o.value - (fee - entry.fee) : o.value }));
    if (isDust(outputs[changeIdx])) throw new RpcError(RPC.WALLET_INSUFFICIENT_FUNDS, 'Insufficient funds');
    const raw = rawHex({ inputs: wtx.tx.inputs.map((i) => ({ txid: i.txid, vout: i.vout, sequence: i.sequence })), outputs, locktime: wtx.tx.locktime, version: wtx.tx.version });
    const tx = decodeTx(this.sign(decodeTx(raw)).hex);
    return { tx, origFee: entry.fee, fee };
  }

  /** A transaction spending the same wallet inputs as `txid`, paying `script` with a higher fee. */
  buildConflict(txid: string, script: Uint8Array): DecodedTx {
    const wtx = this.txs.get(txid);
    if (!wtx) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, 'Invalid or non-wallet transaction id');
    const inputs = wtx.tx.inputs.filter((i) => {
      const prev = this.txs.get(i.txid)?.tx.outputs[i.vout];
      return prev && this.keyFor(prev.script);
    });
    if (inputs.length === 0) throw new RpcError(RPC.INVALID_PARAMETER, 'Transaction has no wallet inputs to double-spend');
    const total = inputs.reduce((s, i) => s + (this.txs.get(i.txid)?.tx.outputs[i.vout]?.value ?? 0n), 0n);
    // Enough to replace it and its descendants under BIP125 rules 3 and 4 (and at a higher fee rate: fewer outputs).
    const oldFees = this.node.mempool.has(txid) ? this.node.mempool.withDescendants(txid).fees : total - wtx.tx.outputs.reduce((s, o) => s + o.value, 0n);
    const fee = oldFees + 10_000n;
    const raw = rawHex({
      inputs: inputs.map((i) => ({ txid: i.txid, vout: i.vout, sequence: WALLET_RBF_SEQUENCE })),
      outputs: [{ script, value: total - fee }],
      locktime: this.node.chain.height,
    });
    const signed = this.sign(decodeTx(raw));
    return decodeTx(signed.hex);
  }

  conflicts(tx: DecodedTx): string[] {
    if (tx.isCoinbase) return [];
    const mine = new Set(tx.inputs.map((i) => outpointKey(i.txid, i.vout)));
    const out: string[] = [];
    for (const other of this.txs.values()) {
      if (other.tx.txid === tx.txid || other.tx.isCoinbase) continue;
      if (other.tx.inputs.some((i) => mine.has(outpointKey(i.txid, i.vout)))) out.push(other.tx.txid);
    }
    return out;
  }

  /** Core's WalletTxToJSON. */
  txJson(wtx: WalletTx): TxEntry {
    const st = this.status(wtx.tx);
    const confirmed = st.blockHash !== undefined;
    const unconfirmedRbf = st.confirmations <= 0 ? (st.inMempool ? (wtx.tx.inputs.some((i) => i.sequence < 0xfffffffe) ? 'yes' : 'no') : 'unknown') : 'no';
    return {
      confirmations: st.confirmations,
      generated: wtx.tx.isCoinbase ? true : undefined,
      blockhash: st.blockHash,
      blockheight: st.blockHeight,
      blockindex: st.blockIndex,
      blocktime: st.blockTime,
      trusted: confirmed ? undefined : this.isTrusted(wtx.tx),
      txid: wtx.tx.txid,
      wtxid: wtx.tx.wtxid,
      walletconflicts: this.conflicts(wtx.tx),
      mempoolconflicts: this.mempoolConflicts(wtx.tx),
      replaced_by_txid: wtx.replacedBy,
      replaces_txid: wtx.replaces,
      time: wtx.timeReceived,
      timereceived: wtx.timeReceived,
      'bip125-replaceable': unconfirmedRbf,
      comment: wtx.comment || undefined,
      to: wtx.to || undefined,
    };
  }

  /**
   * Core's ListTransactions (src/wallet/rpc/transactions.cpp): send entries, then receive entries only when the
   * transaction's depth is at least `minDepth` (0 for gettransaction, listtransactions and listsinceblock, so a
   * conflicted receive, at negative depth, is not listed; listsinceblock's "removed" passes -100000000).
   */
  entries(wtx: WalletTx, opts: { long: boolean; includeChange?: boolean; label?: string; minDepth?: number }): TxEntry[] {
    const { tx } = wtx;
    const debit = this.debit(tx);
    const fromMe = debit > 0n;
    const fee = fromMe ? tx.outputs.reduce((s, o) => s + o.value, 0n) - debit : 0n;
    const st = this.status(tx);
    const result: TxEntry[] = [];
    const details = opts.long ? this.txJson(wtx) : {};
    if (fromMe && opts.label === undefined) {
      tx.outputs.forEach((o, vout) => {
        if (!opts.includeChange && this.isChange(o.script)) return;
        const address = addressOf(o.script);
        result.push({
          address,
          category: 'send',
          amount: btc(-o.value),
          label: address !== undefined ? this.labels.get(address) : undefined,
          vout,
          fee: btc(fee),
          ...details,
          abandoned: wtx.abandoned ?? false,
        });
      });
    }
    if (st.confirmations < (opts.minDepth ?? 0)) return result;
    tx.outputs.forEach((o, vout) => {
      const key = this.keyFor(o.script);
      if (!key || (fromMe && !opts.includeChange && this.isChange(o.script))) return;
      const label = this.labels.get(key.address);
      if (opts.label !== undefined && opts.label !== label) return;
      let category = 'receive';
      if (tx.isCoinbase) category = st.confirmations < 1 ? 'orphan' : this.immature(tx, st.confirmations) ? 'immature' : 'generate';
      result.push({
        address: key.address,
        category,
        amount: btc(o.value),
        label,
        vout,
        abandoned: wtx.abandoned ?? false,
        ...details,
        parent_descs: [this.keychain.parentDescriptor(key.type, key.internal)],
      });
    });
    return result;
  }

  /** Core's gettransaction amount/fee: net of credits and debits, an immature coinbase counting zero. */
  netAmounts(tx: DecodedTx): { amount: BtcAmount; fee?: BtcAmount } {
    const st = this.status(tx);
    const credit = tx.isCoinbase && (st.confirmations < 1 || this.immature(tx, st.confirmations))
      ? 0n
      : tx.outputs.reduce((s, o) => s + (this.keyFor(o.script) ? o.value : 0n), 0n);
    const debit = this.debit(tx);
    const fee = debit > 0n ? tx.outputs.reduce((s, o) => s + o.value, 0n) - debit : 0n;
    return { amount: btc(credit - debit - fee), fee: debit > 0n ? btc(fee) : undefined };
  }
}


/** Serialises an unsigned transaction (no witnesses) from inputs and outputs. */
export function rawHex(t: { inputs: { txid: string; vout: number; sequence: number }[]; outputs: { script: Uint8Array; value: bigint }[]; locktime: number; version?: number }): string {
  return hex.encode(
    RawTx.encode({
      version: t.version ?? 2,
      segwitFlag: false,
      inputs: t.inputs.map((i) => ({ txid: hex.decode(i.txid), index: i.vout, finalScriptSig: new Uint8Array(), sequence: i.sequence })),
      outputs: t.outputs.map((o) => ({ amount: o.value, script: o.script })),
      witnesses: undefined,
      lockTime: t.locktime,
    }),
  );
}

/** A partially signed transaction: the signatures made so far, other inputs as they came. */
function unsignedHex(tx: DecodedTx, t: Transaction): string {
  const witnesses = tx.inputs.map((i, idx) => t.getInput(idx).finalScriptWitness ?? i.witness);
  return hex.encode(
    RawTx.encode({
      version: tx.version,
      segwitFlag: witnesses.some((w) => w.length > 0),
      inputs: tx.inputs.map((i) => ({ txid: hex.decode(i.txid), index: i.vout, finalScriptSig: i.scriptSig, sequence: i.sequence })),
      outputs: tx.outputs.map((o) => ({ amount: o.value, script: o.script })),
      witnesses: witnesses.some((w) => w.length > 0) ? witnesses : undefined,
      lockTime: tx.locktime,
    }),
  );
}
