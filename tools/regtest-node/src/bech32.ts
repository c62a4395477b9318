/**
 * Bitcoin Core's src/bech32.cpp: Decode (BIP173/BIP350, both checksums) and LocateErrors, which names up to two likely
 * error positions from the checksum's syndromes in GF(1024) (`validateaddress`'s error_locations).
 */

export type Encoding = 'bech32' | 'bech32m';

const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const ENCODING_CONSTANT: Record<Encoding, number> = { bech32: 1, bech32m: 0x2bc830a3 };

/** GenerateGFTables: GF(1024) as a degree-2 extension of GF(32) by x^2 + 9x + 23. */
const { GF1024_EXP, GF1024_LOG } = (() => {
  const gf32Exp = new Array<number>(31).fill(0);
  const gf32Log = new Array<number>(32).fill(0);
  gf32Exp[0] = 1;
  gf32Log[0] = -1;
  let v = 1;
  for (let i = 1; i < 31; i++) {
    v <<= 1;
    if (v & 32) v ^= 41;
    gf32Exp[i] = v;
    gf32Log[v] = i;
  }
  const exp = new Array<number>(1023).fill(0);
  const log = new Array<number>(1024).fill(0);
  exp[0] = 1;
  log[0] = -1;
  v = 1;
  for (let i = 1; i < 1023; i++) {
    const v0 = v & 31;
    const v1 = v >> 5;
    const v0n = v1 ? gf32Exp[(gf32Log[v1] + gf32Log[23]) % 31] : 0;
    const v1n = (v1 ? gf32Exp[(gf32Log[v1] + gf32Log[9]) % 31] : 0) ^ v0;
    v = (v1n << 5) | v0n;
    exp[i] = v;
    log[v] = i;
  }
  return { GF1024_EXP: exp, GF1024_LOG: log };
})();

const SYNDROME_CONSTS = (() => {
  const out = new Array<number>(25).fill(0);
  for (let k = 1; k < 6; k++) {
    for (let shift = 0; shift < 5; shift++) {
      const b = GF1024_LOG[1 << shift];
      const c0 = GF1024_EXP[(997 * k + b) % 1023];
      const c1 = GF1024_EXP[(998 * k + b) % 1023];
      const c2 = GF1024_EXP[(999 * k + b) % 1023];
      out[5 * (k - 1) + shift] = ((c2 << 20) | (c1 << 10) | c0) >>> 0;
    }
  }
  return out;
})();

function polyMod(values: number[]): number {
  let c = 1;
  for (const v of values) {
    const c0 = c >>> 25;
    c = (((c & 0x1ffffff) << 5) ^ v) >>> 0;
    if (c0 & 1) c ^= 0x3b6a57b2;
    if (c0 & 2) c ^= 0x26508e6d;
    if (c0 & 4) c ^= 0x1ea119fa;
    if (c0 & 8) c ^= 0x3d4233dd;
    if (c0 & 16) c ^= 0x2a1462b3;
    c >>>= 0;
  }
  return c;
}

function syndrome(residue: number): number {
  const low = residue & 0x1f;
  let result = low ^ (low << 10) ^ (low << 20);
  for (let i = 0; i < 25; i++) if ((residue >>> (5 + i)) & 1) result ^= SYNDROME_CONSTS[i];
  return result >>> 0;
}

/** CheckCharacters: indices of characters outside 33..126 and of the second case in a mixed-case string. */
function checkCharacters(str: string): number[] {
  const errors: number[] = [];
  let lower = false;
  let upper = false;
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i);
    if (c >= 0x61 && c <= 0x7a) {
      if (upper) errors.push(i);
      else lower = true;
    } else if (c >= 0x41 && c <= 0x5a) {
      if (lower) errors.push(i);
      else upper = true;
    } else if (c < 33 || c > 126) {
      errors.push(i);
    }
  }
  return errors;
}

const expandHrp = (hrp: string): number[] => [...[...hrp].map((c) => c.charCodeAt(0) >> 5), 0, ...[...hrp].map((c) => c.charCodeAt(0) & 0x1f)];
const charValue = (c: string): number => CHARSET.indexOf(c.toLowerCase());

export interface Bech32Decoded {
  encoding: Encoding;
  hrp: string;
  /** 5-bit values without the checksum. */
  data: number[];
}

/** bech32::Decode: null when the string is not a valid Bech32 or Bech32m string (at most 90 characters). */
export function bech32Decode(str: string): Bech32Decoded | null {
  if (checkCharacters(str).length > 0) return null;
  const pos = str.lastIndexOf('1');
  if (str.length > 90 || pos < 1 || pos + 7 > str.length) return null;
  const values: number[] = [];
  for (const c of str.slice(pos + 1)) {
    const v = c.charCodeAt(0) < 128 ? charValue(c) : -1;
    if (v === -1) return null;
    values.push(v);
  }
  const hrp = str.slice(0, pos).toLowerCase();
  const check = polyMod([...expandHrp(hrp), ...values]);
  const encoding = check === ENCODING_CONSTANT.bech32 ? 'bech32' : check === ENCODING_CONSTANT.bech32m ? 'bech32m' : null;
  return encoding ? { encoding, hrp, data: values.slice(0, -6) } : null;
}

