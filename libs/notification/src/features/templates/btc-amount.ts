const SATS_PER_BTC = 100_000_000n;

/** Satoshis (a decimal string or bigint) as BTC with 8 decimals, e.g. `0.20000000`; integer arithmetic only. */
export function formatBtc(sats: string | bigint): string {
  const value = typeof sats === 'bigint' ? sats : BigInt(sats);
  const sign = value < 0n ? '-' : '';
  const magnitude = value < 0n ? -value : value;
  const whole = (magnitude / SATS_PER_BTC).toLocaleString('en-US');
  return `${sign}${whole}.${(magnitude % SATS_PER_BTC).toString().padStart(8, '0')}`;
}
