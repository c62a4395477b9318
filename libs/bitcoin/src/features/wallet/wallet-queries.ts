import { BitcoinRpcClient } from '../node/bitcoin-rpc.client';
import { passesWithTime } from '../node/node-refusals';
import { BitcoinRpcError, type RpcErrorKind } from '../node/rpc-errors';
import type { MempoolEntry, WalletTransaction } from '../node/rpc-schemas';

/** The wallet's view of a transaction; undefined if the wallet never saw it (no mempool or block ever held it). */
export function findWalletTransaction(rpc: BitcoinRpcClient, txid: string): Promise<WalletTransaction | undefined> {
  return unlessUnknown(rpc.getTransaction(txid));
}

export function findMempoolEntry(rpc: BitcoinRpcClient, txid: string): Promise<MempoolEntry | undefined> {
  return unlessUnknown(rpc.getMempoolEntry(txid));
}

export async function isInMempool(rpc: BitcoinRpcClient, txid: string): Promise<boolean> {
  return (await findMempoolEntry(rpc, txid)) !== undefined;
}

/**
 * Whether the node holds a transaction of ours after all (mined, or in its mempool), as asked after a rejection,
 * which may only mean it is already there; with the wallet's view of it (undefined: the wallet never saw it).
 */
export async function acceptedByNode(rpc: BitcoinRpcClient, txid: string): Promise<{ tx: WalletTransaction | undefined; accepted: boolean }> {
  const tx = await findWalletTransaction(rpc, txid);
  const accepted = tx !== undefined && (tx.confirmations > 0 || (tx.confirmations === 0 && (await isInMempool(rpc, txid))));
  return { tx, accepted };
}

export type SendOutcome =
  /** In the mempool or in the chain (Core: -27 "Transaction outputs already in utxo set"). */
  | { kind: 'accepted' }
  /** A definite "no" for this transaction as it is (-25 missing inputs / max fee, -26 mempool policy, -22 undecodable). */
  | { kind: 'rejected'; error: BitcoinRpcError }
  /** Not now, maybe after the next block: the mempool chain limit or the mempool's minimum fee (see passesWithTime). */
  | { kind: 'deferred'; error: BitcoinRpcError }
  /** No usable answer (timeout, connection, warm-up, ...): the node may have accepted it. */
  | { kind: 'unknown'; error: Error };

const REJECTIONS: ReadonlySet<RpcErrorKind> = new Set(['verify-error', 'verify-rejected', 'deserialization-error']);

/** sendrawtransaction of a persisted transaction (always its stored hex), and what the answer means. */
export async function sendSignedTransaction(rpc: BitcoinRpcClient, rawHex: string): Promise<SendOutcome> {
  try {
    await rpc.sendRawTransaction(rawHex);
    return { kind: 'accepted' };
  } catch (error) {
    if (error instanceof BitcoinRpcError && error.kind === 'already-in-chain') return { kind: 'accepted' };
    if (passesWithTime(error)) return { kind: 'deferred', error };
    if (error instanceof BitcoinRpcError && REJECTIONS.has(error.kind)) return { kind: 'rejected', error };
    return { kind: 'unknown', error: error as Error };
  }
}

/** Core answers -5 (RPC_INVALID_ADDRESS_OR_KEY) for a transaction it does not know. */
async function unlessUnknown<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof BitcoinRpcError && error.kind === 'invalid-address-or-key') return undefined;
    throw error;
  }
}
