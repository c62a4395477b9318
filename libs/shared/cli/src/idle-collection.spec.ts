import { afterEach, describe, expect, it } from 'vitest';
import { startIdleCollection } from './idle-collection';

const MB = 1024 * 1024;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Garbage in the old generation: objects that lived through the young generation's collections, then dropped. */
async function oldGarbage(): Promise<void> {
  let kept: Array<{ i: number; s: string }> | undefined = Array.from({ length: 300_000 }, (_, i) => ({ i, s: `${'x'.repeat(40)}${i}` }));
  await sleep(10);
  expect(kept.length).toBe(300_000);
  kept = undefined;
}

/** 300 ms with the event loop busy all the time: it never waits. */
async function busy(): Promise<void> {
  const until = Date.now() + 300;
  while (Date.now() < until) {
    await new Promise<void>((done) => setImmediate(done));
    for (let spin = Date.now(); Date.now() - spin < 5; );
  }
}

describe('startIdleCollection', () => {
  let stop: () => void = () => undefined;
  afterEach(() => stop());

  /** MB of heap freed while the collection runs every `intervalMs` through `meanwhile` (300 ms idle by default). */
  async function freedMb(intervalMs: number, meanwhile = () => sleep(300)): Promise<number> {
    await oldGarbage();
    const before = process.memoryUsage().heapUsed;
    stop = startIdleCollection(intervalMs);
    await meanwhile();
    return (before - process.memoryUsage().heapUsed) / MB;
  }

  it('collects the garbage of an idle process', async () => {
    expect(await freedMb(50)).toBeGreaterThan(10);
  });

  it('leaves a busy process to V8', async () => {
    expect(await freedMb(50, busy)).toBeLessThan(10);
  });

  it('does nothing at an interval of 0', async () => {
    expect(await freedMb(0)).toBeLessThan(10);
  });
});
