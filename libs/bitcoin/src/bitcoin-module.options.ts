import type { InjectionToken } from '@nestjs/common';
import type { BitcoinNetwork } from '@bitro/gateway-contract';
import type { BitcoinRpcClientOptions } from './rpc/bitcoin-rpc.client';

export interface FeeOptions {
  /** estimatesmartfee's confirmation target when a request names none. */
  confTarget: number;
  /** sat/vB when Core has no estimate. */
  fallbackSatPerVb: number;
}

export const DEFAULT_FEE_OPTIONS: FeeOptions = { confTarget: 6, fallbackSatPerVb: 10 };

export interface DepositOptions {
  /** Blocks a deposit needs before `gateway.deposit-confirmed.v1`. */
  confirmations: number;
  /** A full scan at least this often. */
  scanIntervalMs: number;
  /** Best-block polling; a new block starts a scan at once. */
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
}

export const DEFAULT_WITHDRAWAL_OPTIONS: WithdrawalOptions = { confirmations: 1, sendIntervalMs: 1_000, batchWindowMs: 0, batchMax: 50 };

export interface BitcoinModuleOptions {
  /** The chain the node runs (Core's name); addresses are validated for it. */
  network: BitcoinNetwork;
  rpc: BitcoinRpcClientOptions;
  fees?: FeeOptions;
  deposits?: DepositOptions;
  withdrawals?: WithdrawalOptions;
}

export const BITCOIN_MODULE_OPTIONS: InjectionToken<BitcoinModuleOptions> = Symbol('BITCOIN_MODULE_OPTIONS');
