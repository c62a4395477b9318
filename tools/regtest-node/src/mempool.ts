import { outpointKey, type DecodedTx } from './tx';

export interface MempoolEntry {
  tx: DecodedTx;
  fee: bigint;
  time: number;
  height: number;
}

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

  /** Removes a transaction and every mempool descendant; returns the removed txids. */
  removeWithDescendants(txid: string): string[] {
    const entry = this.entries.get(txid);
    if (!entry) return [];
    this.entries.delete(txid);
    for (const i of entry.tx.inputs) this.spends.delete(outpointKey(i.txid, i.vout));
    this.sequence++;
    const removed = [txid];
    entry.tx.outputs.forEach((_, vout) => {
      const child = this.spends.get(outpointKey(txid, vout));
      if (child) removed.push(...this.removeWithDescendants(child));
    });
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
