import { afterEach, describe, expect, it, vi } from 'vitest';

const Real = Intl.DateTimeFormat;
const nestCommonLoaded = () => Object.keys(require.cache).some((file) => file.includes('/@nestjs/common/'));

describe('process-start', () => {
  afterEach(() => {
    Intl.DateTimeFormat = Real;
    vi.useRealTimers();
  });

  it("loads @nestjs/common building no date formatter, and Nest's logger still prints its timestamp", async () => {
    expect(nestCommonLoaded()).toBe(false);
    let built = 0;
    Intl.DateTimeFormat = new Proxy(Real, {
      construct(target, args, newTarget) {
        built += 1;
        return Reflect.construct(target, args, newTarget);
      },
    });
    await import('./process-start');
    expect(nestCommonLoaded()).toBe(true);
    expect(built).toBe(0);

    const { ConsoleLogger } = await import('@nestjs/common');
    class Exposed extends ConsoleLogger {
      timestamp() {
        return this.getTimestamp();
      }
    }
    vi.useFakeTimers({ now: Date.UTC(2026, 11, 6, 5, 40, 7) });
    const expected = new Real(undefined, { year: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', day: '2-digit', month: '2-digit' });
    expect(new Exposed().timestamp()).toBe(expected.format(Date.now()));
    expect(built).toBe(1);
  });
});
