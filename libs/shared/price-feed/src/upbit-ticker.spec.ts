import { describe, expect, it } from 'vitest';
import { parseTicker, TickerFormatError } from './upbit-ticker';

const price = (literal: string) => parseTicker(`[{"market":"KRW-BTC","trade_price":${literal}}]`, 'KRW-BTC').krwPerBtc;

describe('parseTicker', () => {
  it('converts the decimal literal exactly, rounding down', () => {
    expect(price('140123000.0')).toBe(140_123_000n);
    expect(price('140123000')).toBe(140_123_000n);
    expect(price('140123000.9999999999999999')).toBe(140_123_000n);
    expect(price('1.40123E8')).toBe(140_123_000n);
    expect(price('14012300000e-2')).toBe(140_123_000n);
    expect(price('999999999999999.5')).toBe(999_999_999_999_999n);
    expect(price('1')).toBe(1n);
  });

  it('rejects values that are not positive whole KRW or absurdly large', () => {
    for (const literal of ['0', '0.99', '-1', '1e-5', '1e15', '1e999999999', '"abc"', '"0140"', 'true', '{}']) {
      expect(() => price(literal), literal).toThrow(TickerFormatError);
    }
  });

  it('reads the ticker time when it is a usable epoch in milliseconds', () => {
    const ticker = (timestamp: string) => parseTicker(`[{"market":"KRW-BTC","trade_price":1,"timestamp":${timestamp}}]`, 'KRW-BTC');
    expect(ticker('1732450000000').tradedAt).toEqual(new Date(1_732_450_000_000));
    expect(ticker('"yesterday"').tradedAt).toBeUndefined();
    expect(ticker('-5').tradedAt).toBeUndefined();
  });

  it('leaves trade_price inside strings alone', () => {
    const quote = parseTicker('[{"note":"\\"trade_price\\": 5,","market":"KRW-BTC","trade_price":7}]', 'KRW-BTC');
    expect(quote.krwPerBtc).toBe(7n);
  });
});
