import { describe, expect, it } from 'vitest';
import { anchorPayload } from './anchor-payload';

describe('anchorPayload', () => {
  it('is BTRA, version 1, the height as 8 bytes big-endian and the root: 45 bytes', () => {
    const root = `${'00'.repeat(31)}ff`;
    const payload = anchorPayload(258n, root);
    expect(payload).toBe(`42545241` + `01` + `0000000000000102` + root);
    expect(payload.length / 2).toBe(45);
    expect(anchorPayload('258', root)).toBe(payload);
  });

  it('refuses what it cannot encode', () => {
    expect(() => anchorPayload(-1n, 'ab'.repeat(32))).toThrow(RangeError);
    expect(() => anchorPayload(2n ** 64n, 'ab'.repeat(32))).toThrow(RangeError);
    expect(() => anchorPayload(1n, 'AB'.repeat(32))).toThrow(RangeError);
    expect(() => anchorPayload(1n, 'ab'.repeat(31))).toThrow(RangeError);
  });
});
