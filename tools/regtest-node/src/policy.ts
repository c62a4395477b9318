/** Bitcoin Core 29's default relay policy (src/policy/policy.h, src/kernel/mempool_limits.h, src/kernel/mempool_options.h). */

/** -minrelaytxfee and -incrementalrelayfee: 1 sat/vB. */
export const MIN_RELAY_SAT_PER_KVB = 1000n;
export const INCREMENTAL_RELAY_SAT_PER_KVB = 1000n;
/** -dustrelayfee: 3 sat/vB. */
export const DUST_RELAY_SAT_PER_KVB = 3000n;
/** -mintxfee, the wallet's floor (wallet/wallet.h DEFAULT_TRANSACTION_MINFEE). */
export const WALLET_MIN_SAT_PER_KVB = 1000n;
/** -limitancestorcount / -limitdescendantcount and their size limits in virtual bytes (101 kvB). */
export const CHAIN_LIMITS = { ancestorCount: 25, ancestorSize: 101_000, descendantCount: 25, descendantSize: 101_000 } as const;
/** The CPFP carve-out's size bound (policy.h EXTRA_DESCENDANT_TX_SIZE_LIMIT). */
export const EXTRA_DESCENDANT_TX_SIZE_LIMIT = 10_000;
/** BIP125 rule 5 (policy/rbf.h MAX_REPLACEMENT_CANDIDATES). */
export const MAX_REPLACEMENT_CANDIDATES = 100;
/** -mempoolexpiry: 336 hours. */
export const DEFAULT_MEMPOOL_EXPIRY_HOURS = 336;
/** policy.h MAX_DUST_OUTPUTS_PER_TX (ephemeral dust). */
export const MAX_DUST_OUTPUTS_PER_TX = 1;

/** CFeeRate::GetFee: the fee of `vsize` virtual bytes at `satPerKvB`, rounded up (at least 1 sat for a positive rate). */
export function feeAt(satPerKvB: bigint, vsize: number): bigint {
  const fee = (satPerKvB * BigInt(vsize) + 999n) / 1000n;
  return fee === 0n && satPerKvB > 0n && vsize > 0 ? 1n : fee;
}

/** CFeeRate(fee, vsize): sat/kvB, truncated. */
export const feeRateOf = (fee: bigint, vsize: number): bigint => (vsize > 0 ? (fee * 1000n) / BigInt(vsize) : 0n);

/** CFeeRate::ToString() (BTC/kvB, 8 decimals). */
export const formatFeeRate = (satPerKvB: bigint): string =>
  `${satPerKvB / 100_000_000n}.${(satPerKvB % 100_000_000n).toString().padStart(8, '0')} BTC/kvB`;

/** CFeeRate::ToString(FeeEstimateMode::SAT_VB): sat/vB with 3 decimals. */
export const formatSatPerVb = (satPerKvB: bigint): string => `${satPerKvB / 1000n}.${(satPerKvB % 1000n).toString().padStart(3, '0')} sat/vB`;

/** CScript::IsWitnessProgram. */
export function witnessProgram(script: Uint8Array): { version: number; program: Uint8Array } | undefined {
  if (script.length < 4 || script.length > 42) return undefined;
  const op = script[0];
  if (op !== 0x00 && (op < 0x51 || op > 0x60)) return undefined;
  if (script[1] + 2 !== script.length) return undefined;
  return { version: op === 0 ? 0 : op - 0x50, program: script.subarray(2) };
}

const compactSizeLength = (n: number): number => (n < 0xfd ? 1 : n <= 0xffff ? 3 : 5);

/**
 * policy.cpp GetDustThreshold: the fee, at the dust relay rate, of the output plus the input that would spend it
 * (67 vbytes for a witness program, 148 otherwise); 0 for unspendable (OP_RETURN) scripts.
 */
export function dustThreshold(script: Uint8Array, dustRelaySatPerKvB: bigint = DUST_RELAY_SAT_PER_KVB): bigint {
  if (script[0] === 0x6a || script.length > 10_000) return 0n;
  const outputSize = 8 + compactSizeLength(script.length) + script.length;
  const spendSize = witnessProgram(script) ? 32 + 4 + 1 + Math.floor(107 / 4) + 4 : 32 + 4 + 1 + 107 + 4;
  return feeAt(dustRelaySatPerKvB, outputSize + spendSize);
}

/** policy.cpp IsDust. */
export const isDust = (output: { value: bigint; script: Uint8Array }): boolean => output.value < dustThreshold(output.script);
