import { RawTx } from '@scure/btc-signer';
import { hex } from '@scure/base';
import { sha256 } from '@noble/hashes/sha2.js';

export const sha256d = (data: Uint8Array): Uint8Array => sha256(sha256(data));
/** Hash bytes → the reversed hex Core displays for txids and block hashes. */
export const displayHash = (hash: Uint8Array): string => hex.encode(Uint8Array.from(hash).reverse());

export interface TxInput {
  txid: string;
  vout: number;
  scriptSig: Uint8Array;
  sequence: number;
  witness: Uint8Array[];
}

export interface TxOutput {
  value: bigint;
  script: Uint8Array;
}

export interface DecodedTx {
  txid: string;
  wtxid: string;
  hex: string;
  version: number;
  locktime: number;
  size: number;
  vsize: number;
  weight: number;
  inputs: TxInput[];
  outputs: TxOutput[];
  isCoinbase: boolean;
}

const NULL_TXID = '0'.repeat(64);

export const outpointKey = (txid: string, vout: number): string => `${txid}:${vout}`;

/** Parses a raw transaction; throws on malformed data (callers map that to Core's "TX decode failed"). */
function readVarInt(bytes: Uint8Array, pos: number): [number, number] {
  const first = bytes[pos];
  if (first < 0xfd) return [first, pos + 1];
  const size = first === 0xfd ? 2 : first === 0xfe ? 4 : 8;
  let v = 0;
  for (let i = size - 1; i >= 0; i--) v = v * 256 + bytes[pos + 1 + i];
  return [v, pos + 1 + size];
}

/** A transaction without inputs, which the segwit encoding cannot express (Core's try_no_witness decoding). */
function decodeNoInputs(bytes: Uint8Array): ReturnType<typeof RawTx.decode> {
  if (bytes[4] !== 0) throw new Error('not a zero-input transaction');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let [count, pos] = readVarInt(bytes, 5);
  const outputs: { amount: bigint; script: Uint8Array }[] = [];
  while (count-- > 0) {
    const amount = view.getBigUint64(pos, true);
    const [len, next] = readVarInt(bytes, pos + 8);
    outputs.push({ amount, script: bytes.slice(next, next + len) });
    pos = next + len;
  }
  if (pos + 4 !== bytes.length) throw new Error('trailing data');
  return { version: view.getInt32(0, true), segwitFlag: false, inputs: [], outputs, witnesses: undefined, lockTime: view.getUint32(pos, true) };
}

export function decodeTx(txHex: string): DecodedTx {
  const bytes = hex.decode(txHex);
  let raw: ReturnType<typeof RawTx.decode>;
  try {
    raw = RawTx.decode(bytes);
  } catch (e) {
    try {
      raw = decodeNoInputs(bytes);
    } catch {
      throw e;
    }
  }
  const stripped = raw.inputs.length ? RawTx.encode({ ...raw, segwitFlag: false, witnesses: undefined }) : bytes;
  const full = raw.inputs.length ? RawTx.encode(raw) : bytes;
  if (hex.encode(full) !== txHex.toLowerCase()) throw new Error('trailing data');
  const weight = stripped.length * 3 + full.length;
  const inputs = raw.inputs.map((input, i) => ({
    txid: hex.encode(input.txid),
    vout: input.index,
    scriptSig: input.finalScriptSig,
    sequence: input.sequence,
    witness: raw.witnesses?.[i] ?? [],
  }));
  return {
    txid: displayHash(sha256d(stripped)),
    wtxid: displayHash(sha256d(full)),
    hex: hex.encode(full),
    version: raw.version,
    locktime: raw.lockTime,
    size: full.length,
    vsize: Math.ceil(weight / 4),
    weight,
    inputs,
    outputs: raw.outputs.map((o) => ({ value: o.amount, script: o.script })),
    isCoinbase: inputs.length === 1 && inputs[0].txid === NULL_TXID && inputs[0].vout === 0xffffffff,
  };
}

/** Minimal push of a number as Core's CScript << n does (BIP34 height). */
function scriptNum(n: number): Uint8Array {
  if (n === 0) return Uint8Array.of(0x00);
  if (n >= 1 && n <= 16) return Uint8Array.of(0x50 + n);
  const bytes: number[] = [];
  let v = n;
  while (v > 0) {
    bytes.push(v & 0xff);
    v >>= 8;
  }
  if (bytes[bytes.length - 1] & 0x80) bytes.push(0);
  return Uint8Array.from([bytes.length, ...bytes]);
}

/** A coinbase paying `value` to `script`; extraNonce makes coinbases of equal height differ (as Core's IncrementExtraNonce). */
export function buildCoinbase(height: number, extraNonce: number, value: bigint, script: Uint8Array): DecodedTx {
  const scriptSig = Uint8Array.from([...scriptNum(height), ...scriptNum(extraNonce)]);
  const bytes = RawTx.encode({
    version: 2,
    segwitFlag: false,
    inputs: [{ txid: new Uint8Array(32), index: 0xffffffff, finalScriptSig: scriptSig, sequence: 0xffffffff }],
    outputs: [{ amount: value, script }],
    witnesses: undefined,
    lockTime: 0,
  });
  return decodeTx(hex.encode(bytes));
}
