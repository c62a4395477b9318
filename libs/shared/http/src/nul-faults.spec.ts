import { describe, expect, it } from 'vitest';
import { nulFaults } from './nul-faults';

describe('nulFaults', () => {
  it('names every string and key holding a NUL, however deep', () => {
    const input = { name: 'a\u0000b', ok: 'fine', list: ['x', 'y\u0000'], nested: { 'k\u0000': 1, deeper: { v: '\u0000' } } };
    expect(nulFaults(input, 'body').map((fault) => fault.pointer).sort()).toEqual(['/list/1', '/name', '/nested/deeper/v', '/nested/k\u0000']);
    expect(nulFaults('\u0000', 'query')).toEqual([{ in: 'query', pointer: '', message: 'must not contain the NUL character (U+0000)' }]);
    expect(nulFaults({ a: 1, b: null, c: [true] }, 'body')).toEqual([]);
  });

  it('walks nesting deeper than the call stack allows', () => {
    let deep: unknown = 'end\u0000';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(nulFaults(deep, 'body')).toHaveLength(1);
  });
});