/** bech32::LocateErrors: Core's message and the likely error positions. */
export function locateErrors(str: string): { error: string; locations: number[] } {
  if (str.length > 90) return { error: 'Bech32 string too long', locations: Array.from({ length: str.length - 90 }, (_, i) => 90 + i) };
  const invalid = checkCharacters(str);
  if (invalid.length > 0) return { error: 'Invalid character or mixed case', locations: invalid };
  const pos = str.lastIndexOf('1');
  if (pos === -1) return { error: 'Missing separator', locations: [] };
  if (pos === 0 || pos + 7 > str.length) return { error: 'Invalid separator position', locations: [pos] };
  const hrp = str.slice(0, pos).toLowerCase();
  const length = str.length - 1 - pos;
  const values: number[] = [];
  for (let i = pos + 1; i < str.length; i++) {
    const v = charValue(str[i]);
    if (v === -1) return { error: 'Invalid Base 32 character', locations: [i] };
    values.push(v);
  }
  let locations: number[] = [];
  let errorEncoding: Encoding | undefined;
  for (const encoding of ['bech32', 'bech32m'] as const) {
    const possible: number[] = [];
    const residue = (polyMod([...expandHrp(hrp), ...values]) ^ ENCODING_CONSTANT[encoding]) >>> 0;
    if (residue === 0) return { error: '', locations: [] };
    const syn = syndrome(residue);
    const s0 = syn & 0x3ff;
    const s1 = (syn >>> 10) & 0x3ff;
    const s2 = syn >>> 20;
    const ls0 = GF1024_LOG[s0];
    const ls1 = GF1024_LOG[s1];
    const ls2 = GF1024_LOG[s2];
    if (ls0 !== -1 && ls1 !== -1 && ls2 !== -1 && (2 * ls1 - ls2 - ls0 + 2046) % 1023 === 0) {
      // One error: s1/s0 = s2/s1 = e^p1.
      const p1 = (ls1 - ls0 + 1023) % 1023;
      const le1 = ls0 + (1023 - 997) * p1;
      if (p1 < length && le1 % 33 === 0) possible.push(str.length - p1 - 1);
    } else {
      // Two errors: try every first position.
      for (let p1 = 0; p1 < length; p1++) {
        const s2s1p1 = s2 ^ (s1 === 0 ? 0 : GF1024_EXP[(ls1 + p1) % 1023]);
        if (s2s1p1 === 0) continue;
        const ls2s1p1 = GF1024_LOG[s2s1p1];
        const s1s0p1 = s1 ^ (s0 === 0 ? 0 : GF1024_EXP[(ls0 + p1) % 1023]);
        if (s1s0p1 === 0) continue;
        const ls1s0p1 = GF1024_LOG[s1s0p1];
        const p2 = (ls2s1p1 - ls1s0p1 + 1023) % 1023;
        if (p2 >= length || p1 === p2) continue;
        const s1s0p2 = s1 ^ (s0 === 0 ? 0 : GF1024_EXP[(ls0 + p2) % 1023]);
        if (s1s0p2 === 0) continue;
        const ls1s0p2 = GF1024_LOG[s1s0p2];
        const invP1P2 = 1023 - GF1024_LOG[GF1024_EXP[p1] ^ GF1024_EXP[p2]];
        const le2 = ls1s0p1 + invP1P2 + (1023 - 997) * p2;
        if (le2 % 33) continue;
        const le1 = ls1s0p2 + invP1P2 + (1023 - 997) * p1;
        if (le1 % 33) continue;
        if (p1 > p2) possible.push(str.length - p1 - 1, str.length - p2 - 1);
        else possible.push(str.length - p2 - 1, str.length - p1 - 1);
        break;
      }
    }
    if (locations.length === 0 || (possible.length > 0 && possible.length < locations.length)) {
      locations = possible;
      if (locations.length > 0) errorEncoding = encoding;
    }
  }
  const error = errorEncoding === 'bech32m' ? 'Invalid Bech32m checksum' : errorEncoding === 'bech32' ? 'Invalid Bech32 checksum' : 'Invalid checksum';
  return { error, locations };
}

/** ConvertBits<5, 8, false>: null on padding of 5 bits or more, or non-zero padding. */
export function fiveToEight(data: number[]): Uint8Array | null {
  let acc = 0;
  let bits = 0;
  const out: number[] = [];
  for (const v of data) {
    acc = ((acc << 5) | v) & 0xfff;
    bits += 5;
    while (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  if (bits >= 5 || ((acc << (8 - bits)) & 0xff) !== 0) return null;
  return Uint8Array.from(out);
}
