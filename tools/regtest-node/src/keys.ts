import { HDKey } from '@scure/bip32';
import { p2tr, p2wpkh } from '@scure/btc-signer';
import { hex } from '@scure/base';
import { REGTEST } from './addresses';
import { withChecksum } from './rpc/descriptor';

/** tprv/tpub version bytes: Core shows test-network extended keys on regtest. */
const TEST_VERSIONS = { private: 0x04358394, public: 0x043587cf };

export type AddressType = 'bech32' | 'bech32m';

export interface WalletKey {
  address: string;
  script: Uint8Array;
  type: AddressType;
  path: string;
  internal: boolean;
  privateKey: Uint8Array;
  publicKey: Uint8Array;
  timestamp: number;
}

/** BIP84 (P2WPKH) and BIP86 (P2TR) keychains of one HD seed, on the testnet coin type Core uses for regtest. */
export class Keychain {
  readonly master: HDKey;
  private readonly next = new Map<string, number>();

  constructor(seed: Uint8Array) {
    this.master = HDKey.fromMasterSeed(seed, TEST_VERSIONS);
  }

  get fingerprint(): string {
    return this.master.fingerprint.toString(16).padStart(8, '0');
  }

  /** Hash160 of the master public key, as Core's hdseedid. */
  get seedId(): string {
    return hex.encode(this.master.identifier ?? new Uint8Array(20));
  }

  derive(type: AddressType, internal: boolean, now: number): WalletKey {
    const purpose = type === 'bech32' ? 84 : 86;
    const chainIndex = internal ? 1 : 0;
    const counter = `${purpose}/${chainIndex}`;
    const index = this.next.get(counter) ?? 0;
    this.next.set(counter, index + 1);
    const path = `m/${purpose}'/1'/0'/${chainIndex}/${index}`;
    const node = this.master.derive(path);
    const publicKey = node.publicKey as Uint8Array;
    const payment = type === 'bech32' ? p2wpkh(publicKey, REGTEST) : p2tr(publicKey.subarray(1), undefined, REGTEST);
    return {
      address: payment.address as string,
      script: payment.script,
      type,
      path,
      internal,
      privateKey: node.privateKey as Uint8Array,
      publicKey,
      timestamp: now,
    };
  }

  /** The ranged descriptor a key of this keychain comes from, as Core's parent_desc. */
  parentDescriptor(type: AddressType, internal: boolean): string {
    const purpose = type === 'bech32' ? 84 : 86;
    const account = this.master.derive(`m/${purpose}'/1'/0'`).publicExtendedKey;
    const body = `[${this.fingerprint}/${purpose}h/1h/0h]${account}/${internal ? 1 : 0}/*`;
    return withChecksum(type === 'bech32' ? `wpkh(${body})` : `tr(${body})`);
  }

  /** Keys handed out so far on one keychain, for keypoolsize-like figures. */
  issued(type: AddressType, internal: boolean): number {
    return this.next.get(`${type === 'bech32' ? 84 : 86}/${internal ? 1 : 0}`) ?? 0;
  }
}
