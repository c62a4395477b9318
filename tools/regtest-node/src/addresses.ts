import { sha256 } from '@noble/hashes/sha2.js';
import { OutScript } from '@scure/btc-signer';
import { base58, bech32, bech32m } from '@scure/base';
import { bech32Decode, fiveToEight, locateErrors } from './bech32';
import { isNullData } from './data-carrier';
import { witnessProgram } from './policy';

/** Regtest network parameters (chainparams.cpp CRegTestParams). */
export const REGTEST = { bech32: 'bcrt', pubKeyHash: 0x6f, scriptHash: 0xc4, wif: 0xef } as const;

/** Core's CTxDestination kinds an address can decode to. */
export type DestinationKind = 'pkh' | 'sh' | 'wpkh' | 'wsh' | 'tr' | 'anchor' | 'unknown';

export interface DecodedAddress {
  kind: DestinationKind;
  script: Uint8Array;
  witnessVersion?: number;
  witnessProgram?: Uint8Array;
}

export type DecodeResult = { ok: true; dest: DecodedAddress } | { ok: false; error: string; errorLocations: number[] };

const WITNESS_V1_TAPROOT_SIZE = 32;
const BECH32_WITNESS_PROG_MAX_LEN = 40;
const PAY_TO_ANCHOR = Uint8Array.of(0x4e, 0x73);

const witnessScript = (version: number, program: Uint8Array): Uint8Array => Uint8Array.from([version === 0 ? 0 : 0x50 + version, program.length, ...program]);
const sha256d = (data: Uint8Array): Uint8Array => sha256(sha256(data));
const bytesEqual = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/** Core's IsSpace, which DecodeBase58 skips around the string. */
const SPACE = /^[ \f\n\r\t\v]*|[ \f\n\r\t\v]*$/g;

/** DecodeBase58(str, max_ret_len): whitespace around is allowed, anything else must be Base58. */
function decodeBase58(str: string, maxLength: number): Uint8Array | null {
  const text = str.replace(SPACE, '');
  if (str.includes('\0')) return null;
  try {
    const bytes = text === '' ? new Uint8Array() : base58.decode(text);
    return bytes.length > maxLength ? null : bytes;
  } catch {
    return null;
  }
}

/** DecodeBase58Check(str, max_ret_len): the payload when the last 4 bytes are its double-SHA256 checksum. */
function decodeBase58Check(str: string, maxLength: number): Uint8Array | null {
  const bytes = decodeBase58(str, maxLength + 4);
  if (!bytes || bytes.length < 4) return null;
  const payload = bytes.subarray(0, -4);
  return bytesEqual(sha256d(payload).subarray(0, 4), bytes.subarray(-4)) ? payload : null;
}

const invalid = (error: string, errorLocations: number[] = []): DecodeResult => ({ ok: false, error, errorLocations });
const valid = (dest: DecodedAddress): DecodeResult => ({ ok: true, dest });

