import { describe, expect, it } from 'vitest';
import { syncProblem } from './node-sync.probe';

const synced = { chain: 'regtest', blocks: 120, headers: 120, initialblockdownload: false };

describe('syncProblem', () => {
  it('accepts a node on the expected chain with every header validated', () => {
    expect(syncProblem(synced, 'regtest')).toBeUndefined();
  });

  it('names initial block download, headers ahead of blocks, and the wrong chain', () => {
    expect(syncProblem({ ...synced, initialblockdownload: true }, 'regtest')).toMatch(/initial block download/);
    expect(syncProblem({ ...synced, headers: 125 }, 'regtest')).toBe('node is syncing (120 blocks of 125 headers)');
    expect(syncProblem(synced, 'main')).toBe('node runs chain "regtest", expected "main"');
  });
});
