import { HDKey } from '@scure/bip32';
import { p2wpkh } from '@scure/btc-signer';
import { decodeAddress, REGTEST } from './addresses';
import type { Faults } from './faults';
import type { RegtestNode } from './node';
import { RpcError, RPC } from './rpc/errors';

/** An address outside every wallet: default payee of control-mined blocks and double-spends. */
export const EXTERNAL_ADDRESS = p2wpkh(
  HDKey.fromMasterSeed(new TextEncoder().encode('regtest-node external key seed!!')).derive('m/0').publicKey as Uint8Array,
  REGTEST,
).address as string;

const scriptOf = (address: string | undefined): Uint8Array => {
  const dest = decodeAddress(address ?? EXTERNAL_ADDRESS);
  if (!dest) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, `Invalid Bitcoin address: ${address}`);
  return dest.script;
};

export interface ReorgOptions {
  /** How many top blocks to replace (by depth + 1 new ones). */
  depth: number;
  /** Transactions kept out of the new blocks: they stay in the mempool. */
  exclude?: string[];
  /** Transactions dropped from the mempool altogether (they are not mined either). */
  drop?: string[];
  /** Wallet transactions replaced in the new blocks by a conflicting spend of the same inputs. */
  doubleSpend?: string[];
  address?: string;
  wallet?: string;
}

export interface Controls {
  /** Holds every answer (or only those to `method`) for `ms`; the call itself is processed at once. */
  delay(ms: number, method?: string): void;
  dropNext(count: number): void;
  dropMethod(method: string, times?: number): void;
  /** Answers calls of `method` 403, as Core does for a method missing from the user's -rpcwhitelist; false lifts it. */
  forbidMethod(method: string, forbidden?: boolean): void;
  down(): Promise<void>;
  up(): Promise<void>;
  warmup(on: boolean, message?: string): void;
  mine(blocks: number, address?: string): string[];
  reorg(opts: ReorgOptions): string[];
  doubleSpend(txid: string, opts?: { address?: string; wallet?: string }): { txid: string; blockhash: string };
  setFeeRate(satPerKvB: bigint | null): void;
  /** Removes a mempool transaction and its descendants as size-limit trimming does; the wallet keeps them (unconfirmed, not in the mempool). */
  evict(txid: string): string[];
  /** Raises the mempool's rolling minimum fee rate (sat/kvB) as trimming does; it decays after the next blocks; 0 clears it. */
  setMempoolMinFee(satPerKvB: bigint): void;
  /** Advances the mempool's clock and expires what is older than -mempoolexpiry; returns the expired txids. */
  advanceMempoolClock(seconds: number): string[];
  reset(): void;
}

export function createControls(node: RegtestNode, faults: Faults, server: { down(): Promise<void>; up(): Promise<void> }): Controls {
  const wallet = (name?: string) => {
    const w = name !== undefined ? node.wallets.get(name) : [...node.wallets.values()][0];
    if (!w) throw new RpcError(RPC.WALLET_NOT_FOUND, 'Requested wallet does not exist or is not loaded');
    return w;
  };
  return {
    delay: (ms, method) => void (method === undefined ? (faults.delayMs = ms) : faults.delayMethods.set(method, ms)),
    dropNext: (count) => void (faults.dropNext = count),
    dropMethod: (method, times = Infinity) => void (times > 0 ? faults.dropMethods.set(method, times) : faults.dropMethods.delete(method)),
    forbidMethod: (method, forbidden = true) => void (forbidden ? faults.forbiddenMethods.add(method) : faults.forbiddenMethods.delete(method)),
    down: () => server.down(),
    up: () => server.up(),
    warmup: (on, message = 'Loading block index…') => void (faults.warmup = on ? message : null),
    mine: (blocks, address) => node.mine(blocks, scriptOf(address)),
    reorg: (opts) =>
      node.reorg(opts.depth, scriptOf(opts.address), {
        exclude: opts.exclude,
        drop: opts.drop,
        beforeMine: () => {
          for (const txid of opts.doubleSpend ?? []) node.acceptToMempool(wallet(opts.wallet).buildConflict(txid, scriptOf(undefined)));
        },
      }),
    doubleSpend: (txid, opts = {}) => {
      if (!node.mempool.has(txid)) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, 'Transaction not in mempool');
      const conflict = wallet(opts.wallet).buildConflict(txid, scriptOf(opts.address));
      const [blockhash] = node.doubleSpend(conflict, scriptOf(undefined));
      return { txid: conflict.txid, blockhash };
    },
    setFeeRate: (rate) => void (node.feeEstimate = rate),
    evict: (txid) => node.evict(txid),
    setMempoolMinFee: (rate) => node.raiseRollingMinFee(rate),
    advanceMempoolClock: (seconds) => {
      node.mempoolClockOffset += seconds;
      return node.expire();
    },
    reset: () => faults.reset(),
  };
}
