/** A fee rate in sat/vB as Core takes it (decimal, at most 3 decimals: exact in sat/kvB). */
const SAT_PER_VB = /^(0|[1-9][0-9]{0,8})(?:\.([0-9]{1,3}))?$/;

/** "12.5" sat/vB → 12500n sat/kvB; undefined if it is not such a number. */
export function parseSatPerVb(rate: string): bigint | undefined {
  const match = SAT_PER_VB.exec(rate.trim());
  if (!match) return undefined;
  return BigInt(match[1]) * 1000n + BigInt((match[2] ?? '').padEnd(3, '0'));
}

/** 12500n sat/kvB → "12.5" sat/vB. */
export function formatSatPerVb(satPerKvB: bigint): string {
  const fraction = (satPerKvB % 1000n).toString().padStart(3, '0').replace(/0+$/, '');
  return fraction ? `${satPerKvB / 1000n}.${fraction}` : `${satPerKvB / 1000n}`;
}

/** The fee `satPerKvB` asks of `vsize` vbytes, rounded up as Core's CFeeRate::GetFee does. */
export function feeAtRate(satPerKvB: bigint, vsize: number): bigint {
  return (satPerKvB * BigInt(vsize) + 999n) / 1000n;
}
