import type { Mempool, MempoolEntry } from './mempool';
import { formatMoney } from './amounts';
import {
  CHAIN_LIMITS,
  feeAt,
  feeRateOf,
  formatFeeRate,
  INCREMENTAL_RELAY_SAT_PER_KVB,
  MAX_REPLACEMENT_CANDIDATES,
} from './policy';
import { RpcError, RPC } from './rpc/errors';
import type { DecodedTx } from './tx';

export type ChainLimits = { -readonly [K in keyof typeof CHAIN_LIMITS]: number };

/** A mempool rejection as sendrawtransaction reports it: -26 with TxValidationState::ToString ("reason, debug"). */
export const rejected = (reason: string, debug?: string): RpcError => new RpcError(RPC.VERIFY_REJECTED, debug ? `${reason}, ${debug}` : reason);

/**
 * CTxMemPool::CalculateAncestorsAndCheckLimits (src/txmempool.cpp): the in-mempool ancestors of a new transaction,
 * or the first limit it breaks, checked in Core's order.
 */
export function chainLimitError(mempool: Mempool, tx: DecodedTx, limits: ChainLimits): string | null {
      const staged = mempool.parentsOf(tx);
  if (staged.length + 1 > limits.ancestorCount) return `too many unconfirmed parents [limit: ${limits.ancestorCount}]`;
  const ancestors = new Set<string>();
  let totalSize = tx.vsize;
  while (staged.length > 0) {
    const id = staged.shift() as string;
    ancestors.add(id);
    const entry = mempool.get(id) as MempoolEntry;
    totalSize += entry.tx.vsize;
    const descendants = mempool.withDescendants(id);
    if (descendants.size + tx.vsize > limits.descendantSize) return `exceeds descendant size limit for tx ${id} [limit: ${limits.descendantSize}]`;
    if (descendants.count + 1 > limits.descendantCount) return `too many descendants for tx ${id} [limit: ${limits.descendantCount}]`;
    if (totalSize > limits.ancestorSize) return `exceeds ancestor size limit [limit: ${limits.ancestorSize}]`;
    for (const parent of mempool.parentsOf(entry.tx)) {
      if (!ancestors.has(parent) && !staged.includes(parent)) staged.push(parent);
      if (staged.length + ancestors.size + 1 > limits.ancestorCount) return `too many unconfirmed ancestors [limit: ${limits.ancestorCount}]`;
    }
  }
  return null;
}

/** MemPoolAccept::ReplacementChecks (src/validation.cpp) with src/policy/rbf.cpp; returns every transaction to evict. */
export function replacementChecks(mempool: Mempool, tx: DecodedTx, fee: bigint, conflicts: string[]): string[] {
  const newRate = feeRateOf(fee, tx.vsize);
  for (const id of conflicts) {
    const e = mempool.get(id) as MempoolEntry;
    const oldRate = feeRateOf(e.fee, e.tx.vsize);
    if (newRate <= oldRate) {
      throw rejected('insufficient fee', `rejecting replacement ${tx.txid}; new feerate ${formatFeeRate(newRate)} <= old feerate ${formatFeeRate(oldRate)}`);
    }
  }
  let candidates = 0;
  for (const id of conflicts) {
    candidates += mempool.withDescendants(id).count;
    if (candidates > MAX_REPLACEMENT_CANDIDATES) {
      throw rejected('too many potential replacements', `rejecting replacement ${tx.txid}; too many potential replacements (${candidates} > ${MAX_REPLACEMENT_CANDIDATES})`);
    }
  }
  const all = new Set<string>();
  for (const id of conflicts) {
    all.add(id);
    for (const d of mempool.descendantsOf(id)) all.add(d);
  }
  const parentsOfConflicts = new Set(conflicts.flatMap((id) => (mempool.get(id) as MempoolEntry).tx.inputs.map((i) => i.txid)));
  tx.inputs.forEach((input, idx) => {
    if (!parentsOfConflicts.has(input.txid) && mempool.has(input.txid)) {
      throw rejected('replacement-adds-unconfirmed', `replacement ${tx.txid} adds unconfirmed input, idx ${idx}`);
    }
  });
  let conflictingFees = 0n;
  for (const id of all) conflictingFees += (mempool.get(id) as MempoolEntry).fee;
  if (fee < conflictingFees) {
    throw rejected('insufficient fee', `rejecting replacement ${tx.txid}, less fees than conflicting txs; ${formatMoney(fee)} < ${formatMoney(conflictingFees)}`);
  }
  const relayFee = feeAt(INCREMENTAL_RELAY_SAT_PER_KVB, tx.vsize);
  if (fee - conflictingFees < relayFee) {
    throw rejected('insufficient fee', `rejecting replacement ${tx.txid}, not enough additional fees to relay; ${formatMoney(fee - conflictingFees)} < ${formatMoney(relayFee)}`);
  }
  return conflicts;
}

/** CTxMemPool's ROLLING_FEE_HALFLIFE (12 h), quartered for a mempool under a quarter of -maxmempool. */
const ROLLING_FEE_HALFLIFE_SECONDS = (60 * 60 * 12) / 4;

/**
 * CTxMemPool's rolling minimum fee rate (sat/kvB) that size-limit trimming leaves behind (GetMinFee): it decays with a
 * small mempool's 3-hour half-life once a block has arrived since it was raised (removeForBlock), down to 0.
 */
export class RollingMinFee {
  private rate = 0;
  private lastUpdate = 0;
  private blockSinceBump = false;

  get(now: number): bigint {
    if (!this.blockSinceBump || this.rate === 0) return BigInt(Math.round(this.rate));
    if (now > this.lastUpdate + 10) {
      this.rate /= 2 ** ((now - this.lastUpdate) / ROLLING_FEE_HALFLIFE_SECONDS);
      this.lastUpdate = now;
      if (this.rate < Number(INCREMENTAL_RELAY_SAT_PER_KVB) / 2) {
        this.rate = 0;
        return 0n;
      }
    }
    const rate = BigInt(Math.round(this.rate));
    return rate > INCREMENTAL_RELAY_SAT_PER_KVB ? rate : INCREMENTAL_RELAY_SAT_PER_KVB;
  }

  raise(satPerKvB: bigint, now: number): void {
    this.rate = Number(satPerKvB);
    this.lastUpdate = now;
    this.blockSinceBump = false;
  }

  blockConnected(now: number): void {
    this.blockSinceBump = true;
    this.lastUpdate = now;
  }
}