/** Core 29's DecodeDestination (src/key_io.cpp) on regtest, with its error strings and (Bech32) error locations. */
export function decodeDestination(str: string): DecodeResult {
  const isBech32 = str.slice(0, REGTEST.bech32.length).toLowerCase() === REGTEST.bech32;
  if (!isBech32) {
    const data = decodeBase58Check(str, 21);
    if (data) {
      if (data.length === 21 && data[0] === REGTEST.pubKeyHash) {
        return valid({ kind: 'pkh', script: Uint8Array.from([0x76, 0xa9, 20, ...data.subarray(1), 0x88, 0xac]) });
      }
      if (data.length === 21 && data[0] === REGTEST.scriptHash) return valid({ kind: 'sh', script: Uint8Array.from([0xa9, 20, ...data.subarray(1), 0x87]) });
      if (data.length >= 1 && (data[0] === REGTEST.scriptHash || data[0] === REGTEST.pubKeyHash)) return invalid('Invalid length for Base58 address (P2PKH or P2SH)');
      return invalid('Invalid or unsupported Base58-encoded address.');
    }
    return decodeBase58(str, 100)
      ? invalid('Invalid checksum or length of Base58 address (P2PKH or P2SH)')
      : invalid('Invalid or unsupported Segwit (Bech32) or Base58 encoding.');
  }
  const dec = bech32Decode(str);
  if (dec) {
    if (dec.data.length === 0) return invalid('Empty Bech32 data section');
    if (dec.hrp !== REGTEST.bech32) return invalid(`Invalid or unsupported prefix for Segwit (Bech32) address (expected ${REGTEST.bech32}, got ${dec.hrp}).`);
    const version = dec.data[0];
    if (version === 0 && dec.encoding !== 'bech32') return invalid('Version 0 witness address must use Bech32 checksum');
    if (version !== 0 && dec.encoding !== 'bech32m') return invalid('Version 1+ witness address must use Bech32m checksum');
    const program = fiveToEight(dec.data.slice(1));
    if (!program) return invalid('Invalid padding in Bech32 data section');
    const bytes = `${program.length} ${program.length === 1 ? 'byte' : 'bytes'}`;
    const witness = (kind: DestinationKind): DecodeResult => valid({ kind, script: witnessScript(version, program), witnessVersion: version, witnessProgram: program });
    if (version === 0) {
      if (program.length === 20) return witness('wpkh');
      if (program.length === 32) return witness('wsh');
      return invalid(`Invalid Bech32 v0 address program size (${bytes}), per BIP141`);
    }
    // Any 32-byte v1 program is a taproot output: Core does not check that it is a point on the curve.
    if (version === 1 && program.length === WITNESS_V1_TAPROOT_SIZE) return witness('tr');
    if (version === 1 && bytesEqual(program, PAY_TO_ANCHOR)) return witness('anchor');
    if (version > 16) return invalid('Invalid Bech32 address witness version');
    if (program.length < 2 || program.length > BECH32_WITNESS_PROG_MAX_LEN) return invalid(`Invalid Bech32 address program size (${bytes})`);
    return witness('unknown');
  }
  const located = locateErrors(str);
  return invalid(located.error, located.locations);
}

/** The output script of a valid regtest address, or null (DecodeDestination + IsValidDestination). */
export function decodeAddress(address: string): DecodedAddress | null {
  const result = decodeDestination(address);
  return result.ok ? result.dest : null;
}

/** Core's EncodeDestination of an output script's destination, or undefined when it has no address. */
export function scriptToAddress(script: Uint8Array): string | undefined {
  const wp = witnessProgram(script);
  if (wp) {
    const { version, program } = wp;
    if (version === 0 && program.length !== 20 && program.length !== 32) return undefined;
    if (program.length < 2 || program.length > BECH32_WITNESS_PROG_MAX_LEN) return undefined;
    const words = [version, ...bech32.toWords(program)];
    return version === 0 ? bech32.encode(REGTEST.bech32, words, 90) : bech32m.encode(REGTEST.bech32, words, 90);
  }
  const hash = (prefix: number, h: Uint8Array) => {
    const payload = Uint8Array.from([prefix, ...h]);
    return base58.encode(Uint8Array.from([...payload, ...sha256d(payload).subarray(0, 4)]));
  };
  if (script.length === 25 && script[0] === 0x76 && script[1] === 0xa9 && script[2] === 20 && script[23] === 0x88 && script[24] === 0xac) {
    return hash(REGTEST.pubKeyHash, script.subarray(3, 23));
  }
  if (script.length === 23 && script[0] === 0xa9 && script[1] === 20 && script[22] === 0x87) return hash(REGTEST.scriptHash, script.subarray(2, 22));
  return undefined;
}

/** Core's script type names (`scriptPubKey.type`, GetTxnOutputType). */
export function scriptType(script: Uint8Array): string {
  if (isNullData(script)) return 'nulldata';
  const wp = witnessProgram(script);
  if (wp) {
    if (wp.version === 0 && wp.program.length === 20) return 'witness_v0_keyhash';
    if (wp.version === 0 && wp.program.length === 32) return 'witness_v0_scripthash';
    if (wp.version === 1 && wp.program.length === 32) return 'witness_v1_taproot';
    if (wp.version === 1 && bytesEqual(wp.program, PAY_TO_ANCHOR)) return 'anchor';
    if (wp.version !== 0) return 'witness_unknown';
    return 'nonstandard';
  }
  try {
    const names: Record<string, string> = { pkh: 'pubkeyhash', sh: 'scripthash', pk: 'pubkey', ms: 'multisig' };
    return names[OutScript.decode(script).type] ?? 'nonstandard';
  } catch {
    return 'nonstandard';
  }
}
