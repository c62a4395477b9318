/** OP_RETURN ("null data") outputs as Core 29 builds and relays them. */

const OP_RETURN = 0x6a;
const OP_PUSHDATA1 = 0x4c;
const OP_PUSHDATA2 = 0x4d;
const OP_PUSHDATA4 = 0x4e;
const OP_16 = 0x60;

/** Core 29's -datacarriersize default: the whole scriptPubKey, OP_RETURN and push opcodes included (80 data bytes). */
export const MAX_DATA_CARRIER_BYTES = 83;

/** `CScript() << OP_RETURN << data`: a minimal push of the data. */
export function nullDataScript(data: Uint8Array): Uint8Array {
  const n = data.length;
  const push =
    n < OP_PUSHDATA1 ? [n] : n <= 0xff ? [OP_PUSHDATA1, n] : n <= 0xffff ? [OP_PUSHDATA2, n & 0xff, n >> 8] : [OP_PUSHDATA4, n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24];
  return Uint8Array.from([OP_RETURN, ...push, ...data]);
}

/** Core's Solver: OP_RETURN followed by pushes only (CScript::IsPushOnly) is TxoutType::NULL_DATA. */
export function isNullData(script: Uint8Array): boolean {
  if (script[0] !== OP_RETURN) return false;
  for (let pos = 1; pos < script.length; ) {
    const op = script[pos++];
    if (op > OP_16) return false;
    let size = 0;
    if (op < OP_PUSHDATA1) size = op;
    else if (op === OP_PUSHDATA1) size = script[pos++];
    else if (op === OP_PUSHDATA2) [size, pos] = [script[pos] | (script[pos + 1] << 8), pos + 2];
    else if (op === OP_PUSHDATA4) [size, pos] = [(script[pos] | (script[pos + 1] << 8) | (script[pos + 2] << 16)) + script[pos + 3] * 2 ** 24, pos + 4];
    if (size === undefined || Number.isNaN(size) || pos + size > script.length) return false;
    pos += size;
  }
  return true;
}

/**
 * Core 29's IsStandardTx for OP_RETURN outputs: each must be null data within -datacarriersize ("scriptpubkey"), and
 * at most one per transaction ("multi-op-return"). Returns the reject reason, or undefined.
 */
export function dataCarrierProblem(outputs: { script: Uint8Array }[]): string | undefined {
  let dataOutputs = 0;
  for (const { script } of outputs) {
    if (script[0] !== OP_RETURN) continue;
    if (!isNullData(script) || script.length > MAX_DATA_CARRIER_BYTES) return 'scriptpubkey';
    dataOutputs++;
  }
  return dataOutputs > 1 ? 'multi-op-return' : undefined;
}
