import { describe, expect, it } from 'vitest';
import { JsonNumber, parseLosslessJson } from './lossless-json';

describe('parseLosslessJson', () => {
  it('keeps numbers as their source text and parses everything else like JSON.parse', () => {
    const text = ' {"a": 123456.78901234, "b": [1, -2e-8, true, false, null], "s": "x\\"\\u00e9\\n", "o": {}, "e": []} ';
    expect(parseLosslessJson(text)).toEqual({
      a: new JsonNumber('123456.78901234'),
      b: [new JsonNumber('1'), new JsonNumber('-2e-8'), true, false, null],
      s: 'x"é\n',
      o: {},
      e: [],
    });
  });

  it('stores a "__proto__" key as data, not as the prototype', () => {
    const parsed = parseLosslessJson('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__']);
  });

  it.each(['', '{', '{"a":1,}', '[1 2]', '01', '1.', '"unterminated', 'tru', '{"a":1} x', "{'a':1}", 'NaN', '"a\tb"'])('rejects %j', (text) => {
    expect(() => parseLosslessJson(text)).toThrow(SyntaxError);
  });
});
