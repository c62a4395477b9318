import { randomBytes } from 'node:crypto';
import { RawTx, Transaction } from '@scure/btc-signer';
import { hex } from '@scure/base';
import { scriptToAddress as addressOf } from './addresses';
import { btc, type BtcAmount } from './amounts';
import { COINBASE_MATURITY } from './chain';
import { Keychain, type AddressType, type WalletKey } from './keys';
import { formatMoney as formatMoneyPlain, type RegtestNode } from './node';
import { RpcError, RPC, walletUnlockNeeded } from './rpc/errors';
import { decodeTx, outpointKey, type DecodedTx } from './tx';

export const FALLBACK_FEE_SAT_PER_KVB = 20_000n;
const CHANGE_MIN_SATS = 1_000n;
const WALLET_RBF_SEQUENCE = 0xfffffffd;

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
  readonly keychain: Keychain;
  readonly keys = new Map<string, WalletKey>();
  /** Address book: receive addresses and their label. */
  readonly labels = new Map<string, string>();
  readonly txs = new Map<string, WalletTx>();
  private readonly passphrase?: string;
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

  /** Unspent outputs of the wallet on the active chain and in the mempool. */
  coins(): WalletCoin[] {
    const out: WalletCoin[] = [];
    for (const { tx } of this.txs.values()) {
      const st = this.status(tx);
      if (st.confirmations < 0 || (st.confirmations === 0 && !st.inMempool)) continue;
      const trusted = this.isTrusted(tx);
      tx.outputs.forEach((o, vout) => {
        const key = this.keyFor(o.script);
        if (!key || this.node.spentInMempool(tx.txid, vout)) return;
        if (st.confirmations > 0 && !this.node.chain.utxo.has(outpointKey(tx.txid, vout))) return;
        out.push({ txid: tx.txid, vout, value: o.value, key, confirmations: st.confirmations, coinbase: tx.isCoinbase, trusted });
      });
    }
    return out;
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

  private spendable(): WalletCoin[] {
    return this.coins()
      .filter((c) => c.trusted && !(c.coinbase && c.confirmations <= COINBASE_MATURITY))
      .sort((a, b) => (b.value > a.value ? 1 : b.value < a.value ? -1 : 0));
  }

  /** Signs every input whose prevout the wallet owns; returns the raw hex and whether all inputs are signed. */
  sign(tx: DecodedTx): { hex: string; complete: boolean; missing: number[] } {
    this.requireUnlocked();
    const t = new Transaction({ version: tx.version, lockTime: tx.locktime, allowUnknownOutputs: true, allowUnknownInputs: true, disableScriptCheck: true });
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
   * Core's FundTransaction: adds wallet inputs and a change output so that `base` pays `feeRate` (sat/kvB).
   * Recipients flagged subtractFee pay the fee instead.
   */
  fund(base: { inputs: { txid: string; vout: number; sequence: number }[]; outputs: Recipient[]; locktime: number }, feeRate: bigint) {
    const vsizeOf = (nIn: number, outputs: Uint8Array[]) =>
      BigInt(11 + nIn * 68 + outputs.reduce((s, script) => s + 9 + script.length, 0));
    let preset = 0n;
    for (const i of base.inputs) {
      const coin = this.node.findCoin(i.txid, i.vout);
      if (!coin) throw new RpcError(RPC.WALLET_ERROR, 'Unable to find UTXO for external input');
      preset += coin.value;
    }
    const target = base.outputs.reduce((s, o) => s + o.value, 0n);
    const subtract = base.outputs.some((o) => o.subtractFee);
    const changeKey = () => this.newKey('bech32', true);
    const changeScriptLen = 22;
    const pool = this.spendable().filter((c) => !base.inputs.some((i) => i.txid === c.txid && i.vout === c.vout));
    const chosen: WalletCoin[] = [];
    let total = preset;
    for (;;) {
      const outScripts = base.outputs.map((o) => o.script);
      const feeNoChange = (vsizeOf(base.inputs.length + chosen.length, outScripts) * feeRate + 999n) / 1000n;
      const feeWithChange = (vsizeOf(base.inputs.length + chosen.length, [...outScripts, new Uint8Array(changeScriptLen)]) * feeRate + 999n) / 1000n;
      const need = subtract ? target : target + feeNoChange;
      if (total >= need && (base.inputs.length + chosen.length > 0)) {
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
          if (payers.some((o) => o.value <= 0n)) throw new RpcError(RPC.WALLET_ERROR, 'The transaction amount is too small to pay the fee');
          if (!changeScript) fee = total - outputs.reduce((s, o) => s + o.value, 0n);
        }
        const inputs = [...base.inputs, ...chosen.map((c) => ({ txid: c.txid, vout: c.vout, sequence: WALLET_RBF_SEQUENCE }))];
        const finalOutputs = changeScript ? [...outputs, { script: changeScript, value: change, subtractFee: false }] : outputs;
        return { inputs, outputs: finalOutputs, fee, changepos: changeScript ? finalOutputs.length - 1 : -1, locktime: base.locktime };
      }
      const next = pool.shift();
      if (!next) throw new RpcError(RPC.WALLET_INSUFFICIENT_FUNDS, 'Insufficient funds');
      chosen.push(next);
      total += next.value;
    }
  }

  /** Builds, funds and signs a payment; does not broadcast. */
  createTransaction(recipients: Recipient[], feeRate: bigint): { tx: DecodedTx; fee: bigint } {
    this.requireUnlocked();
    for (const r of recipients) {
      if (r.value < 294n && !r.subtractFee) throw new RpcError(RPC.WALLET_ERROR, 'Transaction amount too small');
    }
    const funded = this.fund({ inputs: [], outputs: recipients, locktime: this.node.chain.height }, feeRate);
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
    const fee = (BigInt(wtx.tx.vsize) * rate + 999n) / 1000n;
    const minFee = entry.fee + BigInt(wtx.tx.vsize);
    if (fee < minFee) throw new RpcError(RPC.INVALID_PARAMETER, `Insufficient total fee ${formatMoneyPlain(fee)}, must be at least ${formatMoneyPlain(minFee)} (oldFee ${formatMoneyPlain(entry.fee)} + incrementalFee ${formatMoneyPlain(BigInt(wtx.tx.vsize))})`);
    const outputs = wtx.tx.outputs.map((o, n) => ({ script: o.script, value: n === changeIdx ? o.value - (fee - entry.fee) : o.value }));
    if (outputs[changeIdx].value < 294n) throw new RpcError(RPC.WALLET_INSUFFICIENT_FUNDS, 'Insufficient funds');
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
    const oldFee = this.node.mempool.get(txid)?.fee ?? total - wtx.tx.outputs.reduce((s, o) => s + o.value, 0n);
    const fee = oldFee + 10_000n;
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
      mempoolconflicts: [],
      replaced_by_txid: wtx.replacedBy,
      replaces_txid: wtx.replaces,
      time: wtx.timeReceived,
      timereceived: wtx.timeReceived,
      'bip125-replaceable': unconfirmedRbf,
      comment: wtx.comment || undefined,
      to: wtx.to || undefined,
    };
  }

  /** Core's ListTransactions: send entries then receive entries of one wallet transaction. */
  entries(wtx: WalletTx, opts: { long: boolean; includeChange?: boolean; label?: string }): TxEntry[] {
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
