/*
 * Virtual size of a typical withdrawal: one P2WPKH input, the destination output and a P2WPKH change output.
 * In weight units (vsize = ceil(weight / 4)):
 *   version + locktime + input and output counts: 10 bytes × 4, segwit marker and flag: 2
 *   P2WPKH input: (outpoint 36 + empty scriptSig 1 + sequence 4) × 4 + witness (count 1 + 73-byte signature push + 34-byte key push)
 *   output: (value 8 + script length 1 + script) × 4
 * For a P2WPKH destination: 42 + 272 + 124 + 124 = 562 WU → 141 vB.
 */
const OVERHEAD_WEIGHT = 10 * 4 + 2;
const P2WPKH_INPUT_WEIGHT = 41 * 4 + (1 + 73 + 34);
const P2WPKH_SCRIPT_BYTES = 22;

const outputWeight = (scriptBytes: number): number => (8 + 1 + scriptBytes) * 4;

/** vsize of a 1-input (P2WPKH) withdrawal paying a `destinationScriptBytes`-byte scriptPubKey, with P2WPKH change. */
export function withdrawalVsize(destinationScriptBytes: number): number {
  const weight = OVERHEAD_WEIGHT + P2WPKH_INPUT_WEIGHT + outputWeight(destinationScriptBytes) + outputWeight(P2WPKH_SCRIPT_BYTES);
  return Math.ceil(weight / 4);
}
