import { type InvalidParam, ProblemException } from '@bitro/http';
import { z } from 'zod';

/** An `Idempotency-Key` header value: 1-255 visible ASCII characters (a UUID, typically). */
export const IDEMPOTENCY_KEY = /^[\x21-\x7E]{1,255}$/;
const MALFORMED = 'must be 1-255 visible ASCII characters';

/**
 * The `headers` of a route contract that runs under an Idempotency-Key: the guard refuses a request without a
 * well-formed one (400, `in: header`), with the body's faults.
 */
export const idempotencyKeyHeaders = z.object({
  'Idempotency-Key': z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : MALFORMED) })
    .regex(IDEMPOTENCY_KEY, MALFORMED)
    .describe('1-255 visible ASCII characters, new for each new request (a UUID, typically); a retry with the same key and body gets the first answer again.')
    .meta({ examples: ['5f0c6a5e-8d1b-4c55-9b8e-3f1a2d4c6b7e'] }),
});

/** The key when the header is well-formed, or the fault to report for it (with the body's faults, in one 400). */
export function parseIdempotencyKey(value: unknown): { key: string } | { fault: InvalidParam } {
  if (typeof value === 'string' && IDEMPOTENCY_KEY.test(value)) return { key: value };
  return { fault: { in: 'header', pointer: '/Idempotency-Key', message: value === undefined ? 'is required' : MALFORMED } };
}

/** 422: the key was first used with another request body. */
export const idempotencyKeyReused = (): ProblemException =>
  new ProblemException(422, 'idempotency-key-reused', 'This Idempotency-Key was already used with another request body; use a new key for a new request.', {
    errors: [{ in: 'header', pointer: '/Idempotency-Key', message: 'was used with another request body' }],
  });
