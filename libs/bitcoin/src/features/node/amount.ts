/** 1 BTC in satoshis. */
export const SATS_PER_BTC = 100_000_000n;
/** Bitcoin Core's MAX_MONEY: 21 million BTC. */
export const MAX_MONEY_SATS = 21_000_000n * SATS_PER_BTC;

const DECIMAL_LITERAL = /^(-?)(0|[1-9][0-9]*)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?$/;

/**
 * Converts a BTC amount as written in JSON (`"0.00012345"`, `1e-8`) to satoshis, exactly.
 * Rejects anything with a non-zero digit beyond the 8th decimal instead of rounding.
 */
export function btcToSats(literal: string): bigint {
  const match = DECIMAL_LITERAL.exec(literal);
  if (!match) throw new RangeError(`"${literal}" is not a decimal number`);
  const [, sign, integer, fraction = '', exponentText = '0'] = match;
  const exponent = Number(exponentText);
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 30) throw new RangeError(`"${literal}" is out of range`);
  let digits = integer + fraction;
  // The value is digits × 10^(exponent - fraction.length); as satoshis: × 10^(exponent - fraction.length + 8).
  const shift = exponent - fraction.length + 8;
  if (shift >= 0) {
    digits += '0'.repeat(shift);
  } else {
    const dropped = digits.slice(shift);
    if (/[^0]/.test(dropped)) throw new RangeError(`"${literal}" has more than 8 decimals`);
    digits = digits.slice(0, shift) || '0';
  }
  const sats = BigInt(digits);
  return sign === '-' ? -sats : sats;
}

/** Formats satoshis as an exact BTC decimal string with 8 decimals (`12345n` → `"0.00012345"`). */
export function satsToBtc(sats: bigint): string {
  const negative = sats < 0n;
  const abs = negative ? -sats : sats;
  const fraction = (abs % SATS_PER_BTC).toString().padStart(8, '0');
  return `${negative ? '-' : ''}${abs / SATS_PER_BTC}.${fraction}`;
}
