import { describe, expect, it } from 'vitest';
import { feeAtRate, formatSatPerVb, parseSatPerVb } from './fee-rate';

describe('fee rates', () => {
  it('parses sat/vB with up to 3 decimals exactly into sat/kvB', () => {
    expect(parseSatPerVb('12')).toBe(12_000n);
    expect(parseSatPerVb(' 1.5 ')).toBe(1_500n);
    expect(parseSatPerVb('0.001')).toBe(1n);
    for (const bad of ['', '1.2345', '-1', '1e3', '01', 'fast', '1.']) expect(parseSatPerVb(bad)).toBeUndefined();
  });

  it('formats sat/kvB as the sat/vB string Core takes', () => {
    expect([12_000n, 12_500n, 1_234n, 1n, 0n].map(formatSatPerVb)).toEqual(['12', '12.5', '1.234', '0.001', '0']);
  });

  it('rounds a fee up, as Core does', () => {
    expect(feeAtRate(2_000n, 141)).toBe(282n);
    expect(feeAtRate(1_500n, 141)).toBe(212n);
  });
});
