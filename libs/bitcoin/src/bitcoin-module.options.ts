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

export interface BitcoinModuleOptions {
  /** The chain the node runs (Core's name); addresses are validated for it. */
  network: BitcoinNetwork;
  rpc: BitcoinRpcClientOptions;
  fees?: FeeOptions;
}

export const BITCOIN_MODULE_OPTIONS: InjectionToken<BitcoinModuleOptions> = Symbol('BITCOIN_MODULE_OPTIONS');
