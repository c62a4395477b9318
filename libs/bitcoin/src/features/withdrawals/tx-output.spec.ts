import { describe, expect, it } from 'vitest';
import { dustThresholdSats, nullDataScriptHex, outputVbytes } from './tx-output';

const p2pkh = `76a914${'11'.repeat(20)}88ac`;
const p2sh = `a914${'22'.repeat(20)}87`;
const p2wpkh = `0014${'33'.repeat(20)}`;
const p2wsh = `0020${'44'.repeat(32)}`;
const p2tr = `5120${'55'.repeat(32)}`;

describe('transaction outputs', () => {
  it('counts value, script length and script', () => {
    expect([p2pkh, p2sh, p2wpkh, p2wsh, p2tr].map(outputVbytes)).toEqual([34, 32, 31, 43, 43]);
    expect(outputVbytes('00'.repeat(300))).toBe(8 + 3 + 300);
  });

  it("has Core's dust limits at 3 sat/vB", () => {
    expect([p2pkh, p2sh, p2wpkh, p2wsh, p2tr].map(dustThresholdSats)).toEqual([546n, 540n, 294n, 330n, 330n]);
    expect(dustThresholdSats('6a0401020304')).toBe(0n);
  });

  it('pushes OP_RETURN data as createrawtransaction does', () => {
    expect(nullDataScriptHex('ABcd')).toBe('6a02abcd');
    expect(nullDataScriptHex('00'.repeat(75))).toBe(`6a4b${'00'.repeat(75)}`);
    expect(nullDataScriptHex('00'.repeat(80))).toBe(`6a4c50${'00'.repeat(80)}`);
    expect(() => nullDataScriptHex('abc')).toThrow(RangeError);
  });
});
