import { hex } from '@scure/base';
import { describe, expect, it } from 'vitest';
import { dataCarrierProblem, isNullData, MAX_DATA_CARRIER_BYTES, nullDataScript } from './data-carrier';

describe('OP_RETURN outputs', () => {
  it('pushes the data minimally, as CScript() << OP_RETURN << data', () => {
    expect(hex.encode(nullDataScript(hex.decode('abcd')))).toBe('6a02abcd');
    expect(hex.encode(nullDataScript(new Uint8Array(75)))).toBe(`6a4b${'00'.repeat(75)}`);
    expect(hex.encode(nullDataScript(new Uint8Array(76)))).toBe(`6a4c4c${'00'.repeat(76)}`);
    expect(nullDataScript(new Uint8Array(80))).toHaveLength(MAX_DATA_CARRIER_BYTES);
  });

  it('is null data only when OP_RETURN is followed by well-formed pushes', () => {
    expect(isNullData(hex.decode('6a'))).toBe(true);
    expect(isNullData(hex.decode('6a02abcd51'))).toBe(true);
    expect(isNullData(hex.decode('6a02ab'))).toBe(false);
    expect(isNullData(hex.decode('6a4c'))).toBe(false);
    expect(isNullData(hex.decode('6a76'))).toBe(false);
    expect(isNullData(hex.decode('0014' + '00'.repeat(20)))).toBe(false);
  });

  it('relays one OP_RETURN output of at most 83 script bytes (Core 29 defaults)', () => {
    const p2wpkh = { script: hex.decode('0014' + '11'.repeat(20)) };
    expect(dataCarrierProblem([p2wpkh, { script: nullDataScript(new Uint8Array(80)) }])).toBeUndefined();
    expect(dataCarrierProblem([{ script: nullDataScript(new Uint8Array(81)) }])).toBe('scriptpubkey');
    expect(dataCarrierProblem([{ script: hex.decode('6a76') }])).toBe('scriptpubkey');
    expect(dataCarrierProblem([{ script: nullDataScript(hex.decode('01')) }, { script: nullDataScript(hex.decode('02')) }])).toBe('multi-op-return');
  });
});
