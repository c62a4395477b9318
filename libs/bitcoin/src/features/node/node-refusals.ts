import { BitcoinRpcError } from './rpc-errors';

/*
 * What Bitcoin Core 29's refusals mean for a sender. The codes come from src/rpc/protocol.h; the reasons from
 * src/validation.cpp (mempool policy, -26) and src/wallet/spend.cpp (coin selection, surfaced by fundrawtransaction
 * as RPC_WALLET_ERROR -4, while sendtoaddress answers RPC_WALLET_INSUFFICIENT_FUNDS -6).
 */

/** fundrawtransaction: -4 "Insufficient funds"; sendtoaddress/sendmany: -6. */
export function isInsufficientFunds(error: unknown): error is BitcoinRpcError {
  if (!(error instanceof BitcoinRpcError)) return false;
  return error.kind === 'insufficient-funds' || (error.kind === 'wallet-error' && /^insufficient funds/i.test(error.rpcMessage));
}

/**
 * Refusals that a later block lifts: the unconfirmed chain is too long (`too-long-mempool-chain`, or the wallet's
 * "Unconfirmed UTXOs are available, but spending them creates a chain of transactions that will be rejected by the
 * mempool") or the mempool's minimum fee rose above ours (`mempool min fee not met`, `mempool full`). The same
 * transaction is sent again once the tip has changed; nothing fails because of them.
 */
export function passesWithTime(error: unknown): error is BitcoinRpcError {
  if (!(error instanceof BitcoinRpcError)) return false;
  if (error.kind === 'verify-rejected') return /too-long-mempool-chain|mempool min fee not met|mempool full/.test(error.rpcMessage);
  return error.kind === 'wallet-error' && /creates a chain of transactions that will be rejected by the mempool/.test(error.rpcMessage);
}
