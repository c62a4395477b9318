import type { GatewayEnv } from '@bitro/config';
import type { BitcoinModuleOptions } from '@bitro/bitcoin';
import type { BitcoinNetwork } from '@bitro/gateway-contract';

/** BITCOIN_NETWORK → the chain name Core reports (`getblockchaininfo.chain`). */
const CORE_CHAIN: Record<GatewayEnv['BITCOIN_NETWORK'], BitcoinNetwork> = {
  mainnet: 'main',
  testnet: 'test',
  signet: 'signet',
  regtest: 'regtest',
};

export function bitcoinOptionsFrom(env: GatewayEnv): BitcoinModuleOptions {
  return {
    network: CORE_CHAIN[env.BITCOIN_NETWORK],
    rpc: {
      url: env.BITCOIN_RPC_URL,
      wallet: env.BITCOIN_RPC_WALLET,
      // The env schema guarantees user + password or a cookie file.
      auth: env.BITCOIN_RPC_COOKIE_FILE !== undefined
        ? { cookieFile: env.BITCOIN_RPC_COOKIE_FILE }
        : { user: env.BITCOIN_RPC_USER ?? '', password: env.BITCOIN_RPC_PASSWORD ?? '' },
      timeoutMs: env.BITCOIN_RPC_TIMEOUT_MS,
    },
    fees: { confTarget: env.FEE_CONF_TARGET, fallbackSatPerVb: env.FEE_FALLBACK_SAT_PER_VB },
    deposits: { confirmations: env.DEPOSIT_CONFIRMATIONS, scanIntervalMs: env.DEPOSIT_SCAN_INTERVAL_MS, tipPollMs: env.DEPOSIT_TIP_POLL_MS },
    withdrawals: {
      confirmations: env.WITHDRAWAL_CONFIRMATIONS,
      sendIntervalMs: env.WITHDRAWAL_SEND_INTERVAL_MS,
      batchWindowMs: env.WITHDRAWAL_BATCH_WINDOW_MS,
      batchMax: env.WITHDRAWAL_BATCH_MAX,
    },
  };
}
