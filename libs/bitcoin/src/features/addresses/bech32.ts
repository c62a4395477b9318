/*
 * Bech32 (BIP-173) and Bech32m (BIP-350) decoding as Bitcoin Core does it (src/bech32.cpp): one decoder that
 * tells which of the two checksums matched, because the witness version decides which one is allowed.
 */

const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
const BECH32_CONST = 1;
const BECH32M_CONST = 0x2bc830a3;
/** BIP-173's limit for segwit addresses. */
const MAX_LENGTH = 90;
const CHECKSUM_LENGTH = 6;

export type Bech32Encoding = 'bech32' | 'bech32m';

export type Bech32DecodeResult =
  | { ok: true; hrp: string; encoding: Bech32Encoding; /** 5-bit words without the checksum */ words: number[] }
  | { ok: false; error: 'invalid-character' | 'mixed-case' | 'too-long' | 'no-separator' | 'bad-checksum' };

function polymod(values: readonly number[]): number {
  let chk = 1;
  for (const value of values) {
    const top = chk >>> 25;
    chk = (((chk & 0x1ffffff) << 5) ^ value) >>> 0;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk = (chk ^ GENERATOR[i]) >>> 0;
  }
  return chk;
}

function expandHrp(hrp: string): number[] {
  const high = [...hrp].map((c) => c.charCodeAt(0) >> 5);
  const low = [...hrp].map((c) => c.charCodeAt(0) & 31);
  return [...high, 0, ...low];
}

export function bech32Decode(input: string): Bech32DecodeResult {
  let lower = false;
  let upper = false;
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c < 33 || c > 126) return { ok: false, error: 'invalid-character' };
    if (c >= 0x61 && c <= 0x7a) lower = true;
    if (c >= 0x41 && c <= 0x5a) upper = true;
  }
  if (lower && upper) return { ok: false, error: 'mixed-case' };
  if (input.length > MAX_LENGTH) return { ok: false, error: 'too-long' };
  const str = input.toLowerCase();
  const separator = str.lastIndexOf('1');
  if (separator < 1 || separator + 1 + CHECKSUM_LENGTH > str.length) return { ok: false, error: 'no-separator' };

  const hrp = str.slice(0, separator);
  const values: number[] = [];
  for (const c of str.slice(separator + 1)) {
    const value = CHARSET.indexOf(c);
    if (value === -1) return { ok: false, error: 'invalid-character' };
    values.push(value);
  }
  const check = polymod([...expandHrp(hrp), ...values]);
  const encoding: Bech32Encoding | undefined = check === BECH32_CONST ? 'bech32' : check === BECH32M_CONST ? 'bech32m' : undefined;
  if (!encoding) return { ok: false, error: 'bad-checksum' };
  return { ok: true, hrp, encoding, words: values.slice(0, -CHECKSUM_LENGTH) };
}

/** Regroups 5-bit words into bytes; undefined on more than 4 bits of padding or non-zero padding (BIP-173). */
export function wordsToBytes(words: readonly number[]): Uint8Array | undefined {
  let acc = 0;
  let bits = 0;
  const out: number[] = [];
  for (const word of words) {
    acc = ((acc << 5) | word) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  if (bits >= 5 || ((acc << (8 - bits)) & 0xff) !== 0) return undefined;
  return Uint8Array.from(out);
}
