import type { BitcoinNetwork } from '@bitro/gateway-contract';

export interface NetworkParams {
  bech32Hrp: string;
  pubkeyHashVersion: number;
  scriptHashVersion: number;
}

const MAINNET: NetworkParams = { bech32Hrp: 'bc', pubkeyHashVersion: 0x00, scriptHashVersion: 0x05 };
const TESTNETS: NetworkParams = { bech32Hrp: 'tb', pubkeyHashVersion: 0x6f, scriptHashVersion: 0xc4 };

export const NETWORK_PARAMS: Record<BitcoinNetwork, NetworkParams> = {
  main: MAINNET,
  test: TESTNETS,
  testnet4: TESTNETS,
  signet: TESTNETS,
  regtest: { ...TESTNETS, bech32Hrp: 'bcrt' },
};
