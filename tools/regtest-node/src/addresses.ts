import { Address, OutScript } from '@scure/btc-signer';
import { isNullData } from './data-carrier';

/** Regtest network parameters (chainparams.cpp CRegTestParams). */
export const REGTEST = { bech32: 'bcrt', pubKeyHash: 0x6f, scriptHash: 0xc4, wif: 0xef } as const;

export interface DecodedAddress {
  script: Uint8Array;
  isScript: boolean;
  witnessVersion?: number;
  witnessProgram?: Uint8Array;
}

/** Decodes a regtest address into its output script, or null when it is not a valid regtest address. */
export function decodeAddress(address: string): DecodedAddress | null {
  try {
    const decoded = Address(REGTEST).decode(address);
    const script = OutScript.encode(decoded);
    switch (decoded.type) {
      case 'wpkh':
        return { script, isScript: false, witnessVersion: 0, witnessProgram: decoded.hash };
      case 'wsh':
        return { script, isScript: true, witnessVersion: 0, witnessProgram: decoded.hash };
      case 'tr':
        return { script, isScript: true, witnessVersion: 1, witnessProgram: decoded.pubkey };
      case 'sh':
        return { script, isScript: true };
      default:
        return { script, isScript: false };
    }
  } catch {
    return null;
  }
}

export function scriptToAddress(script: Uint8Array): string | undefined {
  try {
    return Address(REGTEST).encode(OutScript.decode(script));
  } catch {
    return undefined;
  }
}

/** Core's script type names (`scriptPubKey.type`). */
export function scriptType(script: Uint8Array): string {
  if (isNullData(script)) return 'nulldata';
  try {
    const type = OutScript.decode(script).type;
    const names: Record<string, string> = {
      pkh: 'pubkeyhash',
      sh: 'scripthash',
      wpkh: 'witness_v0_keyhash',
      wsh: 'witness_v0_scripthash',
      tr: 'witness_v1_taproot',
      pk: 'pubkey',
      ms: 'multisig',
    };
    return names[type] ?? 'nonstandard';
  } catch {
    return 'nonstandard';
  }
}

