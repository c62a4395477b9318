import { Inject, Injectable } from '@nestjs/common';
import { BITCOIN_MODULE_OPTIONS, type BitcoinModuleOptions } from '../../bitcoin-module.options';
import { BitcoinRpcClient } from '../node/bitcoin-rpc.client';
import { BitcoinRpcError } from '../node/rpc-errors';

export interface WalletProbeResult {
  name: 'bitcoin-wallet';
  up: boolean;
  latencyMs: number;
  wallet?: string;
  encrypted?: boolean;
  /** Why withdrawals cannot be signed although the wallet is loaded (deposits still work). */
  warning?: string;
  error?: string;
}

const PROBE_TIMEOUT_MS = 2_000;

/**
 * Readiness of the gateway's wallet, not only the node: loaded (the client loads it after a Core restart, -18), and
 * able to sign: an encrypted wallet needs BITCOIN_WALLET_PASSPHRASE_FILE, and that passphrase must unlock it.
 */
@Injectable()
export class WalletProbe {
  private readonly client: BitcoinRpcClient;
  private readonly passphrase: string | undefined;

  constructor(@Inject(BITCOIN_MODULE_OPTIONS) options: BitcoinModuleOptions) {
    this.client = new BitcoinRpcClient({ ...options.rpc, retries: 0, timeoutMs: Math.min(options.rpc.timeoutMs ?? PROBE_TIMEOUT_MS, PROBE_TIMEOUT_MS) });
    this.passphrase = options.wallet?.passphrase;
  }

  async probe(): Promise<WalletProbeResult> {
    const started = performance.now();
    const result = (fields: Omit<WalletProbeResult, 'name' | 'latencyMs'>): WalletProbeResult => ({
      name: 'bitcoin-wallet',
      latencyMs: Math.round(performance.now() - started),
      ...fields,
    });
    let info;
    try {
      info = await this.client.getWalletInfo();
    } catch (error) {
      const detail = error instanceof BitcoinRpcError ? `${error.rpcMessage} (code ${error.code})` : (error as Error).message;
      return result({ up: false, error: `wallet not loaded or unreachable: ${detail}` });
    }
    const encrypted = info.unlocked_until !== undefined;
    const state = { wallet: info.walletname, encrypted };
    if (!info.private_keys_enabled) return result({ ...state, up: true, warning: 'the wallet has no private keys: withdrawals cannot be signed' });
    if (encrypted && this.passphrase === undefined) {
      return result({ ...state, up: true, warning: 'the wallet is encrypted and BITCOIN_WALLET_PASSPHRASE_FILE is not set: withdrawals cannot be signed' });
    }
    return result({ ...state, up: true });
  }
}
