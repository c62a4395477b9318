import { describe, expect, it } from 'vitest';
import { nextDepositStep } from './deposit-state';

const N = 3;
const OLD = 'aa'.repeat(32);
const NEW = 'bb'.repeat(32);

describe('nextDepositStep', () => {
  it.each([
    // previous status, its block, confirmations now, block now, next status, events
    [undefined, null, 0, null, 'detected', ['detected']],
    [undefined, null, N - 1, NEW, 'detected', ['detected']],
    [undefined, null, N, NEW, 'confirmed', ['detected', 'confirmed']],
    ['detected', null, 0, null, 'detected', []],
    ['detected', OLD, 0, null, 'detected', []],
    ['detected', null, N - 1, NEW, 'detected', []],
    ['detected', OLD, N, NEW, 'confirmed', ['confirmed']],
    ['detected', null, -1, null, 'reversed', ['reversed:conflict']],
    ['confirmed', OLD, N + 10, OLD, 'confirmed', []],
    ['confirmed', OLD, N + 1, NEW, 'confirmed', []],
    ['confirmed', OLD, N - 1, OLD, 'confirmed', []],
    ['confirmed', OLD, N - 1, NEW, 'detected', ['reversed:reorg', 'detected']],
    ['confirmed', OLD, 0, null, 'detected', ['reversed:reorg', 'detected']],
    ['confirmed', OLD, -2, null, 'reversed', ['reversed:conflict']],
    ['reversed', OLD, -2, null, 'reversed', []],
    ['reversed', OLD, 0, null, 'detected', ['detected']],
    ['reversed', null, N, NEW, 'confirmed', ['detected', 'confirmed']],
  ] as const)('%s in %s, now %i confirmations in %s → %s %j', (status, blockHash, confirmations, blockNow, next, events) => {
    const step = nextDepositStep(status && { status, blockHash }, { confirmations, blockHash: blockNow }, N);
    expect(step?.status).toBe(next);
    expect(step?.events.map((e) => (e.kind === 'reversed' ? `reversed:${e.reason}` : e.kind))).toEqual(events);
  });

  it('records nothing for an output conflicted before it was ever seen', () => {
    expect(nextDepositStep(undefined, { confirmations: -1, blockHash: null }, N)).toBeUndefined();
  });
});
