import { describe, expect, it } from 'vitest';
import { quote } from './quote';

describe('quote', () => {
  it('takes the fee in basis points of the face value and converts the rest at the price, in satoshis', () => {
    // 10,000 KRW at 8 %: fee 800, 9,200 KRW at 140,000,000 KRW/BTC = 6,571.43 sats → 6,571.
    expect(quote(10_000n, 800, 140_000_000n)).toEqual({ faceValueKrw: 10_000n, feeKrw: 800n, priceKrwPerBtc: 140_000_000n, amountSats: 6_571n });
    // 50,000 KRW at 9 %: fee 4,500; 45,500 × 10^8 / 139,876,543 = 32,528.49… → 32,528.
    expect(quote(50_000n, 900, 139_876_543n)).toMatchObject({ feeKrw: 4_500n, amountSats: 32_528n });
  });

  it('rounds the fee and the amount down', () => {
    // 1,234 × 125 / 10,000 = 15.425 → 15; (1,234 − 15) × 10^8 / 3 = 40,633,333,333.33 → 40,633,333,333.
    expect(quote(1_234n, 125, 3n)).toMatchObject({ feeKrw: 15n, amountSats: 40_633_333_333n });
    // 999 at 1 bp: 0.0999 → no fee; 999 × 10^8 / 10^11 = 0.999 → 0 sats.
    expect(quote(999n, 1, 100_000_000_000n)).toMatchObject({ feeKrw: 0n, amountSats: 0n });
    // An exact division stays exact.
    expect(quote(10_000n, 0, 100_000_000n)).toMatchObject({ feeKrw: 0n, amountSats: 10_000n });
  });

  it('stays exact beyond the range of a double', () => {
    const result = quote(9_007_199_254_740_993n, 10, 7n);
    expect(result.feeKrw).toBe(9_007_199_254_740n);
    // (9,007,199,254,740,993 − 9,007,199,254,740) × 10^8 / 7 = 128,545,600,792,660,757,142,857.14…
    expect(result.amountSats).toBe(128_545_600_792_660_757_142_857n);
  });

  it('refuses what cannot be quoted', () => {
    expect(() => quote(0n, 800, 1n)).toThrow(RangeError);
    expect(() => quote(1_000n, 10_001, 1n)).toThrow(RangeError);
    expect(() => quote(1_000n, 1.5, 1n)).toThrow(RangeError);
    expect(() => quote(1_000n, 800, 0n)).toThrow(RangeError);
  });
});
