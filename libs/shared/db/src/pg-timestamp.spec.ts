import { describe, expect, it } from 'vitest';
import { instantSchema, isStorableInstant } from './pg-timestamp';

describe('instantSchema', () => {
  it('takes ISO dates and date-times with an offset, as Dates', () => {
    expect(instantSchema.parse('2026-12-05')).toEqual(new Date('2026-12-05T00:00:00Z'));
    expect(instantSchema.parse('2026-12-05T09:00:00+09:00')).toEqual(new Date('2026-12-05T00:00:00Z'));
    expect(instantSchema.parse('0001-01-01')).toEqual(new Date('0001-01-01T00:00:00Z'));
  });

  it.each(['0000-01-01', '0000-12-31T23:59:59Z', '0001-01-01T00:00:00+00:01', '9999-12-31T23:59:59-00:01', 'yesterday', '2026-02-30', '20261205'])('refuses %s', (value) => {
    expect(instantSchema.safeParse(value).success).toBe(false);
  });

  it('knows the years PostgreSQL stores', () => {
    expect([new Date('0000-06-01T00:00:00Z'), new Date('0001-01-01T00:00:00Z'), new Date('9999-12-31T23:59:59.999Z'), new Date(253402300800000)].map(isStorableInstant)).toEqual([false, true, true, false]);
  });
});
