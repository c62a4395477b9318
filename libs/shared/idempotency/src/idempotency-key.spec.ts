import { describe, expect, it } from 'vitest';
import { idempotencyKeyReused, parseIdempotencyKey } from './idempotency-key';

describe('parseIdempotencyKey', () => {
  it('takes 1-255 visible ASCII characters and names the header otherwise', () => {
    for (const key of ['a', 'f47ac10b-58cc-4372-a567-0e02b2c3d479', '!~', 'x'.repeat(255)]) expect(parseIdempotencyKey(key)).toEqual({ key });
    expect(parseIdempotencyKey(undefined)).toEqual({ fault: { in: 'header', pointer: '/Idempotency-Key', message: 'is required' } });
    for (const value of ['', 'has space', 'x'.repeat(256), 'é', ['a', 'b'], 42]) {
      expect(parseIdempotencyKey(value), JSON.stringify(value)).toEqual({ fault: { in: 'header', pointer: '/Idempotency-Key', message: 'must be 1-255 visible ASCII characters' } });
    }
  });
});

describe('idempotencyKeyReused', () => {
  it('is a 422 naming the header', () => {
    expect(idempotencyKeyReused()).toMatchObject({ status: 422, code: 'idempotency-key-reused', extra: { errors: [{ in: 'header', pointer: '/Idempotency-Key' }] } });
  });
});
