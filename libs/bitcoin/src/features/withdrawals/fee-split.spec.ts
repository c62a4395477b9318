import { describe, expect, it } from 'vitest';
import { AddressValidator } from '../addresses/address-validator';
import { splitFee, withdrawalFeeShares } from './fee-split';

const sum = (values: bigint[]) => values.reduce((a, b) => a + b, 0n);

describe('splitFee', () => {
  it('gives a single withdrawal the whole fee', () => {
    expect(splitFee(282n, 141, [31])).toEqual([282n]);
  });

  it('charges each its own output plus an equal part of the rest', () => {
    // rest = 200 - 31 - 43 = 126 → weights 31 + 63 = 94 and 43 + 63 = 106 of 200.
    expect(splitFee(2_000n, 200, [31, 43])).toEqual([940n, 1_060n]);
  });

  it('hands the satoshis lost to rounding to the largest remainders, then to the earlier withdrawal', () => {
    expect(splitFee(100n, 150, [31, 31, 31])).toEqual([34n, 33n, 33n]);
    expect(splitFee(101n, 150, [31, 43, 31])).toEqual([31n, 39n, 31n]);
    for (const fee of [0n, 1n, 7n, 999n, 123_457n]) {
      const shares = splitFee(fee, 300, [31, 43, 34, 32]);
      expect(sum(shares)).toBe(fee);
      expect(shares.every((share) => share >= 0n)).toBe(true);
    }
  });

  it('refuses an empty payout and outputs larger than the transaction', () => {
    expect(() => splitFee(100n, 100, [])).toThrow(RangeError);
    expect(() => splitFee(100n, 50, [31, 31])).toThrow(RangeError);
  });

  it('sizes outputs from the withdrawal addresses', () => {
    const validator = new AddressValidator('regtest');
    const p2wpkh = 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080';
    const p2tr = 'bcrt1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqc8gma6';
    const shares = withdrawalFeeShares(validator, { feeSats: 1_000n, vsize: 200 }, [{ address: p2wpkh }, { address: p2tr }]);
    expect(shares).toEqual(splitFee(1_000n, 200, [31, 43]));
  });
});
