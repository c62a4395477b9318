import { hex } from '@scure/base';
import { buildCoinbase, decodeTx, displayHash, outpointKey, sha256d, type DecodedTx } from './tx';

export const COINBASE_MATURITY = 100;
const HALVING_INTERVAL = 150;
export const REGTEST_BITS = 0x207fffff;
const TARGET = 0x7fffffn << (8n * (0x20n - 3n));

export interface Block {
  hash: string;
  height: number;
  prevHash: string | null;
  version: number;
  merkleRoot: string;
  time: number;
  nonce: number;
  txs: DecodedTx[];
  size: number;
  weight: number;
  /** Arrival order: among equal-work tips Core keeps the one it saw first. */
  seq: number;
}

export interface Coin {
  txid: string;
  vout: number;
  value: bigint;
  script: Uint8Array;
  height: number;
  coinbase: boolean;
}

export const blockSubsidy = (height: number): bigint => {
  const halvings = Math.floor(height / HALVING_INTERVAL);
  return halvings >= 64 ? 0n : (50n * 100_000_000n) >> BigInt(halvings);
};

function merkleRoot(txids: string[]): Uint8Array {
  let level = txids.map((id) => hex.decode(id).reverse());
  while (level.length > 1) {
    if (level.length % 2) level.push(level[level.length - 1]);
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(sha256d(Uint8Array.from([...level[i], ...level[i + 1]])));
    level = next;
  }
  return level[0];
}

function header(version: number, prev: string | null, merkle: Uint8Array, time: number, bits: number, nonce: number): Uint8Array {
  const out = new Uint8Array(80);
  const view = new DataView(out.buffer);
  view.setInt32(0, version, true);
  if (prev) out.set(hex.decode(prev).reverse(), 4);
  out.set(merkle, 36);
  view.setUint32(68, time, true);
  view.setUint32(72, bits, true);
  view.setUint32(76, nonce, true);
  return out;
}

/** Core's regtest genesis block (chainparams.cpp CreateGenesisBlock(1296688602, 2, 0x207fffff, 1, 50 * COIN)). */
const GENESIS_COINBASE =
  '01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff4d04ffff001d0104455468652054696d65732030332f4a616e2f32303039204368616e63656c6c6f72206f6e206272696e6b206f66207365636f6e64206261696c6f757420666f722062616e6b73ffffffff0100f2052a01000000434104678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5fac00000000';

export class Chain {
  readonly blocks = new Map<string, Block>();
  readonly invalid = new Set<string>();
  active: Block[] = [];
  utxo = new Map<string, Coin>();
  /** txid → position in the active chain. */
  txIndex = new Map<string, { block: Block; index: number }>();
  /** outpoint → spending txid and height in the active chain. */
  spentBy = new Map<string, { txid: string; height: number }>();
  private seq = 0;
  private extraNonce = 0;
  /** Calls waiting for the tip to change (waitforblockheight), told once the mutation in progress has finished. */
  private readonly tipWaiters = new Set<() => void>();
  private tipNotice = false;

  constructor() {
    const genesis = this.assemble(null, -1, [decodeTx(GENESIS_COINBASE)], 1296688602, 1, 2);
    this.blocks.set(genesis.hash, genesis);
    this.connect(genesis);
  }

  get tip(): Block {
    return this.active[this.active.length - 1];
  }

  get height(): number {
    return this.active.length - 1;
  }

  /**
   * Resolves with the tip once `until(tip)` holds, or with the tip at the deadline (`timeoutMs` 0: no deadline), as
   * Core's waitTipChanged loop: waiters see the tip after a whole reorg, never a half-disconnected chain.
   */
  waitForTip(until: (tip: Block) => boolean, timeoutMs: number): Promise<Block> {
    if (until(this.tip)) return Promise.resolve(this.tip);
    return new Promise((resolve) => {
      const finish = () => {
        this.tipWaiters.delete(check);
        clearTimeout(timer);
        resolve(this.tip);
      };
      const check = () => {
        if (until(this.tip)) finish();
      };
      // Unreferenced: a held call must not keep a stopping node's process alive.
      const timer = timeoutMs > 0 ? setTimeout(finish, timeoutMs).unref() : undefined;
      this.tipWaiters.add(check);
    });
  }

  private tipMoved(): void {
    if (this.tipNotice || this.tipWaiters.size === 0) return;
    this.tipNotice = true;
    queueMicrotask(() => {
      this.tipNotice = false;
      for (const check of [...this.tipWaiters]) check();
    });
  }

  isActive(block: Block): boolean {
    return this.active[block.height]?.hash === block.hash;
  }

  confirmations(block: Block): number {
    return this.isActive(block) ? this.height - block.height + 1 : -1;
  }

