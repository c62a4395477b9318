import { describe, expect, it } from 'vitest';
import { MAX_MONEY_SATS, btcToSats, satsToBtc } from './amount';

describe('BTC amounts', () => {
  it.each([
    ['21000000.00000000', MAX_MONEY_SATS],
    ['0.00000001', 1n],
    ['123456.78901234', 12_345_678_901_234n],
    ['0.1', 10_000_000n],
    ['0', 0n],
    ['-0.00012345', -12_345n],
    ['1e-8', 1n],
    ['1.5E2', 15_000_000_000n],
    ['0.123456780', 12_345_678n],
    ['0.3', 30_000_000n],
  ])('parses %s exactly', (literal, sats) => {
    expect(btcToSats(literal)).toBe(sats);
  });

  it.each(['0.000000001', '0.123456789', '1e-9', '', '1.', '.5', '01', '+1', '0x10', 'NaN', '1e400'])('rejects %j', (literal) => {
    expect(() => btcToSats(literal)).toThrow(RangeError);
  });

  it.each([
    [MAX_MONEY_SATS, '21000000.00000000'],
    [1n, '0.00000001'],
    [12_345_678_901_234n, '123456.78901234'],
    [0n, '0.00000000'],
    [-150_000_000n, '-1.50000000'],
  ])('formats %s sats as %s', (sats, text) => {
    expect(satsToBtc(sats)).toBe(text);
    expect(btcToSats(text)).toBe(sats);
  });
});
