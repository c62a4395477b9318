// Amounts travel as decimal strings of integer satoshis (or KRW); in code they are bigints, never numbers.

const INTEGER = /^-?(0|[1-9]\d*)$/;
const SATS_PER_BTC = 100_000_000n;

/** The JSON form of an amount: `25000000n` → `"25000000"`. */
export function toSats(amount: bigint): string {
  return amount.toString();
}

/** An amount from JSON: `"25000000"` → `25000000n`; anything but an integer string throws. */
export function fromSats(value: string): bigint {
  if (!INTEGER.test(value)) throw new TypeError(`Not an integer amount: ${JSON.stringify(value)}`);
  return BigInt(value);
}

/** Satoshis as an exact BTC decimal: `10000000n` → `"0.10000000"`. */
export function formatBtc(sats: bigint): string {
  const sign = sats < 0n ? '-' : '';
  const abs = sats < 0n ? -sats : sats;
  return `${sign}${abs / SATS_PER_BTC}.${(abs % SATS_PER_BTC).toString().padStart(8, '0')}`;
}
