import { createHash } from 'node:crypto';
import { base58 } from '@scure/base';
import type { AddressInvalidReason, AddressType, BitcoinNetwork } from '@bitro/gateway-contract';
import { bech32Decode, wordsToBytes } from './bech32';
import { NETWORK_PARAMS } from './networks';

export type AddressValidation =
  | { valid: true; type: AddressType; scriptPubKeyHex: string }
  | { valid: false; reason: AddressInvalidReason; message: string };

/** Core's DecodeBase58Check(str, 21): at most 21 payload bytes plus the 4-byte checksum. */
const MAX_BASE58_BYTES = 25;

/**
 * Decides whether Bitcoin Core, configured for `network`, accepts an address as a payment destination, following
 * DecodeDestination in Core's key_io.cpp (BIP-173/BIP-350 for segwit, Base58Check for P2PKH/P2SH).
 * Deliberately stricter in one point: Core skips whitespace around Base58 addresses; callers trim input instead.
 */
export class AddressValidator {
  constructor(readonly network: BitcoinNetwork) {}

  validate(address: string): AddressValidation {
    return validateAddress(address, this.network);
  }
}

export function validateAddress(address: string, network: BitcoinNetwork): AddressValidation {
  const params = NETWORK_PARAMS[network];
  // Like Core: a string starting with this network's HRP is judged as bech32 only, anything else as Base58 first.
  if (!address.toLowerCase().startsWith(params.bech32Hrp)) {
    const base58Result = validateBase58(address, params.pubkeyHashVersion, params.scriptHashVersion);
    if (base58Result.checksumOk) return base58Result.result;
    const segwit = bech32Decode(address);
    return segwit.ok ? validateSegwit(segwit, params.bech32Hrp) : base58Result.result;
  }
  const decoded = bech32Decode(address);
  if (decoded.ok) return validateSegwit(decoded, params.bech32Hrp);
  switch (decoded.error) {
    case 'mixed-case':
      return invalid('mixed-case', 'Bech32 addresses must not mix upper and lower case');
    case 'bad-checksum':
      return invalid('bad-checksum', 'Invalid Bech32 checksum');
    case 'too-long':
      return invalid('invalid-length', 'Bech32 address is longer than 90 characters');
    default:
      return invalid('invalid-encoding', 'Invalid Bech32 encoding');
  }
}

function validateSegwit(decoded: { hrp: string; encoding: 'bech32' | 'bech32m'; words: number[] }, expectedHrp: string): AddressValidation {
  if (decoded.words.length === 0) return invalid('empty-data', 'Empty Bech32 data section');
  if (decoded.hrp !== expectedHrp) {
    return invalid('wrong-network', `Address prefix "${decoded.hrp}" is not for this network (expected "${expectedHrp}")`);
  }
  const [version, ...programWords] = decoded.words;
  if (version > 16) return invalid('invalid-witness-version', `Invalid witness version ${version}`);
  if (version === 0 && decoded.encoding !== 'bech32') return invalid('bech32m-for-witness-v0', 'Version 0 witness address must use Bech32 checksum');
  if (version !== 0 && decoded.encoding !== 'bech32m') {
    return invalid('bech32-for-witness-v1-plus', 'Version 1+ witness address must use Bech32m checksum');
  }
  const program = wordsToBytes(programWords);
  if (!program) return invalid('invalid-padding', 'Invalid padding in Bech32 data section');

  const size = program.length;
  if (version === 0) {
    if (size === 20) return valid('p2wpkh', witnessScript(0, program));
    if (size === 32) return valid('p2wsh', witnessScript(0, program));
    return invalid('invalid-length', `Invalid Bech32 v0 address program size (${size} bytes), per BIP141`);
  }
  if (size < 2 || size > 40) return invalid('invalid-length', `Invalid Bech32 address program size (${size} bytes)`);
  return valid(version === 1 && size === 32 ? 'p2tr' : 'witness_unknown', witnessScript(version, program));
}

/** `checksumOk`: the string is Base58Check (what Core's DecodeBase58Check accepts), whatever its payload. */
function validateBase58(
  address: string,
  pubkeyHashVersion: number,
  scriptHashVersion: number,
): { checksumOk: boolean; result: AddressValidation } {
  let bytes: Uint8Array;
  try {
    if (address.length === 0) throw new Error('empty');
    bytes = base58.decode(address);
  } catch {
    return { checksumOk: false, result: invalid('invalid-encoding', 'Invalid or unsupported Segwit (Bech32) or Base58 encoding') };
  }
  if (bytes.length < 4 || bytes.length > MAX_BASE58_BYTES) {
    return { checksumOk: false, result: invalid('invalid-length', 'Invalid checksum or length of Base58 address (P2PKH or P2SH)') };
  }
  const payload = bytes.subarray(0, -4);
  const checksum = createHash('sha256').update(createHash('sha256').update(payload).digest()).digest().subarray(0, 4);
  if (!checksum.equals(bytes.subarray(-4))) {
    return { checksumOk: false, result: invalid('bad-checksum', 'Invalid checksum of Base58 address (P2PKH or P2SH)') };
  }
  return { checksumOk: true, result: base58Destination(payload, pubkeyHashVersion, scriptHashVersion) };
}

function base58Destination(payload: Uint8Array, pubkeyHashVersion: number, scriptHashVersion: number): AddressValidation {
  const [version] = payload;
  const hash = Buffer.from(payload.subarray(1)).toString('hex');
  if (payload.length === 21 && version === pubkeyHashVersion) return valid('p2pkh', `76a914${hash}88ac`);
  if (payload.length === 21 && version === scriptHashVersion) return valid('p2sh', `a914${hash}87`);
  if (version === pubkeyHashVersion || version === scriptHashVersion) {
    return invalid('invalid-length', 'Invalid length for Base58 address (P2PKH or P2SH)');
  }
  const otherNetwork = Object.values(NETWORK_PARAMS).some((p) => p.pubkeyHashVersion === version || p.scriptHashVersion === version);
  if (otherNetwork && payload.length === 21) return invalid('wrong-network', 'Base58 address is for another network');
  return invalid('unsupported-base58-version', 'Invalid or unsupported Base58-encoded address');
}

function witnessScript(version: number, program: Uint8Array): string {
  const opcode = version === 0 ? 0x00 : 0x50 + version;
  return Buffer.from([opcode, program.length, ...program]).toString('hex');
}

function valid(type: AddressType, scriptPubKeyHex: string): AddressValidation {
  return { valid: true, type, scriptPubKeyHex };
}

function invalid(reason: AddressInvalidReason, message: string): AddressValidation {
  return { valid: false, reason, message };
}
