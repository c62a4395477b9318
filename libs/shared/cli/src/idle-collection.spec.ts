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

  /** MB of old garbage freed through `meanwhile` (300 ms idle by default), the collection started before it. */
  async function freedMb(meanwhile = () => sleep(300)): Promise<number> {
    await oldGarbage();
    const before = process.memoryUsage().heapUsed;
    await meanwhile();
    return (before - process.memoryUsage().heapUsed) / MB;
  }

  it('collects the garbage of an idle process, again and again', async () => {
    stop = startIdleCollection({ settleMs: 50, everyMs: 50 });
    expect(await freedMb()).toBeGreaterThan(10);
    expect(await freedMb()).toBeGreaterThan(10);
  });

  it('leaves a busy process to V8', async () => {
    stop = startIdleCollection({ settleMs: 50, everyMs: 50 });
    expect(await freedMb(busy)).toBeLessThan(10);
  });

  it('collects once start-up is over, when the loop first idles, and only then with no interval', async () => {
    stop = startIdleCollection({ settleMs: 50, everyMs: 0 });
    expect(await freedMb(busy)).toBeLessThan(10);
    expect(await freedMb()).toBeGreaterThan(10);
    expect(await freedMb()).toBeLessThan(10);
  });

  it('does nothing at a settling time of 0', async () => {
    stop = startIdleCollection({ settleMs: 0, everyMs: 50 });
    expect(await freedMb()).toBeLessThan(10);
  });
});
