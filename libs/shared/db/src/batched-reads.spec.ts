import { describe, expect, it } from 'vitest';
import { batchedReads } from './batched-reads';

/** A read that squares numbers, skips the odd ones, and records the keys of each call. */
function squares() {
  const calls: number[][] = [];
  const read = batchedReads<number, number>(async (keys) => {
    calls.push([...keys]);
    return new Map(keys.filter((key) => key % 2 === 0).map((key) => [key, key * key]));
  });
  return { read, calls };
}

describe('batchedReads', () => {
  it('answers the reads of one phase of the event loop with one call, each its own value', async () => {
    const { read, calls } = squares();
    // Asked from separate callbacks of one phase of the loop, as requests read from different sockets are: Node runs
    // the microtasks and next ticks between two such callbacks.
    const answers = await Promise.all([2, 3, 4, 4].map((key) => new Promise((done) => setImmediate(() => done(read(key))))));
    expect(answers).toEqual([4, undefined, 16, 16]);
    expect(calls).toEqual([[2, 3, 4, 4]]);
  });

  it('caches nothing: a later read asks again', async () => {
    const { read, calls } = squares();
    expect(await read(6)).toBe(36);
    expect(await read(6)).toBe(36);
    expect(calls).toEqual([[6], [6]]);
  });

  it('fails every read of a batch whose call failed, and only those', async () => {
    let fail = true;
    const read = batchedReads<string, string>(async (keys) => {
      if (fail) throw new Error('database down');
      return new Map(keys.map((key) => [key, key.toUpperCase()]));
    });
    const failed = await Promise.allSettled([read('a'), read('b')]);
    expect(failed.map((result) => result.status === 'rejected' && (result.reason as Error).message)).toEqual(['database down', 'database down']);
    fail = false;
    expect(await read('c')).toBe('C');
  });

  it('reads at most 500 keys in one call', async () => {
    const { read, calls } = squares();
    await Promise.all(Array.from({ length: 1_200 }, (_, key) => read(key)));
    expect(calls.map((keys) => keys.length)).toEqual([500, 500, 200]);
  });
});
