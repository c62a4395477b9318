import { describe, expect, it } from 'vitest';
import { canonicalJson, toJsonData } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('gives the same text for the same data whatever the key order', () => {
    expect(canonicalJson({ amountSats: '5', userId: 'u', kind: 'credit' })).toBe(canonicalJson({ kind: 'credit', userId: 'u', amountSats: '5' }));
  });

  it('sorts by UTF-16 code units and escapes strings as JSON does', () => {
    expect(canonicalJson({ é: 1, Z: 2, a: 3, '10': 4, '9': 5 })).toBe('{"10":4,"9":5,"Z":2,"a":3,"é":1}');
    expect(canonicalJson('line\n"quoted"\u2028')).toBe(JSON.stringify('line\n"quoted"\u2028'));
  });

  it('writes bigints as decimal strings and dates as ISO strings', () => {
    expect(canonicalJson({ sats: 2_100_000_000_000_000n, neg: -5n, at: new Date('2026-01-02T03:04:05.006Z') })).toBe(
      '{"at":"2026-01-02T03:04:05.006Z","neg":"-5","sats":"2100000000000000"}',
    );
  });

  it('leaves out undefined members and refuses what JSON cannot carry', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(() => canonicalJson([undefined])).toThrow(TypeError);
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(/NaN/);
    expect(() => canonicalJson({ x: Number.POSITIVE_INFINITY })).toThrow(/Infinity/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/function/);
  });

  it('toJsonData turns a value into the plain JSON that canonicalises the same', () => {
    const data = toJsonData({ b: 2n, a: [new Date(0)] });
    expect(data).toEqual({ a: ['1970-01-01T00:00:00.000Z'], b: '2' });
    expect(canonicalJson(data)).toBe(canonicalJson({ b: 2n, a: [new Date(0)] }));
  });
});
