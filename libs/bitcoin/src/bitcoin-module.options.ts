import type { InjectionToken } from '@nestjs/common';
import type { BitcoinNetwork } from '@bitro/gateway-contract';
import type { BitcoinRpcClientOptions } from './features/node/bitcoin-rpc.client';

/**
 * What to do when Core has no fee estimate: `fallback` pays a fixed rate and is meant for regtest only (a fresh chain
 * never has an estimate); `refuse` sends nothing new until it has one; `floor` pays a configured rate.
 */
export type NoEstimatePolicy = { policy: 'fallback'; satPerVb: number } | { policy: 'refuse' } | { policy: 'floor'; satPerVb: number };

export interface FeeOptions {
  /** estimatesmartfee's confirmation target when a request names none. */
  confTarget: number;
  noEstimate: NoEstimatePolicy;
}

export const DEFAULT_FEE_OPTIONS: FeeOptions = { confTarget: 6, noEstimate: { policy: 'refuse' } };

export interface DepositOptions {
  /** Blocks a deposit needs before `gateway.deposit-confirmed.v1`. */
  confirmations: number;
  /** A full scan at least this often. */
  scanIntervalMs: number;
  /**
   * The pause between two watches of the tip (each a `waitforblockheight` call held until the next block or 20 s, or a
   * `getbestblockhash` poll where the node refuses that call); a new block starts a scan at once.
   */
  tipPollMs: number;
}

export const DEFAULT_DEPOSIT_OPTIONS: DepositOptions = { confirmations: 3, scanIntervalMs: 5_000, tipPollMs: 1_000 };

export interface WithdrawalOptions {
  /** Blocks after which a payout is reported confirmed. */
  confirmations: number;
  /** How often the sender runs (queued withdrawals, unbroadcast and unconfirmed payouts). */
  sendIntervalMs: number;
  /** A queued withdrawal waits up to this long for others to share its transaction; 0 sends each at once. */
  batchWindowMs: number;
  /** The most withdrawals in one transaction. */
  batchMax: number;
  /** A broadcast payout still unconfirmed after this many blocks is fee-bumped within its withdrawals' maxFeeSats; 0: never. */
  bumpAfterBlocks?: number;
  /** Pay outputs that anyone can spend today (witness v2–16, pay-to-anchor); refused by default. */
  allowAnyoneCanSpend?: boolean;
}

export const DEFAULT_WITHDRAWAL_OPTIONS: WithdrawalOptions = { confirmations: 1, sendIntervalMs: 1_000, batchWindowMs: 0, batchMax: 50 };

export interface WalletOptions {
  /** The passphrase of an encrypted wallet; the wallet is unlocked only while the gateway signs. */
  passphrase?: string;
}

export interface ReservesOptions {
  /** How often the chain ↔ records check runs. */
  checkIntervalMs: number;
  /** A difference above this (sats, either way) pauses automatic payouts until an admin acknowledges it. */
  toleranceSats: bigint;
}

export const DEFAULT_RESERVES_OPTIONS: ReservesOptions = { checkIntervalMs: 60_000, toleranceSats: 0n };

export interface BitcoinModuleOptions {
  /** The chain the node runs (Core's name); addresses are validated for it. */
  network: BitcoinNetwork;
  rpc: BitcoinRpcClientOptions;
  fees?: FeeOptions;
  deposits?: DepositOptions;
  withdrawals?: WithdrawalOptions;
  wallet?: WalletOptions;
  reserves?: ReservesOptions;
}

export const BITCOIN_MODULE_OPTIONS: InjectionToken<BitcoinModuleOptions> = Symbol('BITCOIN_MODULE_OPTIONS');
