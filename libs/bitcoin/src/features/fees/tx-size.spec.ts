import { describe, expect, it } from 'vitest';
import { withdrawalVsize } from './tx-size';

describe('withdrawalVsize', () => {
  it('is 141 vB for the typical 1-input/2-output P2WPKH spend', () => {
    expect(withdrawalVsize(22)).toBe(141);
  });

  it('grows with the destination script: P2SH 23, P2PKH 25, P2WSH/P2TR 34 bytes', () => {
    expect(withdrawalVsize(23)).toBe(142);
    expect(withdrawalVsize(25)).toBe(144);
    expect(withdrawalVsize(34)).toBe(153);
  });
});
