import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withLazyDateFormats } from './lazy-date-formats';

const Real = Intl.DateTimeFormat;
const options: Intl.DateTimeFormatOptions = { timeZone: 'Asia/Seoul', year: 'numeric', month: '2-digit', day: '2-digit', hour: 'numeric', minute: 'numeric' };
const at = Date.UTC(2026, 11, 6, 5, 40);

describe('withLazyDateFormats', () => {
  let built = 0;
  beforeEach(() => {
    built = 0;
    // Counts the formatters really built; the stand-in captures this as the real constructor.
    Intl.DateTimeFormat = new Proxy(Real, {
      construct(target, args, newTarget) {
        built += 1;
        return Reflect.construct(target, args, newTarget);
      },
    });
  });
  afterEach(() => {
    Intl.DateTimeFormat = Real;
  });

  it('builds no formatter while loading, then the real one on first use, formatting as it does', () => {
    const counting = Intl.DateTimeFormat;
    const formatter = withLazyDateFormats(() => new Intl.DateTimeFormat('en-US', options));
    expect(built).toBe(0);
    expect(Intl.DateTimeFormat).toBe(counting);

    const expected = new Real('en-US', options);
    expect(formatter.format(at)).toBe(expected.format(at));
    expect(built).toBe(1);
    expect(formatter.formatToParts(at)).toEqual(expected.formatToParts(at));
    expect(formatter.resolvedOptions()).toEqual(expected.resolvedOptions());
    expect(formatter.formatRange(at, at + 86_400_000)).toBe(expected.formatRange(at, at + 86_400_000));
    expect(built).toBe(1);
  });

  it('puts the constructor back when the load throws', () => {
    const counting = Intl.DateTimeFormat;
    expect(() =>
      withLazyDateFormats(() => {
        throw new Error('load failed');
      }),
    ).toThrow('load failed');
    expect(Intl.DateTimeFormat).toBe(counting);
  });

  it('keeps the static supportedLocalesOf', () => {
    const locales = withLazyDateFormats(() => Intl.DateTimeFormat.supportedLocalesOf(['en-US']));
    expect(locales).toEqual(['en-US']);
  });
});
