import { type InvalidParam, ProblemException } from '@bitro/http';

/** An `Idempotency-Key` header value: 1-255 visible ASCII characters (a UUID, typically). */
export const IDEMPOTENCY_KEY = /^[\x21-\x7E]{1,255}$/;

/** The key when the header is well-formed, or the fault to report for it (with the body's faults, in one 400). */
export function parseIdempotencyKey(value: unknown): { key: string } | { fault: InvalidParam } {
  if (typeof value === 'string' && IDEMPOTENCY_KEY.test(value)) return { key: value };
  return { fault: { in: 'header', pointer: '/Idempotency-Key', message: value === undefined ? 'is required' : 'must be 1-255 visible ASCII characters' } };
}

/** 422: the key was first used with another request body. */
export const idempotencyKeyReused = (): ProblemException =>
  new ProblemException(422, 'idempotency-key-reused', 'This Idempotency-Key was already used with another request body; use a new key for a new request.', {
    errors: [{ in: 'header', pointer: '/Idempotency-Key', message: 'was used with another request body' }],
  });
