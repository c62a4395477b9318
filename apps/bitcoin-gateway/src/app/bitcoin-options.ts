import { readFileSync } from 'node:fs';
import type { GatewayEnv } from '@bitro/config';
import type { BitcoinModuleOptions, NoEstimatePolicy } from '@bitro/bitcoin';
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
    fees: { confTarget: env.FEE_CONF_TARGET, noEstimate: noEstimatePolicy(env) },
    deposits: { confirmations: env.DEPOSIT_CONFIRMATIONS, scanIntervalMs: env.DEPOSIT_SCAN_INTERVAL_MS, tipPollMs: env.DEPOSIT_TIP_POLL_MS },
    withdrawals: {
      confirmations: env.WITHDRAWAL_CONFIRMATIONS,
      sendIntervalMs: env.WITHDRAWAL_SEND_INTERVAL_MS,
      batchWindowMs: env.WITHDRAWAL_BATCH_WINDOW_MS,
      batchMax: env.WITHDRAWAL_BATCH_MAX,
      bumpAfterBlocks: env.WITHDRAWAL_BUMP_AFTER_BLOCKS,
      allowAnyoneCanSpend: env.WITHDRAWAL_ALLOW_ANYONE_CAN_SPEND,
    },
    wallet: {
      passphrase: env.BITCOIN_WALLET_PASSPHRASE_FILE === undefined ? undefined : readFileSync(env.BITCOIN_WALLET_PASSPHRASE_FILE, 'utf8').replace(/\r?\n$/, ''),
    },
    reserves: { checkIntervalMs: env.RESERVES_CHECK_INTERVAL_MS, toleranceSats: BigInt(env.RESERVES_TOLERANCE_SATS) },
  };
}

/** The configured policy; unset, the fixed fallback rate on regtest only (a fresh chain has no estimate), else refuse. */
function noEstimatePolicy(env: GatewayEnv): NoEstimatePolicy {
  if (env.FEE_NO_ESTIMATE_POLICY === 'floor' && env.FEE_FLOOR_SAT_PER_VB !== undefined) return { policy: 'floor', satPerVb: env.FEE_FLOOR_SAT_PER_VB };
  if (env.FEE_NO_ESTIMATE_POLICY === undefined && env.BITCOIN_NETWORK === 'regtest') return { policy: 'fallback', satPerVb: env.FEE_FALLBACK_SAT_PER_VB };
  return { policy: 'refuse' };
}
