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
  };
}
