import { describe, expect, it } from 'vitest';
import { normalizePin, pinSchema } from './pin-format';

describe('normalizePin', () => {
  it('drops spaces and every kind of dash, and folds full-width digits', () => {
    expect(normalizePin('1234-5678-9012-3456')).toBe('1234567890123456');
    expect(normalizePin(' 1234 5678\t9012  3456 ')).toBe('1234567890123456');
    expect(normalizePin('1234–5678—9012−3456')).toBe('1234567890123456');
    expect(normalizePin('１２３４－５６７８－９０１２－３４５６')).toBe('1234567890123456');
  });

  it('keeps anything else, for the format check to refuse', () => {
    expect(normalizePin('1234.5678')).toBe('1234.5678');
    expect(normalizePin('abcd-efgh')).toBe('abcdefgh');
  });
});

describe('pinSchema', () => {
  const schema = pinSchema({ pinPattern: '^(?:\\d{18}|\\d{16})$', pinFormat: '4-4-4-6 or 4-4-4-4 digits' });

  it('answers the normalised PIN', () => {
    expect(schema.parse('1234-5678-9012-345678')).toBe('123456789012345678');
    expect(schema.parse('1234 5678 9012 3456')).toBe('1234567890123456');
  });

  it("refuses a PIN off the brand's format, naming the format", () => {
    const result = schema.safeParse('1234-5678-9012-34567');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('must be 4-4-4-6 or 4-4-4-4 digits');
    expect(schema.safeParse('1234-5678-9012-345a').success).toBe(false);
    expect(schema.safeParse('').success).toBe(false);
    expect(schema.safeParse('1'.repeat(65)).success).toBe(false);
  });
});