  medianTimePast(block: Block): number {
    const times: number[] = [];
    for (let b: Block | undefined = block; b && times.length < 11; b = b.prevHash ? this.blocks.get(b.prevHash) : undefined) times.push(b.time);
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)];
  }

  chainwork(block: Block): string {
    return ((BigInt(block.height) + 1n) * 2n).toString(16).padStart(64, '0');
  }

  private assemble(prev: Block | null, height: number, txs: DecodedTx[], time: number, version: number, nonce?: number): Block {
    const merkle = merkleRoot(txs.map((t) => t.txid));
    let n = nonce ?? 0;
    let hash = sha256d(header(version, prev?.hash ?? null, merkle, time, REGTEST_BITS, n));
    // Regtest proof of work: about one nonce in two meets the target.
    while (nonce === undefined && BigInt(`0x${displayHash(hash)}`) > TARGET) {
      n++;
      hash = sha256d(header(version, prev?.hash ?? null, merkle, time, REGTEST_BITS, n));
    }
    const size = 80 + 1 + txs.reduce((s, t) => s + t.size, 0);
    return {
      hash: displayHash(hash),
      height: height + 1,
      prevHash: prev?.hash ?? null,
      version,
      merkleRoot: displayHash(merkle),
      time,
      nonce: n,
      txs,
      size,
      weight: 4 * 81 + txs.reduce((s, t) => s + t.weight, 0),
      seq: this.seq++,
    };
  }

  /** Builds (does not connect) a block on `parent` paying subsidy + fees to `coinbaseScript`. */
  createBlock(parent: Block, txs: DecodedTx[], fees: bigint, coinbaseScript: Uint8Array, now: number): Block {
    const height = parent.height + 1;
    const coinbase = buildCoinbase(height, ++this.extraNonce, blockSubsidy(height) + fees, coinbaseScript);
    const time = Math.max(this.medianTimePast(parent) + 1, now);
    const block = this.assemble(parent, parent.height, [coinbase, ...txs], time, 0x20000000);
    this.blocks.set(block.hash, block);
    return block;
  }

  /** Connects a block on the tip; returns a reject reason (and leaves state unchanged) when an input is missing. */
  connect(block: Block): string | null {
    const added: string[] = [];
    const spent: [string, Coin][] = [];
    for (const tx of block.txs) {
      if (!tx.isCoinbase) {
        for (const input of tx.inputs) {
          const key = outpointKey(input.txid, input.vout);
          const coin = this.utxo.get(key);
          if (!coin || (coin.coinbase && block.height - coin.height < COINBASE_MATURITY)) {
            for (const k of added) this.utxo.delete(k);
            for (const [k, c] of spent) this.utxo.set(k, c);
            return coin ? 'bad-txns-premature-spend-of-coinbase' : 'bad-txns-inputs-missingorspent';
          }
          spent.push([key, coin]);
          this.utxo.delete(key);
        }
      }
      tx.outputs.forEach((o, vout) => {
        const key = outpointKey(tx.txid, vout);
        added.push(key);
        this.utxo.set(key, { txid: tx.txid, vout, value: o.value, script: o.script, height: block.height, coinbase: tx.isCoinbase });
      });
    }
    this.active.push(block);
    this.tipMoved();
    block.txs.forEach((tx, index) => {
      this.txIndex.set(tx.txid, { block, index });
      if (!tx.isCoinbase) for (const i of tx.inputs) this.spentBy.set(outpointKey(i.txid, i.vout), { txid: tx.txid, height: block.height });
    });
    return null;
  }

  /** Disconnects the tip (never genesis) and rebuilds the coin view from the remaining chain. */
  disconnectTip(): Block {
    const block = this.active.pop() as Block;
    const remaining = this.active;
    this.active = [];
    this.utxo = new Map();
    this.txIndex = new Map();
    this.spentBy = new Map();
    for (const b of remaining) this.connect(b);
    this.tipMoved();
    return block;
  }

  private hasInvalidAncestor(block: Block): boolean {
    for (let b: Block | undefined = block; b; b = b.prevHash ? this.blocks.get(b.prevHash) : undefined) {
      if (this.invalid.has(b.hash)) return true;
    }
    return false;
  }

  /** Switches to the most-work valid known chain (first seen wins ties), as Core's ActivateBestChain. */
  activateBestChain(): { disconnected: Block[]; connected: Block[] } {
    const disconnected: Block[] = [];
    const connected: Block[] = [];
    for (;;) {
      const best = [...this.blocks.values()]
        .filter((b) => !this.hasInvalidAncestor(b))
        .sort((a, b) => b.height - a.height || a.seq - b.seq)[0];
      if (!best || best.hash === this.tip.hash || (best.height === this.height && this.tip.seq < best.seq)) break;
      const branch: Block[] = [];
      let b: Block = best;
      while (!this.isActive(b)) {
        branch.unshift(b);
        b = this.blocks.get(b.prevHash as string) as Block;
      }
      while (this.height > b.height) disconnected.push(this.disconnectTip());
      for (const next of branch) {
        const reason = this.connect(next);
        if (reason) {
          this.invalid.add(next.hash);
          break;
        }
        connected.push(next);
      }
    }
    return { disconnected, connected };
  }
}
