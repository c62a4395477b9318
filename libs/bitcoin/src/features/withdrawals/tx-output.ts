import type { AddressValidator } from '../addresses/address-validator';

/*
 * Sizes of transaction outputs, from their scriptPubKey (hex). An output is not witness data: its vbytes are its bytes,
 * value (8) + script length (compact size) + script.
 */

const DUST_RELAY_SAT_PER_KVB = 3_000n;
/** What spending the output later costs, as Core's GetDustThreshold counts it: outpoint, scriptSig, sequence (+ witness / 4). */
const WITNESS_SPEND_BYTES = 32 + 4 + 1 + Math.floor(107 / 4) + 4;
const LEGACY_SPEND_BYTES = 32 + 4 + 1 + 107 + 4;
const OP_RETURN = 0x6a;

export function outputVbytes(scriptPubKeyHex: string): number {
  const scriptBytes = scriptPubKeyHex.length / 2;
  const lengthPrefix = scriptBytes < 0xfd ? 1 : scriptBytes <= 0xffff ? 3 : 5;
  return 8 + lengthPrefix + scriptBytes;
}

/** Core's dust limit at the default -dustrelayfee (3 sat/vB): an output worth less is non-standard and not relayed. */
export function dustThresholdSats(scriptPubKeyHex: string): bigint {
  const script = Buffer.from(scriptPubKeyHex, 'hex');
  if (script[0] === OP_RETURN) return 0n;
  const spend = isWitnessProgram(script) ? WITNESS_SPEND_BYTES : LEGACY_SPEND_BYTES;
  return (BigInt(outputVbytes(scriptPubKeyHex) + spend) * DUST_RELAY_SAT_PER_KVB) / 1000n;
}

/** The OP_RETURN output script Core's createrawtransaction makes of `{"data": dataHex}` (a minimal push, data up to 255 bytes). */
export function nullDataScriptHex(dataHex: string): string {
  const size = dataHex.length / 2;
  if (!Number.isInteger(size) || size > 0xff) throw new RangeError('OP_RETURN data must be whole bytes, at most 255');
  const push = size < 0x4c ? size.toString(16).padStart(2, '0') : `4c${size.toString(16).padStart(2, '0')}`;
  return `${OP_RETURN.toString(16)}${push}${dataHex.toLowerCase()}`;
}

/** BIP141: a version opcode (OP_0, OP_1..OP_16) and one 2..40-byte push, nothing else. */
function isWitnessProgram(script: Buffer): boolean {
  if (script.length < 4 || script.length > 42) return false;
  const version = script[0];
  if (version !== 0x00 && (version < 0x51 || version > 0x60)) return false;
  return script[1] + 2 === script.length;
}

/** The scriptPubKey of a withdrawal's address, validated when the withdrawal was accepted. */
export function scriptPubKeyOf(validator: AddressValidator, address: string): string {
  const destination = validator.validate(address);
  if (!destination.valid) throw new Error(`"${address}" is not a valid ${validator.network} address: ${destination.message}`);
  return destination.scriptPubKeyHex;
}
