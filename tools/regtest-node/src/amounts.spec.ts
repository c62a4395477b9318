import { describe, expect, it } from 'vitest';
import { amountFromValue, formatBtc, parseFixedPoint } from './amounts';
import { toJson } from './json';
import { btc } from './amounts';

describe('amounts', () => {
  it('formats satoshis with exactly 8 decimals', () => {
    expect(formatBtc(100_000_000n)).toBe('1.00000000');
    expect(formatBtc(1000n)).toBe('0.00001000');
    expect(formatBtc(-150_000_000n)).toBe('-1.50000000');
    expect(toJson({ a: btc(0n), b: [btc(1n)], c: undefined })).toBe('{"a":0.00000000,"b":[0.00000001]}');
  });

  it('parses numbers and strings exactly, like ParseFixedPoint', () => {
    expect(amountFromValue(0.1)).toBe(10_000_000n);
    expect(amountFromValue('0.00000001')).toBe(1n);
    expect(amountFromValue(1e-8)).toBe(1n);
    expect(amountFromValue('1.000000000')).toBe(100_000_000n);
    expect(amountFromValue(20999999.99999999)).toBe(2_099_999_999_999_999n);
    expect(parseFixedPoint('1.2345', 3)).toBeNull();
  });

  it('rejects more than 8 decimals, non-numbers and out-of-range amounts', () => {
    expect(() => amountFromValue('0.000000001')).toThrow('Invalid amount');
    expect(() => amountFromValue(true)).toThrow('Amount is not a number or string');
    expect(() => amountFromValue('abc')).toThrow('Invalid amount');
    expect(() => amountFromValue(21_000_001)).toThrow('Amount out of range');
    expect(() => amountFromValue(-1)).toThrow('Amount out of range');
  });
});
