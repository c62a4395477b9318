import { outpointKey, type DecodedTx } from './tx';

export interface MempoolEntry {
  tx: DecodedTx;
  fee: bigint;
  /** Entry time (node clock, seconds): -mempoolexpiry counts from here. */
  time: number;
  height: number;
}

/** Ancestor or descendant package of an entry, itself included (CTxMemPoolEntry's *WithAncestors / *WithDescendants). */
export interface PackageStats {
  count: number;
  size: number;
  fees: bigint;
}

/** Core's txid order in its std::sets of entries: the hash bytes compared from the first (internal, not display) byte. */
export const compareTxids = (a: string, b: string): number => {
  for (let i = 62; i >= 0; i -= 2) {
    const d = parseInt(a.slice(i, i + 2), 16) - parseInt(b.slice(i, i + 2), 16);
    if (d !== 0) return d;
  }
  return 0;
};

/** Unconfirmed transactions in arrival order (parents always precede children). */
export class Mempool {
  readonly entries = new Map<string, MempoolEntry>();
  /** outpoint → txid of the mempool transaction spending it. */
  readonly spends = new Map<string, string>();
  sequence = 0;

  has(txid: string): boolean {
    return this.entries.has(txid);
  }

  get(txid: string): MempoolEntry | undefined {
    return this.entries.get(txid);
  }

  add(entry: MempoolEntry): void {
    this.entries.set(entry.tx.txid, entry);
    for (const i of entry.tx.inputs) this.spends.set(outpointKey(i.txid, i.vout), entry.tx.txid);
    this.sequence++;
  }

  /** In-mempool parents of a transaction (in the pool or not), in Core's set order. */
  parentsOf(tx: DecodedTx): string[] {
    return [...new Set(tx.inputs.map((i) => i.txid).filter((id) => this.entries.has(id)))].sort(compareTxids);
  }

  childrenOf(txid: string): string[] {
    const entry = this.entries.get(txid);
    if (!entry) return [];
    const children = entry.tx.outputs.map((_, vout) => this.spends.get(outpointKey(txid, vout))).filter((c): c is string => c !== undefined);
    return [...new Set(children)].sort(compareTxids);
  }

  /** Every in-mempool ancestor of a transaction, itself excluded. */
  ancestorsOf(tx: DecodedTx): Set<string> {
    const found = new Set<string>();
    const stack = this.parentsOf(tx);
    while (stack.length > 0) {
      const id = stack.pop() as string;
      if (found.has(id)) continue;
      found.add(id);
      stack.push(...this.parentsOf((this.entries.get(id) as MempoolEntry).tx));
    }
    return found;
  }

  /** Every in-mempool descendant of a mempool transaction, itself excluded (CTxMemPool::CalculateDescendants). */
  descendantsOf(txid: string): Set<string> {
    const found = new Set<string>();
    const stack = this.childrenOf(txid);
    while (stack.length > 0) {
      const id = stack.pop() as string;
      if (found.has(id)) continue;
      found.add(id);
      stack.push(...this.childrenOf(id));
    }
    return found;
  }

  private stats(self: MempoolEntry, others: Iterable<string>): PackageStats {
    let count = 1;
    let size = self.tx.vsize;
    let fees = self.fee;
    for (const id of others) {
      const e = this.entries.get(id) as MempoolEntry;
      count++;
      size += e.tx.vsize;
      fees += e.fee;
    }
    return { count, size, fees };
  }

  withAncestors(txid: string): PackageStats {
    const entry = this.entries.get(txid) as MempoolEntry;
    return this.stats(entry, this.ancestorsOf(entry.tx));
  }

  withDescendants(txid: string): PackageStats {
    return this.stats(this.entries.get(txid) as MempoolEntry, this.descendantsOf(txid));
  }

  /** Removes a transaction and every mempool descendant; returns the removed txids. */
  removeWithDescendants(txid: string): string[] {
    const entry = this.entries.get(txid);
    if (!entry) return [];
    const children = this.childrenOf(txid);
    this.entries.delete(txid);
    for (const i of entry.tx.inputs) this.spends.delete(outpointKey(i.txid, i.vout));
    this.sequence++;
    const removed = [txid];
    for (const child of children) removed.push(...this.removeWithDescendants(child));
    return removed;
  }

  clear(): MempoolEntry[] {
    const all = [...this.entries.values()];
    this.entries.clear();
    this.spends.clear();
    this.sequence++;
    return all;
  }
}
