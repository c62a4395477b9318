import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { startMemoryTrim } from './memory-trim';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MB = 1024 * 1024;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Leaves `mb` MB that glibc's allocator holds free in the middle of its heap: 16 KiB buffers (malloc'd, below the
 * mmap threshold), every eighth kept, so each freed run lies between two live ones and no `free` can return it.
 */
function fragment(mb: number): Buffer[] {
  const buffers = Array.from({ length: (mb * MB) / (16 * 1024) }, () => Buffer.allocUnsafeSlow(16 * 1024).fill(1));
  const kept = buffers.filter((_, i) => i % 8 === 0);
  buffers.length = 0;
  gc();
  return kept;
}

describe('startMemoryTrim', () => {
  let stop: () => void = () => undefined;
  afterEach(() => stop());

  it.runIf(process.platform === 'linux')('gives the memory the allocator holds free back to the system', async () => {
    const kept = fragment(96);
    const before = process.memoryUsage().rss;
    stop = startMemoryTrim(20);
    await sleep(300);
    const after = process.memoryUsage().rss;
    expect(kept.length).toBeGreaterThan(0);
    expect((before - after) / MB).toBeGreaterThan(40);
  });

  it('does nothing at an interval of 0', async () => {
    const kept = fragment(96);
    const before = process.memoryUsage().rss;
    stop = startMemoryTrim(0);
    await sleep(300);
    expect(kept.length).toBeGreaterThan(0);
    expect((before - process.memoryUsage().rss) / MB).toBeLessThan(20);
  });
});
